/**
 * Backstage fidelity: every YAML document of a folder read as Backstage's catalog would read it
 * (kept / rejected, kind, ref, owner; see test/helpers/backstage-compat.ts for Backstage's side),
 * then the folder imported for real (Mongo store) to check what is stored: APIs with placeholder
 * definitions kept, their definition reference, owners, notes instead of problems for non-entity
 * YAML, and a changed placeholder target making a changed entity.
 *
 * Our own fixtures (test/fixtures/descriptors) always run. The two corpora nobody here wrote run
 * when CATALOG_CORPORA_DIR names a folder holding them (`.ci/run` sets it when it has them).
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
import { ZERO_ID } from '../../src/sandbox/standins/azure-devops/git-store';
import { backstageVerdicts, compareFolder, yamlFilesUnder } from '../helpers/backstage-compat';

const FIXTURES = path.join(__dirname, '../fixtures/descriptors');
const EXPECTED = JSON.parse(readFileSync(path.join(FIXTURES, 'expected.json'), 'utf8')) as { kept: string[]; rejected: string[]; skipped: number };
const CORPORA = process.env.CATALOG_CORPORA_DIR;
const HAVE_CORPORA = !!CORPORA && existsSync(path.join(CORPORA, 'backstage-examples')) && existsSync(path.join(CORPORA, 'real-descriptors'));

let base: Connection;
beforeAll(async () => {
  base = await connectMongo(process.env.MONGODB_URI!, `compat_${randomUUID().slice(0, 8)}`);
});
afterAll(async () => base?.close());

function world(sourceControl?: AzureDevOpsSourceControl) {
  const conn = base.useDb(`compat_${randomUUID().replace(/-/g, '').slice(0, 12)}`, { useCache: false });
  const store = new MongoCatalogStore(conn);
  return { store, service: new CatalogImportService({ store, audit: new MongoAuditLog(conn), descriptors: new FileDescriptorSource(), ...(sourceControl ? { sourceControl } : {}) }) };
}

const problemsOf = (results: ImportResult[]) => results.flatMap((r) => r.problems);
const notesOf = (results: ImportResult[]) => results.flatMap((r) => r.notes);
const changes = (results: ImportResult[]) => results.reduce((n, r) => n + r.created + r.updated + r.orphaned, 0);

describe("the project's own descriptor fixtures, against @backstage/catalog-model", () => {
  it('reads every document as Backstage does (kept / rejected, kind, ref, owner)', async () => {
    const c = await compareFolder(FIXTURES);
    expect(c.mismatches).toEqual([]);
    expect(c.kept).toBe(EXPECTED.kept.length);
    expect(c.skipped).toBe(EXPECTED.skipped);
    expect(c.placeholders).toEqual({ file: 3, url: 1, unread: 1 }); // orders.oas.yaml, annotations.yaml, depends-on.json; billing URL; missing.yaml
  });

  it('the reference side is not a copy of ours: it rejects what Backstage rejects, with its own words', async () => {
    const verdicts = await backstageVerdicts(path.join(FIXTURES, 'invalid/catalog-info.yaml'));
    expect(verdicts.map((v) => v.verdict)).toEqual(EXPECTED.rejected.map(() => 'rejected'));
    expect(verdicts.every((v) => v.reason && !/document \d/.test(v.reason))).toBe(true);
  });

  it('imports the folder: keeps every valid entity (Template, a plugin kind, null annotations), rejects the invalid ones with file, name and reason, notes the rest', async () => {
    const { store, service } = world();
    const root = mkdtempSync(path.join(os.tmpdir(), 'compat-'));
    cpSync(FIXTURES, root, { recursive: true });
    const results = await service.importLocations([root]);

    expect((await store.getMany(EXPECTED.kept)).map((e) => e.ref).sort()).toEqual([...EXPECTED.kept].sort());
    const problems = problemsOf(results);
    expect(problems.map((p) => p.entity).sort()).toEqual([...EXPECTED.rejected].sort());
    expect(problems.every((p) => p.location === `file:${path.join(root, 'invalid/catalog-info.yaml')}` && p.reason)).toBe(true);
    const notes = notesOf(results);
    expect(notes.filter((n) => /not a catalog entity/.test(n.message)).map((n) => path.relative(root, n.location.slice(5))).sort()).toEqual([
      'apis/annotations.yaml', 'apis/orders.oas.yaml', 'not-entities/openapi.yaml', 'not-entities/values.yaml',
    ]);
    expect(notes).toContainEqual({ location: `file:${path.join(root, 'apis/catalog-info.yaml')}`, entity: 'ghost-api', message: expect.stringMatching(/^spec\.definition: \$text target \.\/missing\.yaml could not be read .* \(document 3\)$/) });

    const [orders, billing, ghost, inline, service_, template, scorecard, quiet] = await store.getMany([
      'api:default/orders-api', 'api:default/billing-api', 'api:default/ghost-api', 'api:default/inline-api', 'component:default/orders-service',
      'template:default/node-service', 'scorecard:default/security-scorecard', 'component:default/quiet-service',
    ]);
    const oas = readFileSync(path.join(root, 'apis/orders.oas.yaml'));
    expect(orders!.definition).toEqual({ source: 'file', target: './orders.oas.yaml', bytes: oas.length });
    expect(billing!.definition).toEqual({ source: 'url', target: 'https://github.example/acme/billing/blob/main/openapi.yaml' });
    expect(ghost!.definition).toEqual({ source: 'file', target: './missing.yaml' });
    expect(inline!.definition).toEqual({ source: 'inline', bytes: 'type Query { hello: String }\n'.length });
    expect(service_!.relations).toEqual(expect.arrayContaining([{ type: 'dependsOn', target: 'resource:default/orders-db' }, { type: 'dependsOn', target: 'component:default/payments-service' }]));
    expect(service_!.contacts.email).toBeUndefined(); // $yaml annotations are read (not ours), and nothing breaks
    expect(template).toMatchObject({ kind: 'Template', owner: 'group:default/platform', type: 'service', relations: [{ type: 'ownedBy', target: 'group:default/platform' }] });
    expect(scorecard).toMatchObject({ kind: 'Scorecard', owner: 'group:default/team-security', system: 'system:default/platform', lifecycle: 'production' });
    expect(quiet).toMatchObject({ kind: 'Component', owner: 'group:default/team-orders' });

    // Owners that are not in the catalog are kept as written; namespaces tell two guests apart.
    const owners = await store.getMany(['component:default/guest-owned', 'component:alternative/toast-service', 'component:default/mailed-service']);
    expect(owners.map((e) => e.owner)).toEqual(['group:default/guest', 'group:default/toast-infra', 'group:default/jane.doe@example.com']);

    // A changed placeholder target is a changed entity; nothing else is written.
    expect(changes(await service.importLocations([root]))).toBe(0);
    writeFileSync(path.join(root, 'apis/orders.oas.yaml'), `${oas.toString('utf8')}# v2\n`);
    const again = await service.importLocations([root]);
    expect(again.filter((r) => r.updated).map((r) => [path.relative(root, r.location.slice(5)), r.updated])).toEqual([['apis/catalog-info.yaml', 1]]);
    expect((await store.get('api:default/orders-api'))!.definition).toEqual({ source: 'file', target: './orders.oas.yaml', bytes: oas.length + 5 });
    // An unchanged file still reports its notes.
    expect(notesOf(again)).toHaveLength(notes.length);
  });
});

describe('placeholders in Azure DevOps repositories (real adapter + stand-in)', () => {
  const api = (name: string, target: string) =>
    `apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: ${name}\nspec:\n  type: openapi\n  lifecycle: production\n  owner: team-orders\n  definition:\n    $text: ${target}\n`;
  const PROJECT: DemoProject = {
    id: '30000000-0000-4000-c000-0000000000e1',
    name: 'Orders',
    description: 'Orders services',
    repositories: [
      { id: '31000000-0000-4000-c000-0000000000e1', name: 'orders-api', stack: 'node', files: { '/catalog-info.yaml': '', '/api/openapi.yaml': 'openapi: 3.0.3\n' } },
      { id: '31000000-0000-4000-c000-0000000000e2', name: 'shared-specs', stack: 'node', files: { '/specs/billing.yaml': 'openapi: 3.1.0\n' } },
    ],
  };
  const standIn = new AzureDevOpsStandIn({ org: DEMO_ORG, projects: [PROJECT] });
  let sourceControl: AzureDevOpsSourceControl;

  function pushFile(repoName: string, file: string, content: string): void {
    const repo = standIn.state.repo(repoName, standIn.state.project('Orders'))!;
    const head = repo.git.resolve(undefined)!;
    repo.git.push('refs/heads/main', head.commitId ?? ZERO_ID, [{ comment: `update ${file}`, changes: [{ changeType: head.files.has(file) ? 'edit' : 'add', path: file, content: Buffer.from(content) }] }]);
  }

  beforeAll(async () => {
    await standIn.start(0);
    sourceControl = new AzureDevOpsSourceControl({ orgUrl: standIn.collectionUrl, token: 'compat-test' });
  });
  afterAll(() => standIn.close());

  it('reads relative targets and URLs of configured repositories through the adapter, keeps other URLs as references, and a changed target changes the entity', async () => {
    const shared = (await sourceControl.getRepository('Orders', 'shared-specs'))!;
    pushFile('orders-api', '/catalog-info.yaml', [
      api('orders-rest', './api/openapi.yaml'),
      api('billing-rest', `${shared.webUrl}?path=/specs/billing.yaml&version=GBmain`),
      api('elsewhere-rest', 'https://specs.elsewhere.example/billing.yaml'),
      api('escaping-rest', '../../etc/passwd'),
    ].join('---\n'));
    const { store, service } = world(sourceControl);
    const results = await service.importAzureDevOps(['Orders']);
    expect(problemsOf(results)).toEqual([]);
    const [orders, billing, elsewhere, escaping] = await store.getMany(['api:default/orders-rest', 'api:default/billing-rest', 'api:default/elsewhere-rest', 'api:default/escaping-rest']);
    expect(orders!.definition).toEqual({ source: 'file', target: './api/openapi.yaml', bytes: 'openapi: 3.0.3\n'.length });
    expect(billing!.definition).toMatchObject({ source: 'url', bytes: 'openapi: 3.1.0\n'.length });
    expect(elsewhere!.definition).toEqual({ source: 'url', target: 'https://specs.elsewhere.example/billing.yaml' });
    expect(escaping!.definition).toEqual({ source: 'file', target: '../../etc/passwd' });
    expect(notesOf(results).map((n) => n.entity).sort()).toEqual(['elsewhere-rest', 'escaping-rest']);

    expect(changes(await service.importAzureDevOps(['Orders']))).toBe(0);
    pushFile('shared-specs', '/specs/billing.yaml', 'openapi: 3.1.1\n# changed\n');
    const again = await service.importAzureDevOps(['Orders']);
    expect(again.reduce((n, r) => n + r.updated, 0)).toBe(1);
    expect((await store.get('api:default/billing-rest'))!.definition?.bytes).toBe('openapi: 3.1.1\n# changed\n'.length);
  });
});

(HAVE_CORPORA ? describe : describe.skip)(
  HAVE_CORPORA ? 'the Backstage corpora in CATALOG_CORPORA_DIR, against @backstage/catalog-model' : 'SKIPPED: the Backstage corpora (CATALOG_CORPORA_DIR is not set or does not hold backstage-examples/ and real-descriptors/)',
  () => {
    it.each(['backstage-examples', 'real-descriptors'])('%s: every document read as Backstage reads it', async (corpus) => {
      const c = await compareFolder(path.join(CORPORA!, corpus));
      expect(c.mismatches).toEqual([]);
      expect(c.documents).toBeGreaterThan(50);
    });

    it.each(['backstage-examples', 'real-descriptors'])('%s: a folder import keeps every API Backstage keeps ($text definitions included) and every owner', async (corpus) => {
      const folder = path.join(CORPORA!, corpus);
      const verdicts = (await Promise.all(yamlFilesUnder(folder).map(backstageVerdicts))).flat().filter((v) => v.verdict === 'kept');
      const keptRefs = [...new Set(verdicts.map((v) => v.ref!))];
      const { store, service } = world();
      await service.importLocations([folder]);
      const stored = await store.getMany(keptRefs);
      expect(stored.map((e) => e.ref).sort()).toEqual(keptRefs.sort());
      const apis = stored.filter((e) => e.kind === 'API');
      expect(apis.length).toBe(new Set(verdicts.filter((v) => v.kind === 'api').map((v) => v.ref)).size);
      expect(apis.filter((a) => a.definition?.source !== 'inline').length).toBeGreaterThan(0); // placeholders kept, not dropped
      // Owners: the one written (a ref declared by several files is held by one of them, so any of theirs).
      const owners = new Map<string, Set<string | undefined>>();
      for (const v of verdicts) owners.set(v.ref!, (owners.get(v.ref!) ?? new Set()).add(v.owner));
      expect(stored.filter((e) => !owners.get(e.ref)!.has(e.owner)).map((e) => [e.ref, e.owner])).toEqual([]);
      expect(stored.filter((e) => e.owner).length).toBeGreaterThanOrEqual(keptRefs.filter((r) => ![...owners.get(r)!].includes(undefined)).length);
    });
  },
);
if (!HAVE_CORPORA) console.log('backstage-compat: the Backstage corpora are skipped (set CATALOG_CORPORA_DIR to a folder holding backstage-examples/ and real-descriptors/)');
