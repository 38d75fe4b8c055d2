/** GET /api/onboarding/:id/devcontainer.json over real HTTP (restify): the file for the right token, 404 with no detail otherwise. */
import type { AddressInfo } from 'node:net';
import restify, { type Server } from 'restify';
import { InMemoryCatalogSearch } from '../../src/adapters/catalog-index/in-memory-catalog-search';
import { devcontainerText } from '../../src/domain/onboarding/dev-environment';
import { DEFAULT_ONBOARDING_SETTINGS } from '../../src/domain/onboarding/onboarding-settings';
import { welcomePackFor } from '../../src/domain/onboarding/welcome-pack';
import { devcontainerDownloadUrl, registerDevcontainerDownload } from '../../src/http/devcontainer-download.routes';
import { createLogger } from '../../src/logger';
import { InMemoryCatalogStore } from '../fakes/in-memory-catalog-store';
import { InMemoryOnboardingStore } from '../fakes/in-memory-onboarding-store';
import { onboardingRecord } from '../fixtures/onboarding-welcome-fixtures';
import { LogCapture } from '../helpers/log-capture';
import { seedCatalog } from '../helpers/repo-fakes';

describe('devcontainer.json download', () => {
  let server: Server;
  let base: string;
  const store = new InMemoryOnboardingStore();
  const logs = new LogCapture();
  let pack: ReturnType<typeof welcomePackFor>;
  const { checklist: _c, ...record } = onboardingRecord();
  const closed = { ...record, id: 'closed-1', downloadToken: 'tok-closed-0123456789' };
  const teamGone = { ...record, id: 'gone-1', downloadToken: 'tok-gone-0123456789', team: { ...record.team, ref: 'group:default/team-gone' } };

  beforeAll(async () => {
    const catalog = new InMemoryCatalogStore();
    await seedCatalog(catalog);
    const index = new InMemoryCatalogSearch(catalog);
    await index.build();
    pack = welcomePackFor({ catalog, index, settings: DEFAULT_ONBOARDING_SETTINGS });
    for (const r of [record, closed, teamGone]) await store.create({ ...r, checklist: [] });
    await store.markOffboarded(closed.id, new Date());
    const logger = createLogger('debug', logs);
    // restify logs through ours, as src/server.ts sets it up: what restify itself logs is checked too.
    server = restify.createServer({ log: logger.child({ component: 'restify' }) as unknown as restify.ServerOptions['log'] });
    registerDevcontainerDownload(server, { store, pack, logger });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers the generated file as an attachment for the record\'s token', async () => {
    const res = await fetch(devcontainerDownloadUrl(`${base}/`, record));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="devcontainer.json"');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.text();
    expect(body).toBe(devcontainerText((await pack(record)).environment.devcontainer));
    expect(JSON.parse(body)).toEqual(expect.objectContaining({ image: 'mcr.microsoft.com/devcontainers/java:1-21-bookworm', postCreateCommand: expect.stringContaining('payments-web') }));
  });

  it.each([
    ['a wrong token', `/api/onboarding/${record.id}/devcontainer.json?token=${record.downloadToken}x`],
    ['a token of another record', `/api/onboarding/${record.id}/devcontainer.json?token=${closed.downloadToken}`],
    ['no token', `/api/onboarding/${record.id}/devcontainer.json`],
    ['an empty token', `/api/onboarding/${record.id}/devcontainer.json?token=`],
    ['an unknown record', `/api/onboarding/64b7f0c2a1d3e4f5a6b7c8d0/devcontainer.json?token=${record.downloadToken}`],
    ['an offboarded record', `/api/onboarding/${closed.id}/devcontainer.json?token=${closed.downloadToken}`],
    ['a team gone from the catalog', `/api/onboarding/${teamGone.id}/devcontainer.json?token=${teamGone.downloadToken}`],
  ])('%s: 404 with no detail', async (_case, path) => {
    const res = await fetch(`${base}${path}`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'NotFound' });
  });

  it('never logs the token', () => {
    expect(logs.find((l) => l.code === 'ONBOARDING.TEAM_NOT_IN_CATALOG')).toBeDefined(); // the log is captured
    for (const token of [record.downloadToken, closed.downloadToken, teamGone.downloadToken]) expect(logs.text()).not.toContain(token);
  });
});
