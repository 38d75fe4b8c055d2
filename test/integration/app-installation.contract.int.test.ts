/**
 * The AppInstallation contract on GraphAppInstallation + the Graph stand-in, then what only the
 * adapter does: the catalog look-up cached, the replication 404 re-read (bounded), Graph failures
 * mapped to the port's codes, and a conflict race taken as success.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ClientSecretCredential } from '@azure/identity';
import { GraphAppInstallation, type GraphAppInstallationOptions } from '../../src/adapters/graph/graph-app-installation.adapter';
import { isDomainError } from '../../src/domain/domain-error';
import { DEMO_TEAMS_APP, DEMO_TENANT_ID, userBySlug } from '../../src/sandbox/seed/demo-org';
import { startIdentityStandIns, type IdentityStandIns } from '../../src/sandbox/standins/azure-identity-standins';
import { GRAPH_APP_ROLES } from '../../src/sandbox/standins/graph.standin';
import { installationIdOf, personalChatId } from '../../src/sandbox/standins/graph-teamwork';
import { appInstallationContract } from '../contracts/app-installation.contract';

// The bot's own Entra app: ...ReadWriteSelfForUser lets it install only the catalog app that is itself.
const BOT = { clientId: DEMO_TEAMS_APP.externalId, clientSecret: 'install-test-secret' };
const OTHER_APP = { clientId: '11111111-0000-4000-8000-0000000a0001', clientSecret: 'other-app-secret' };
const NO_INSTALL = { clientId: '11111111-0000-4000-8000-0000000a0002', clientSecret: 'no-install-secret', roles: GRAPH_APP_ROLES.filter((r) => !r.startsWith('TeamsAppInstallation')) };
const henry = userBySlug('henry');
const alice = userBySlug('alice');

async function startGraph(dataDir: string): Promise<IdentityStandIns> {
  return startIdentityStandIns({ dataDir, tenantId: DEMO_TENANT_ID, clients: [BOT, OTHER_APP, NO_INSTALL] });
}

function adapterFor(ids: IdentityStandIns, client: { clientId: string; clientSecret: string }, options: Partial<GraphAppInstallationOptions> = {}): GraphAppInstallation {
  const credential = new ClientSecretCredential(DEMO_TENANT_ID, client.clientId, client.clientSecret, ids.credentialOptions);
  return new GraphAppInstallation({ credential, ...ids.graphClientOptions, teamsAppExternalId: DEMO_TEAMS_APP.externalId, replicationDelayMs: 0, retry: { maxRetries: 0 }, ...options });
}

appInstallationContract('GraphAppInstallation + Graph stand-in', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'app-install-contract-'));
  const ids = await startGraph(dataDir);
  const opened: GraphAppInstallation[] = [];
  const open = (options: Partial<GraphAppInstallationOptions> = {}) => {
    const adapter = adapterFor(ids, BOT, options);
    opened.push(adapter);
    return adapter;
  };
  const installation = open();
  return {
    installation,
    notInCatalog: () => open({ teamsAppExternalId: '00000000-0000-4000-8000-0000000000aa' }),
    isInstalledFor: async (userId) => ids.graph.teamwork.installations.has(installationIdOf(userId, DEMO_TEAMS_APP.catalogId)),
    reset: async () => ids.graph.reset(),
    close: async () => {
      for (const a of opened) a.close();
      await ids.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
});

describe('GraphAppInstallation against the Graph stand-in', () => {
  let ids: IdentityStandIns;
  let dataDir: string;
  const opened: GraphAppInstallation[] = [];
  const adapter = (client: { clientId: string; clientSecret: string } = BOT, options: Partial<GraphAppInstallationOptions> = {}) => {
    const a = adapterFor(ids, client, options);
    opened.push(a);
    return a;
  };
  const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e);
  const calls = (pattern: RegExp) => ids.graph.requests.filter((r) => pattern.test(`${r.method} ${r.path}`));

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'app-install-'));
    ids = await startGraph(dataDir);
  });
  afterAll(async () => {
    for (const a of opened) a.close();
    await ids?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    ids.graph.reset();
    ids.graph.clearFaults();
    ids.graph.requests.length = 0;
  });

  it('answers the chat id Graph gives (bot app id, then user id) and asks the catalog only once', async () => {
    const bot = adapter();
    await expect(bot.ensureInstalledFor(alice.id)).resolves.toEqual({ chatId: personalChatId(DEMO_TEAMS_APP.externalId, alice.id), installedNow: false });
    await bot.ensureInstalledFor(henry.id);
    expect(calls(/^GET \/v1\.0\/appCatalogs\/teamsApps$/)).toHaveLength(1);
    expect(calls(/^POST \/v1\.0\/users\/[^/]+\/teamwork\/installedApps$/).map((r) => r.body)).toEqual([{ 'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${DEMO_TEAMS_APP.catalogId}` }]);
  });

  it('re-reads the chat while Graph replicates a new installation', async () => {
    ids.graph.teamwork.chatLagReads = 2;
    await expect(adapter(BOT, { replicationAttempts: 3 }).ensureInstalledFor(henry.id)).resolves.toMatchObject({ installedNow: true });
    expect(calls(/\/chat$/).map((r) => r.status)).toEqual([404, 404, 200]);
  });

  it('gives up after the bounded number of reads, as an outage (the next call finds the installation)', async () => {
    ids.graph.teamwork.chatLagReads = 5;
    const error = await failure(adapter(BOT, { replicationAttempts: 3 }).ensureInstalledFor(henry.id));
    expect(isDomainError(error) && error.code).toBe('UPSTREAM.UNAVAILABLE');
    expect(calls(/\/chat$/)).toHaveLength(3);
    await expect(adapter(BOT, { replicationAttempts: 3 }).ensureInstalledFor(henry.id)).resolves.toMatchObject({ installedNow: false });
  });

  it('takes "already installed" (409, another replica won the race) as success', async () => {
    // The install goes through but its answer is lost; the retry meets the installation Graph now has.
    ids.graph.addFault({ method: 'POST', path: 'teamwork/installedApps$', kind: 'status', status: 409, afterHandler: true, times: 1 });
    await expect(adapter().ensureInstalledFor(henry.id)).resolves.toEqual({ chatId: personalChatId(DEMO_TEAMS_APP.externalId, henry.id), installedNow: false });
  });

  it('an app holding only ...SelfForUser cannot install another app: INSTALL_FORBIDDEN', async () => {
    const error = await failure(adapter(OTHER_APP).ensureInstalledFor(henry.id));
    expect(isDomainError(error) && error.code).toBe('CONVERSATION.INSTALL_FORBIDDEN');
    expect(ids.graph.teamwork.installations.has(installationIdOf(henry.id, DEMO_TEAMS_APP.catalogId))).toBe(false);
  });

  it('without the TeamsAppInstallation permission: INSTALL_FORBIDDEN naming the call', async () => {
    const error = await failure(adapter(NO_INSTALL).ensureInstalledFor(alice.id));
    expect(isDomainError(error) && error.code).toBe('CONVERSATION.INSTALL_FORBIDDEN');
    expect((error as Error).message).toMatch(/list the apps installed for a user \(Authorization_RequestDenied\)/);
  });

  it('throttling and outages stay UPSTREAM.* (thrown, so the caller retries later)', async () => {
    ids.graph.addFault({ method: 'GET', path: 'installedApps$', kind: 'status', status: 429, retryAfterSeconds: 7, times: 1 });
    const throttled = await failure(adapter().ensureInstalledFor(alice.id));
    expect(isDomainError(throttled) && [throttled.code, throttled.details.retryAfterSeconds]).toEqual(['UPSTREAM.THROTTLED', 7]);
    ids.graph.addFault({ method: 'GET', path: 'appCatalogs', kind: 'status', status: 503, times: 1 });
    const down = adapter();
    expect(await failure(down.ensureInstalledFor(alice.id))).toMatchObject({ code: 'UPSTREAM.UNAVAILABLE' });
    // A failed catalog look-up is not cached: the next call asks again and succeeds.
    await expect(down.ensureInstalledFor(alice.id)).resolves.toMatchObject({ installedNow: false });
  });

  it('an app that left the catalog after the look-up: APP_NOT_IN_CATALOG, then looked up afresh', async () => {
    const bot = adapter();
    await bot.ensureInstalledFor(alice.id);
    ids.graph.teamwork.apps.clear();
    expect(await failure(bot.ensureInstalledFor(henry.id))).toMatchObject({ code: 'CONVERSATION.APP_NOT_IN_CATALOG' });
    ids.graph.reset();
    await expect(bot.ensureInstalledFor(henry.id)).resolves.toMatchObject({ installedNow: true });
    expect(calls(/^GET \/v1\.0\/appCatalogs\/teamsApps$/)).toHaveLength(2);
  });
});
