/**
 * Orphaning as Backstage does it, on a catalog shaped like Backstage's example one
 * (test/fixtures/backstage-like-catalog: a root all.yaml whose Location points to Location files
 * and entity files): an entity no longer emitted by its location is orphaned whether the root is a
 * folder or a file (a target removed from a Location, a targeted file deleted, a Location file
 * dropped with everything only it pointed to); a location still reached from another root stays;
 * a target added back un-orphans. Azure DevOps: a repository's Location target dropped from its
 * descriptor. Real store (the run's), real file system (a copy of the fixture per case).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { AzureDevOpsSourceControl } from '../../src/adapters/azure-devops/azure-devops-source-control.adapter';
import { FileDescriptorSource } from '../../src/adapters/files/file-descriptor-source.adapter';
import { MongoAuditLog } from '../../src/adapters/mongo/mongo-audit-log.adapter';
import { MongoCatalogStore } from '../../src/adapters/mongo/mongo-catalog-store.adapter';
import { connectMongo } from '../../src/adapters/mongo/mongo-connection';
import { CatalogImportService } from '../../src/domain/catalog/catalog-import.service';
import type { ImportResult } from '../../src/domain/catalog/catalog.types';
import { DEMO_ORG, type DemoProject } from '../../src/sandbox/seed/demo-org';
import { AzureDevOpsStandIn } from '../../src/sandbox/standins/azure-devops.standin';

const FIXTURE = path.join(__dirname, '../fixtures/backstage-like-catalog');
const EVERY = [
  'component:default/artist-lookup',
  'component:default/playback-order',
  'component:default/wayback-search',
  'api:default/streaming',
  'api:default/wayback-archive',
  'system:default/audio-playback',
  'system:default/wayback',
  'group:default/team-b',
  'group:default/team-c',
  'user:default/guest',
];

let base: Connection;
beforeAll(async () => {
  base = await connectMongo(process.env.MONGODB_URI!, `catalog_orphaning_${randomUUID().slice(0, 8)}`);
});
afterAll(async () => base?.close());

function world(sourceControl?: AzureDevOpsSourceControl) {
  const conn = base.useDb(`catalog_orphaning_${randomUUID().replace(/-/g, '').slice(0, 12)}`, { useCache: false });
  const store = new MongoCatalogStore(conn);
  const audit = new MongoAuditLog(conn);
  const service = new CatalogImportService({ store, audit, descriptors: new FileDescriptorSource(), ...(sourceControl ? { sourceControl } : {}) }, { chunkSize: 2 });
  const statusOf = async (refs: string[]) => Object.fromEntries(await Promise.all(refs.map(async (r) => [r, (await store.get(r))?.status ?? 'absent'])));
  return { store, audit, service, statusOf };
}

const problemsOf = (results: ImportResult[]) => results.flatMap((r) => r.problems);
const byLocation = (results: ImportResult[]) => Object.fromEntries(results.map((r) => [r.location, r]));
const all = (refs: string[], status: string) => Object.fromEntries(refs.map((r) => [r, status]));

describe('orphaning from Location roots (a catalog shaped like Backstage examples)', () => {
  let root: string;
  let w: ReturnType<typeof world>;
  const file = (f: string) => path.join(root, f);
  const loc = (f: string) => `file:${file(f)}`;
  const edit = (f: string, change: (text: string) => string) => writeFileSync(file(f), change(readFileSync(file(f), 'utf8')));

  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'backstage-like-'));
    cpSync(FIXTURE, root, { recursive: true });
    w = world();
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('imports everything all.yaml reaches, through two levels of Location files', async () => {
    const results = await w.service.importLocations([file('all.yaml')]);
    expect(problemsOf(results)).toEqual([]);
    expect(await w.statusOf(EVERY)).toEqual(all(EVERY, 'active'));
  });

  it('a target removed from a Location orphans that file’s entities; adding it back un-orphans them', async () => {
    await w.service.importLocations([file('all.yaml')]);
    edit('all-components.yaml', (t) => t.replace('    - ./components/wayback-search-component.yaml\n', ''));
    const results = await w.service.importLocations([file('all.yaml')]);
    expect(problemsOf(results)).toEqual([]);
    expect(byLocation(results)[loc('components/wayback-search-component.yaml')]).toMatchObject({ orphaned: 1 });
    const others = EVERY.filter((r) => r !== 'component:default/wayback-search');
    expect(await w.statusOf(['component:default/wayback-search', ...others])).toEqual({ 'component:default/wayback-search': 'orphaned', ...all(others, 'active') });
    const audit = await w.audit.find({ target: loc('components/wayback-search-component.yaml') });
    expect(audit.some((a) => (a.details as { orphaned?: number }).orphaned === 1)).toBe(true);

    cpSync(path.join(FIXTURE, 'all-components.yaml'), file('all-components.yaml'));
    const back = await w.service.importLocations([file('all.yaml')]);
    expect(byLocation(back)[loc('components/wayback-search-component.yaml')]).toMatchObject({ updated: 1 });
    expect(await w.statusOf(EVERY)).toEqual(all(EVERY, 'active'));
  });

  it('a targeted file deleted orphans its entities, and says the target is not found', async () => {
    await w.service.importLocations([file('all.yaml')]);
    rmSync(file('components/playback-order-component.yaml'));
    const results = await w.service.importLocations([file('all.yaml')]);
    expect(byLocation(results)[loc('components/playback-order-component.yaml')]).toMatchObject({ orphaned: 1 });
    expect(problemsOf(results)).toEqual([{ location: loc('components/playback-order-component.yaml'), reason: 'Location target not found' }]);
    expect((await w.store.get('component:default/playback-order'))?.status).toBe('orphaned');
    expect((await w.store.get('component:default/artist-lookup'))?.status).toBe('active');
  });

  it('a Location file dropped from all.yaml orphans what only it reached; what another root still reaches stays', async () => {
    // A second root pointing at one of the APIs: that file is still reached when all-apis.yaml is not.
    writeFileSync(file('streaming-root.yaml'), 'apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: streaming\nspec:\n  targets: [./apis/streaming-api.yaml]\n');
    const roots = [file('all.yaml'), file('streaming-root.yaml')];
    await w.service.importLocations(roots);
    edit('all.yaml', (t) => t.replace('    - ./all-apis.yaml\n', ''));
    const results = await w.service.importLocations(roots);
    expect(problemsOf(results)).toEqual([]);
    expect(byLocation(results)[loc('apis/wayback-archive-api.yaml')]).toMatchObject({ orphaned: 1 });
    expect(await w.statusOf(['api:default/wayback-archive', 'api:default/streaming', 'component:default/artist-lookup'])).toEqual({
      'api:default/wayback-archive': 'orphaned',
      'api:default/streaming': 'active',
      'component:default/artist-lookup': 'active',
    });
    // Nothing reaches all-apis.yaml any more: it no longer points anywhere either.
    expect((await w.store.getLocations([loc('all-apis.yaml')]))[0]?.follows ?? []).toEqual([]);
  });

  it('a deleted Location file that was itself a target orphans everything below it', async () => {
    await w.service.importLocations([file('all.yaml')]);
    rmSync(file('all-components.yaml'));
    const results = await w.service.importLocations([file('all.yaml')]);
    const components = ['component:default/artist-lookup', 'component:default/playback-order', 'component:default/wayback-search'];
    expect(await w.statusOf(components)).toEqual(all(components, 'orphaned'));
    expect(results.reduce((n, r) => n + r.orphaned, 0)).toBe(3);
    expect((await w.store.get('api:default/streaming'))?.status).toBe('active');
  });

  it('under a folder root too: a file outside the folder reached by a Location is orphaned when the target goes', async () => {
    // The folder holds the root only; its targets are outside it (../), as a monorepo's root catalog often is.
    const folder = file('root-folder');
    cpSync(file('all.yaml'), path.join(folder, 'all.yaml'));
    edit('root-folder/all.yaml', (t) => t.replace(/\.\//g, '../'));
    await w.service.importLocations([folder]);
    expect(await w.statusOf(EVERY)).toEqual(all(EVERY, 'active'));
    edit('root-folder/all.yaml', (t) => t.replace('    - ../org/acme.yaml\n', ''));
    await w.service.importLocations([folder]);
    expect(await w.statusOf(['group:default/team-b', 'user:default/guest', 'system:default/wayback'])).toEqual({
      'group:default/team-b': 'orphaned',
      'user:default/guest': 'orphaned',
      'system:default/wayback': 'active',
    });
  });
});

describe('orphaning from a repository descriptor’s Location targets (Azure DevOps, real adapter + stand-in)', () => {
  const descriptor = (...targets: string[]) =>
    `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ledger-service\nspec:\n  type: service\n  lifecycle: production\n  owner: team-b\n` +
    (targets.length ? `---\napiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: ledger-more\nspec:\n  targets: [${targets.join(', ')}]\n` : '');
  const worker = 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ledger-worker\nspec:\n  type: service\n  lifecycle: production\n  owner: team-b\n';
  const PROJECT: DemoProject = {
    id: '30000000-0000-4000-c000-0000000000e1',
    name: 'Ledger',
    description: 'Ledger services',
    repositories: [{ id: '31000000-0000-4000-c000-0000000000e1', name: 'ledger-service', stack: 'node', files: { '/catalog-info.yaml': descriptor('./docs/worker.yaml'), '/docs/worker.yaml': worker } }],
  };
  const standIn = new AzureDevOpsStandIn({ org: DEMO_ORG, projects: [PROJECT] });
  let w: ReturnType<typeof world>;
  beforeAll(async () => {
    await standIn.start(0);
    w = world(new AzureDevOpsSourceControl({ orgUrl: standIn.collectionUrl, token: 'orphaning-test' }));
  });
  afterAll(() => standIn.close());

  it('a descriptor committed without its Location target orphans what the target held; with it again, un-orphans', async () => {
    await w.service.importAzureDevOps(['Ledger']);
    expect((await w.store.get('component:default/ledger-worker'))?.status).toBe('active');
    const repo = { project: 'Ledger', name: 'ledger-service', id: PROJECT.repositories[0]!.id, defaultBranch: 'main' } as Parameters<CatalogImportService['importRepositoryDescriptor']>[0];
    await w.service.importRepositoryDescriptor(repo, descriptor());
    expect((await w.store.get('component:default/ledger-worker'))?.status).toBe('orphaned');
    expect((await w.store.get('component:default/ledger-service'))?.status).toBe('active');
    await w.service.importRepositoryDescriptor(repo, descriptor('./docs/worker.yaml'));
    expect((await w.store.get('component:default/ledger-worker'))?.status).toBe('active');
  });
});
