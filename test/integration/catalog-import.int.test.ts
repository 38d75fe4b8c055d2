import { domainFailure } from '../helpers/domain-failure';
/**
 * Catalog ingestion end to end on the run's store (mongoose, a database per case): descriptor
 * files and folders with Location entities, idempotent re-imports, invalid files next to valid
 * ones, orphaning, Azure DevOps repositories through the real adapter against the stand-in, the
 * sandbox seed catalog, and facts recorded from outside surviving re-imports.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { AzureDevOpsSourceControl } from '../../src/adapters/azure-devops/azure-devops-source-control.adapter';
import { FileDescriptorSource } from '../../src/adapters/files/file-descriptor-source.adapter';
import { MongoAuditLog } from '../../src/adapters/mongo/mongo-audit-log.adapter';
import { MongoCatalogStore } from '../../src/adapters/mongo/mongo-catalog-store.adapter';
import { connectMongo } from '../../src/adapters/mongo/mongo-connection';
import { CatalogFactsService } from '../../src/domain/catalog/catalog-facts.service';
import { CatalogImportService, IMPORT_ACTOR } from '../../src/domain/catalog/catalog-import.service';
import type { ImportResult } from '../../src/domain/catalog/catalog.types';
import { MAX_DESCRIPTOR_BYTES } from '../../src/domain/catalog/descriptor-source.port';
import { DEMO_ORG, DEMO_PROJECTS, type DemoProject } from '../../src/sandbox/seed/demo-org';
import { AzureDevOpsStandIn } from '../../src/sandbox/standins/azure-devops.standin';
import { ZERO_ID } from '../../src/sandbox/standins/azure-devops/git-store';

const SEED_CATALOG = path.join(__dirname, '../../src/sandbox/seed/catalog');

const component = (name: string, extra = '', owner = 'team-payments') =>
  `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\n${extra}spec:\n  type: service\n  lifecycle: production\n  owner: ${owner}\n`;
const group = (name: string) => `apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: ${name}\nspec:\n  type: team\n  children: []\n`;
const location = (name: string, ...targets: string[]) =>
  `apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: ${name}\nspec:\n  targets: [${targets.join(', ')}]\n`;
const docs = (...d: string[]) => d.join('---\n');

let base: Connection;
beforeAll(async () => {
  base = await connectMongo(process.env.MONGODB_URI!, `catalog_import_${randomUUID().slice(0, 8)}`);
});
afterAll(async () => base?.close());

interface World {
  store: MongoCatalogStore;
  audit: MongoAuditLog;
  service: CatalogImportService;
  facts: CatalogFactsService;
  conn: Connection;
}

function world(sourceControl?: AzureDevOpsSourceControl): World {
  const conn = base.useDb(`catalog_import_${randomUUID().replace(/-/g, '').slice(0, 12)}`, { useCache: false });
  const store = new MongoCatalogStore(conn);
  const audit = new MongoAuditLog(conn);
  return {
    store,
    audit,
    conn,
    service: new CatalogImportService({ store, audit, descriptors: new FileDescriptorSource(), ...(sourceControl ? { sourceControl } : {}) }, { chunkSize: 2 }),
    facts: new CatalogFactsService(store, audit),
  };
}

const byLocation = (results: ImportResult[]) => Object.fromEntries(results.map((r) => [r.location, r]));
const problemsOf = (results: ImportResult[]) => results.flatMap((r) => r.problems);
const changes = (results: ImportResult[]) => results.reduce((n, r) => n + r.created + r.updated + r.orphaned, 0);

function tempTree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'catalog-import-'));
  for (const [file, text] of Object.entries(files)) write(root, file, text);
  return root;
}
function write(root: string, file: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
}

describe('importLocations: files and folders', () => {
  let w: World;
  let root: string;
  const loc = (file: string) => `file:${path.join(root, file)}`;

  beforeAll(() => {
    w = world();
    root = tempTree({
      'catalog/services.yaml': docs(component('payments-api'), component('payments-web'), location('more', './../elsewhere/extra.yaml')),
      'catalog/teams/payments.yml': group('team-payments'),
      'catalog/README.md': '# not a descriptor',
      'elsewhere/extra.yaml': component('refunds-service'),
    });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('imports every descriptor under a folder, each file its own location, and follows Location entities', async () => {
    const results = await w.service.importLocations([path.join(root, 'catalog')]);
    expect(problemsOf(results)).toEqual([]);
    expect(byLocation(results)).toEqual({
      [loc('catalog/services.yaml')]: expect.objectContaining({ created: 2, updated: 0, unchanged: 0, orphaned: 0 }),
      [loc('catalog/teams/payments.yml')]: expect.objectContaining({ created: 1 }),
      [loc('elsewhere/extra.yaml')]: expect.objectContaining({ created: 1 }),
    });
    expect(await w.store.get('component:default/refunds-service')).toMatchObject({ location: loc('elsewhere/extra.yaml'), status: 'active' });
    const audit = await w.audit.find({ actor: IMPORT_ACTOR });
    expect(audit.map((a) => a.target).sort()).toEqual([loc('catalog/services.yaml'), loc('catalog/teams/payments.yml'), loc('elsewhere/extra.yaml')].sort());
    expect(audit[0]).toMatchObject({ action: 'catalog.import', result: 'success', details: expect.objectContaining({ created: expect.any(Number) }) });
  });

  it('re-imports unchanged files with no write at all: same revision, no audit record', async () => {
    const revision = await w.store.currentRevision();
    const writes = w.store.stats.writes;
    const audits = (await w.audit.find({ actor: IMPORT_ACTOR })).length;
    const results = await w.service.importLocations([path.join(root, 'catalog')]);
    expect(changes(results)).toBe(0);
    expect(results.reduce((n, r) => n + r.unchanged, 0)).toBe(4);
    expect(await w.store.currentRevision()).toBe(revision);
    expect(w.store.stats.writes).toBe(writes);
    expect(await w.audit.find({ actor: IMPORT_ACTOR })).toHaveLength(audits);
  });

  it('treats a reformatted but equal file as unchanged (no entity written)', async () => {
    const revision = await w.store.currentRevision();
    write(root, 'catalog/teams/payments.yml', '# reformatted\nkind: Group\napiVersion: backstage.io/v1alpha1\nmetadata: { name: team-payments }\nspec: { children: [], type: team }\n');
    const results = await w.service.importLocations([path.join(root, 'catalog')]);
    expect(byLocation(results)[loc('catalog/teams/payments.yml')]).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    expect(await w.store.currentRevision()).toBe(revision);
  });

  it('orphans an entity removed from its file, and the entities of a file deleted from the folder', async () => {
    write(root, 'catalog/services.yaml', docs(component('payments-api'), location('more', './../elsewhere/extra.yaml')));
    rmSync(path.join(root, 'catalog/teams/payments.yml'));
    const results = await w.service.importLocations([path.join(root, 'catalog')]);
    expect(problemsOf(results)).toEqual([]);
    expect(byLocation(results)[loc('catalog/services.yaml')]).toMatchObject({ unchanged: 1, orphaned: 1 });
    expect(byLocation(results)[loc('catalog/teams/payments.yml')]).toMatchObject({ orphaned: 1 });
    expect((await w.store.get('component:default/payments-web'))?.status).toBe('orphaned');
    expect((await w.store.get('group:default/team-payments'))?.status).toBe('orphaned');
    expect((await w.store.get('component:default/refunds-service'))?.status).toBe('active');
    const audit = await w.audit.find({ target: loc('catalog/teams/payments.yml') });
    expect(audit[0]?.details).toMatchObject({ orphaned: 1 });
  });

  it('brings an orphan back when its descriptor returns', async () => {
    write(root, 'catalog/teams/payments.yml', group('team-payments'));
    const results = await w.service.importLocations([path.join(root, 'catalog')]);
    expect(byLocation(results)[loc('catalog/teams/payments.yml')]).toMatchObject({ updated: 1 });
    expect((await w.store.get('group:default/team-payments'))?.status).toBe('active');
  });

  it('reads a file with a byte-order mark and non-ASCII text, and finds it unchanged the next time', async () => {
    write(root, 'catalog/zahlung.yaml', `\uFEFF${component('zahlungs-dienst', '  title: Zahlungsdienst für Überweisungen ✓\n')}`);
    const first = await w.service.importLocations([path.join(root, 'catalog/zahlung.yaml')]);
    expect(problemsOf(first)).toEqual([]);
    expect(byLocation(first)[loc('catalog/zahlung.yaml')]).toMatchObject({ created: 1 });
    expect(await w.store.get('component:default/zahlungs-dienst')).toMatchObject({ title: 'Zahlungsdienst für Überweisungen ✓' });
    const writes = w.store.stats.writes;
    const again = await w.service.importLocations([path.join(root, 'catalog/zahlung.yaml')]);
    expect(byLocation(again)[loc('catalog/zahlung.yaml')]).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    expect(w.store.stats.writes).toBe(writes);
  });
});

describe('importLocations: files too large to be descriptors', () => {
  let w: World;
  let root: string;
  const loc = (file: string) => `file:${path.join(root, file)}`;
  const huge = 'x'.repeat(MAX_DESCRIPTOR_BYTES + 1);

  beforeAll(() => {
    w = world();
    root = tempTree({
      'dump.yaml': `# ${huge}\n`,
      'api.yaml': 'apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: big-api\nspec:\n  type: openapi\n  lifecycle: production\n  owner: team-payments\n  definition:\n    $text: ./openapi.json\n',
      'openapi.json': `{"openapi": "3.0.0", "x": "${huge}"}`, // not *.yaml: the folder walk does not take it for a descriptor
    });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('refuses a descriptor over the limit before reading it, and keeps an entity whose placeholder target is over it, without the text', async () => {
    const results = await w.service.importLocations([root]);
    expect(problemsOf(results)).toEqual([expect.objectContaining({ location: loc('dump.yaml'), reason: expect.stringMatching(/^cannot be read: is 5\.0 MB, larger than the 5 MB a descriptor or placeholder target may be$/) })]);
    const api = await w.store.get('api:default/big-api');
    expect(api).toMatchObject({ status: 'active', definition: { source: 'file', target: './openapi.json' } });
    expect(api!.definition!.bytes).toBeUndefined();
    expect(results.flatMap((r) => r.notes).map((n) => n.message).join('\n')).toMatch(/larger than the 5 MB/);
  });
});

describe('importLocations: invalid files next to valid ones', () => {
  let w: World;
  let root: string;
  const loc = (file: string) => `file:${path.join(root, file)}`;

  beforeAll(() => {
    w = world();
    root = tempTree({
      'a-valid.yaml': docs(component('orders-api'), component('orders-web')),
      'b-broken-yaml.yaml': 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: [unclosed\n',
      'c-invalid-entity.yaml': docs(component('no-owner').replace('  owner: team-payments\n', ''), component('stock-service')),
      'd-dangling.yaml': location('dangling', './does-not-exist.yaml'),
    });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('imports the valid entities and reports each problem with its file, entity name and reason', async () => {
    const results = await w.service.importLocations([root, path.join(root, 'no-such-folder')]);
    const r = byLocation(results);
    expect(r[loc('a-valid.yaml')]).toMatchObject({ created: 2, problems: [] });
    expect(r[loc('b-broken-yaml.yaml')]).toMatchObject({ created: 0, problems: [{ location: loc('b-broken-yaml.yaml'), reason: expect.stringMatching(/^invalid YAML: .* at line \d+, column \d+$/) }] });
    expect(r[loc('c-invalid-entity.yaml')]).toMatchObject({
      created: 1,
      problems: [{ location: loc('c-invalid-entity.yaml'), entity: 'no-owner', reason: 'spec.owner is required (document 1)' }],
    });
    expect(r[loc('d-dangling.yaml')]?.problems).toEqual([{ location: loc('d-dangling.yaml'), reason: `Location target ${path.join(root, 'does-not-exist.yaml')}: no such file or folder` }]);
    expect(r[loc('no-such-folder')]?.problems).toEqual([{ location: loc('no-such-folder'), reason: 'cannot be read: no such file or folder' }]);
    expect(await w.store.count()).toBe(3);
  });

  it('reports the same problems again when the files have not changed, without writing', async () => {
    const revision = await w.store.currentRevision();
    const results = await w.service.importLocations([root]);
    expect(problemsOf(results).map((p) => p.entity ?? p.location).sort()).toEqual([loc('b-broken-yaml.yaml'), loc('d-dangling.yaml'), 'no-owner'].sort());
    expect(await w.store.currentRevision()).toBe(revision);
  });

  it('keeps the stored version of an entity that becomes invalid instead of orphaning it', async () => {
    write(root, 'a-valid.yaml', docs(component('orders-api'), component('orders-web', '  tags: [Not Valid]\n')));
    const results = await w.service.importLocations([root]);
    expect(byLocation(results)[loc('a-valid.yaml')]).toMatchObject({ orphaned: 0, problems: [{ entity: 'orders-web', reason: expect.stringContaining('"tags.0" is not valid') }] });
    expect((await w.store.get('component:default/orders-web'))?.status).toBe('active');
  });

  it('reports an entity declared by two files as a conflict, leaving it with the first', async () => {
    write(root, 'e-copy.yaml', component('orders-api', '  title: A different orders API\n'));
    const results = await w.service.importLocations([root]);
    expect(byLocation(results)[loc('e-copy.yaml')]?.problems).toEqual([
      { location: loc('e-copy.yaml'), entity: 'orders-api', reason: expect.stringContaining(`component:default/orders-api is already defined in ${loc('a-valid.yaml')}`) },
    ]);
    expect((await w.store.get('component:default/orders-api'))?.location).toBe(loc('a-valid.yaml'));
  });
});

describe('importAzureDevOps: catalog-info.yaml at the root of each repository (real adapter + stand-in)', () => {
  const EXTRA: DemoProject = {
    id: '30000000-0000-4000-c000-0000000000d1',
    name: 'Orders',
    description: 'Orders services',
    repositories: [
      { id: '31000000-0000-4000-c000-0000000000d1', name: 'orders-service', stack: 'node', files: { '/catalog-info.yaml': docs(component('orders-service'), location('more', './docs/more.yaml')), '/docs/more.yaml': component('orders-worker') } },
      { id: '31000000-0000-4000-c000-0000000000d2', name: 'no-descriptor', stack: 'node', files: { '/README.md': '# nothing for the catalog\n' } },
    ],
  };
  const PROJECTS = ['Payments', 'Search', 'Platform', 'Orders'];
  const standIn = new AzureDevOpsStandIn({ org: DEMO_ORG, projects: [...DEMO_PROJECTS, EXTRA] });
  let w: World;

  const repoOf = (project: string, name: string) => standIn.state.repo(name, standIn.state.project(project))!;

  function pushFile(project: string, repoName: string, file: string, content: string | null): void {
    const repo = repoOf(project, repoName);
    const head = repo.git.resolve(undefined)!;
    const changeType = content === null ? 'delete' : head.files.has(file) ? 'edit' : 'add';
    repo.git.push('refs/heads/main', head.commitId ?? ZERO_ID, [{ comment: `update ${file}`, changes: [{ changeType, path: file, ...(content === null ? {} : { content: Buffer.from(content) }) }] }]);
  }

  beforeAll(async () => {
    await standIn.start(0);
    w = world(new AzureDevOpsSourceControl({ orgUrl: standIn.collectionUrl, token: 'catalog-import-test' }));
  });
  afterAll(() => standIn.close());

  it("imports each repository's Component (and what its Location entities point to), leaving repositories without one alone", async () => {
    const results = await w.service.importAzureDevOps(PROJECTS);
    expect(problemsOf(results)).toEqual([]);
    expect(Object.keys(byLocation(results)).sort()).toEqual([
      'azure-devops:Orders/orders-service',
      'azure-devops:Orders/orders-service/docs/more.yaml',
      'azure-devops:Payments/payments-api',
      'azure-devops:Payments/payments-web',
      'azure-devops:Platform/platform-templates',
      'azure-devops:Search/search-indexer',
    ]);
    expect(results.every((r) => r.created === 1)).toBe(true);
    expect(await w.store.get('component:default/payments-api')).toMatchObject({
      location: 'azure-devops:Payments/payments-api',
      owner: 'group:default/team-payments',
      source: { repository: { project: 'Payments', name: 'payments-api', url: 'https://dev.azure.com/contoso/Payments/_git/payments-api' } },
    });
    // No project-repo annotation: the repository it was read from.
    expect((await w.store.get('component:default/orders-service'))?.source.repository).toMatchObject({ project: 'Orders', name: 'orders-service', url: expect.stringContaining('/Orders/_git/orders-service') });
    expect(await w.audit.find({ actor: IMPORT_ACTOR })).toHaveLength(6);
  });

  it('re-imports unchanged repositories without writing', async () => {
    const revision = await w.store.currentRevision();
    const writes = w.store.stats.writes;
    const results = await w.service.importAzureDevOps(PROJECTS);
    expect(changes(results)).toBe(0);
    expect(w.store.stats.writes).toBe(writes);
    expect(await w.store.currentRevision()).toBe(revision);
  });

  it('updates a changed descriptor, orphans the entities of one that disappeared or of a deleted repository', async () => {
    pushFile('Payments', 'payments-web', '/catalog-info.yaml', component('payments-web', '  title: Payments web v2\n'));
    pushFile('Payments', 'payments-api', '/catalog-info.yaml', null);
    standIn.state.deleteRepo(repoOf('Platform', 'platform-templates'));
    const r = byLocation(await w.service.importAzureDevOps(PROJECTS));
    expect(r['azure-devops:Payments/payments-web']).toMatchObject({ updated: 1 });
    expect(r['azure-devops:Payments/payments-api']).toMatchObject({ orphaned: 1 });
    expect(r['azure-devops:Platform/platform-templates']).toMatchObject({ orphaned: 1 });
    expect((await w.store.get('component:default/payments-web'))?.title).toBe('Payments web v2');
    expect((await w.store.get('component:default/payments-api'))?.status).toBe('orphaned');
    expect((await w.store.get('component:default/platform-templates'))?.status).toBe('orphaned');
  });

  it('reports a project it cannot list and keeps what it holds', async () => {
    const results = await w.service.importAzureDevOps(['No Such Project', 'Search']);
    expect(byLocation(results)['azure-devops:No Such Project']?.problems).toEqual([
      { location: 'azure-devops:No Such Project', reason: expect.stringContaining('cannot list repositories') },
    ]);
    expect((await w.store.get('component:default/orders-service'))?.status).toBe('active');
  });
});

describe('the sandbox seed catalog', () => {
  it('imports with no problem, and the seeded repositories agree with it (no conflict, no write)', async () => {
    const standIn = new AzureDevOpsStandIn({ org: DEMO_ORG, projects: DEMO_PROJECTS });
    await standIn.start(0);
    try {
      const w = world(new AzureDevOpsSourceControl({ orgUrl: standIn.collectionUrl, token: 'seed-test' }));
      const results = await w.service.importLocations([SEED_CATALOG]);
      expect(problemsOf(results)).toEqual([]);
      expect(await w.store.count()).toBe(38);
      const api = await w.store.get('component:default/payments-api');
      expect(api).toMatchObject({ owner: 'group:default/team-payments', tier: 'tier-1', aliases: expect.arrayContaining(['payapi']), onCall: { current: { email: 'alice@contoso.example' } } });
      const team = await w.store.get('group:default/team-payments');
      expect(team?.contacts.teamsChannelUrl).toBe(
        'https://teams.microsoft.com/l/channel/19%3Apayments-general%40thread.tacv2/General?groupId=10000000-0000-4000-b000-000000000001&tenantId=c0ffee00-0000-4000-8000-000000000001',
      );
      const revision = await w.store.currentRevision();
      const fromRepos = await w.service.importAzureDevOps(DEMO_PROJECTS.map((p) => p.name));
      expect(problemsOf(fromRepos)).toEqual([]);
      expect(fromRepos.map((r) => [r.location, r.unchanged])).toEqual(expect.arrayContaining([['azure-devops:Payments/payments-api', 1]]));
      expect(fromRepos).toHaveLength(4);
      expect(changes(fromRepos)).toBe(0);
      expect(await w.store.currentRevision()).toBe(revision);
    } finally {
      await standIn.close();
    }
  });
});

describe('CatalogFactsService: deployments and on-call from outside', () => {
  let w: World;
  let root: string;
  const pipeline = { id: 'pipeline:payments-api-deploy', name: 'payments-api deploy stage' };

  const failure = domainFailure;

  beforeAll(async () => {
    w = world();
    root = tempTree({ 'catalog-info.yaml': component('payments-api', '  annotations:\n    idp.dev/oncall-current: Alice <alice@contoso.example>\n') });
    await w.service.importLocations([root]);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('records a deployment by name, audits it, and keeps it across a re-import that changes the entity', async () => {
    const entity = await w.facts.recordDeployment(
      { service: 'payments-api', environment: 'Prod', version: '1.4.2', status: 'succeeded', pipelineRunUrl: 'https://dev.azure.com/contoso/Payments/_build/results?buildId=42', deployedAt: '2025-03-01T10:00:00Z' },
      pipeline,
    );
    expect(entity.deployments).toEqual([
      { environment: 'prod', version: '1.4.2', status: 'succeeded', deployedAt: new Date('2025-03-01T10:00:00Z'), pipelineRunUrl: 'https://dev.azure.com/contoso/Payments/_build/results?buildId=42' },
    ]);
    expect(await w.audit.find({ action: 'catalog.deployment.record' })).toEqual([
      expect.objectContaining({ actor: pipeline.id, actorName: pipeline.name, target: 'component:default/payments-api', result: 'success', details: expect.objectContaining({ environment: 'prod', version: '1.4.2' }) }),
    ]);

    write(root, 'catalog-info.yaml', component('payments-api', '  title: Payments API\n  annotations:\n    idp.dev/oncall-current: Alice <alice@contoso.example>\n'));
    const results = await w.service.importLocations([root]);
    expect(results[0]).toMatchObject({ updated: 1 });
    const after = await w.store.get('component:default/payments-api');
    expect(after?.title).toBe('Payments API');
    expect(after?.deployments).toEqual([expect.objectContaining({ environment: 'prod', version: '1.4.2' })]);
  });

  it('records by full ref too, and defaults the time to now', async () => {
    const before = Date.now();
    const entity = await w.facts.recordDeployment({ service: 'component:default/payments-api', environment: 'staging', version: '1.5.0', status: 'in_progress' }, pipeline);
    const staging = entity.deployments.find((d) => d.environment === 'staging');
    expect(staging?.deployedAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(entity.deployments.map((d) => d.environment)).toEqual(['prod', 'staging']);
  });

  it('sets who is on call, over the descriptor, and keeps it across re-imports', async () => {
    const entity = await w.facts.setOnCall({ service: 'payments-api', current: { name: 'Grace Oncall', email: 'grace@contoso.example' }, until: '2025-03-02T08:00:00Z', rotation: 'payments-primary' }, { id: 'system:pagerduty-sync' });
    expect(entity.onCall).toMatchObject({ rotation: 'payments-primary', current: { name: 'Grace Oncall', email: 'grace@contoso.example', until: new Date('2025-03-02T08:00:00Z') } });
    write(root, 'catalog-info.yaml', component('payments-api', '  title: Payments API v3\n  annotations:\n    idp.dev/oncall-current: Alice <alice@contoso.example>\n'));
    await w.service.importLocations([root]);
    expect((await w.store.get('component:default/payments-api'))?.onCall?.current?.name).toBe('Grace Oncall');
    expect(await w.audit.find({ action: 'catalog.oncall.set' })).toHaveLength(1);
  });

  it('rejects invalid input with reasons naming each field, and changes nothing', async () => {
    const revision = await w.store.currentRevision();
    const e = await failure(
      w.facts.recordDeployment({ service: 'payments-api', environment: 'prod east', version: '', status: 'done' as never, pipelineRunUrl: 'ftp://x', deployedAt: 'yesterday' }, pipeline),
    );
    expect(e.code).toBe('CATALOG.INVALID');
    expect(e.details.problems).toEqual([
      expect.stringMatching(/^environment: must be a short name/),
      'version: is required',
      expect.stringMatching(/^status: must be one of succeeded, failed, in_progress, rolled_back/),
      'pipelineRunUrl: must be an http(s) URL',
      expect.stringMatching(/^deployedAt: must be a date/),
    ]);
    expect((await failure(w.facts.setOnCall({ service: 'payments-api', current: { name: 'X', email: 'not-an-email' } }, pipeline))).details.problems).toEqual(['current.email: must be an email address']);
    expect((await failure(w.facts.recordDeployment({ service: 'no-such-service', environment: 'prod', version: '1', status: 'failed' }, pipeline))).code).toBe('CATALOG.NOT_FOUND');
    expect((await failure(w.facts.recordDeployment({ service: 'api:nope', environment: 'prod', version: '1', status: 'failed' }, pipeline))).code).toBe('CATALOG.NOT_FOUND');
    expect(await w.store.currentRevision()).toBe(revision);
    expect(await w.audit.find({ action: 'catalog.deployment.record' })).toHaveLength(2);
  });
});
