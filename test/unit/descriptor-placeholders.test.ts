/**
 * Backstage fidelity, the parsing side: `$text`/`$json`/`$yaml` placeholders (PlaceholderProcessor
 * semantics, never a rejection), kinds without a Backstage validator kept, `annotations: null`
 * tolerated (and only that), YAML that is not an entity skipped with a note, API definitions, and
 * the definition reference surviving the index's details codec.
 */
import path from 'node:path';
import { DetailsCodec } from '../../src/adapters/catalog-index/details-codec';
import { InMemoryCatalogSearch } from '../../src/adapters/catalog-index/in-memory-catalog-search';
import { FileDescriptorSource } from '../../src/adapters/files/file-descriptor-source.adapter';
import { fileLocation } from '../../src/domain/catalog/catalog-locations';
import { fileReader } from '../../src/domain/catalog/location-readers';
import { findPlaceholders, placeholderFingerprint, placeholderTargetsOf, resolvePlaceholders, type PlaceholderRead } from '../../src/domain/catalog/descriptor-placeholders';
import { parseDescriptors } from '../../src/domain/catalog/descriptor-parser';
import { runImport, type LocationReader } from '../../src/domain/catalog/import-run';
import { InMemoryAuditLog } from '../fakes/in-memory-audit-log';
import { InMemoryCatalogStore } from '../fakes/in-memory-catalog-store';

const LOC = 'file:/repo/catalog-info.yaml';
const api = (name: string, definition: string) =>
  `apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: ${name}\nspec:\n  type: openapi\n  lifecycle: production\n  owner: team-a\n  definition:\n    ${definition}\n`;
const changesOf = (results: { created: number; updated: number; orphaned: number }[]) => results.reduce((n, r) => n + r.created + r.updated + r.orphaned, 0);
const targets = (entries: Record<string, PlaceholderRead>) => new Map(Object.entries(entries));

describe('findPlaceholders / resolvePlaceholders: Backstage PlaceholderProcessor semantics', () => {
  const doc = {
    spec: {
      definition: { $text: './a.yaml' },
      list: [{ $json: './b.json' }, 'plain'],
      schema: { $ref: '#/definitions/x' }, // JSON schema, not a placeholder
      mixed: { $text: './c', other: 1 }, // more than one key: left alone
      notString: { $yaml: 5 },
      unknown: { $file: './d' },
      nested: { deeper: { $yaml: './e.yaml' } },
    },
  };

  it('finds exactly the one-key $text/$json/$yaml objects with a string target, with their paths', () => {
    expect(findPlaceholders(doc)).toEqual([
      { key: 'text', target: './a.yaml', path: 'spec.definition' },
      { key: 'json', target: './b.json', path: 'spec.list[0]' },
      { key: 'yaml', target: './e.yaml', path: 'spec.nested.deeper' },
    ]);
  });

  it('replaces them with the text or the parsed data, leaves the rest alone and does not change its input', () => {
    const { value, resolved } = resolvePlaceholders(doc, targets({ './a.yaml': { text: 'openapi: 3.0.3\n' }, './b.json': { text: '{"a":[1]}' }, './e.yaml': { text: 'x: 1\n' } }));
    expect(value).toEqual({ spec: { ...doc.spec, definition: 'openapi: 3.0.3\n', list: [{ a: [1] }, 'plain'], nested: { deeper: { x: 1 } } } });
    expect(doc.spec.definition).toEqual({ $text: './a.yaml' });
    expect(resolved.map((r) => [r.path, r.source, r.bytes, r.unread])).toEqual([
      ['spec.definition', 'file', 15, undefined],
      ['spec.list[0]', 'file', 9, undefined],
      ['spec.nested.deeper', 'file', 5, undefined],
    ]);
  });

  it('stands a target that is not read in as its own text, and says why: a URL reference, a missing file, data that does not parse', () => {
    const d = { a: { $text: 'https://x.example/spec' }, b: { $text: './gone' }, c: { $json: './bad.json' }, e: { $yaml: './two.yaml' }, f: { $text: './never-asked' } };
    const { value, resolved } = resolvePlaceholders(d, targets({ 'https://x.example/spec': { reference: true }, './gone': { error: 'ENOENT' }, './bad.json': { text: '{nope' }, './two.yaml': { text: 'a: 1\n---\nb: 2\n' } }));
    expect(value).toEqual({ a: 'https://x.example/spec', b: './gone', c: './bad.json', e: './two.yaml', f: './never-asked' });
    expect(resolved.map((r) => [r.source, r.unread?.split(':')[0]])).toEqual([['url', 'reference'], ['file', 'ENOENT'], ['file', 'JSON does not parse'], ['file', 'YAML does not parse'], ['file', 'not read']]);
  });

  it('lists the distinct targets of a text, and fingerprints their contents (a changed target changes it; order does not)', () => {
    expect(placeholderTargetsOf(`${api('a', '$text: ./x.yaml')}---\n${api('b', '$text: ./x.yaml')}---\n${api('c', '$json: ./y.json')}`)).toEqual(['./x.yaml', './y.json']);
    const one = placeholderFingerprint(targets({ './x': { text: 'v1' }, './y': { reference: true } }));
    expect(placeholderFingerprint(targets({ './y': { reference: true }, './x': { text: 'v1' } }))).toBe(one);
    expect(placeholderFingerprint(targets({ './x': { text: 'v2' }, './y': { reference: true } }))).not.toBe(one);
    expect(placeholderFingerprint(undefined)).toBe('');
  });
});

describe('parseDescriptors: what Backstage keeps is kept', () => {
  it('keeps an API whose definition is a $text placeholder: read (file, bytes), a URL (reference), or unreadable (a note, never a problem)', async () => {
    const text = [api('read', '$text: ./openapi.yaml'), api('url', '$text: https://github.example/o/r/blob/main/openapi.yaml'), api('gone', '$text: ./missing.yaml')].join('---\n');
    const r = await parseDescriptors(text, LOC, { placeholders: targets({ './openapi.yaml': { text: 'openapi: 3.0.3\n' }, './missing.yaml': { error: 'ENOENT: no such file' } }) });
    expect(r.problems).toEqual([]);
    expect(r.entities.map((e) => [e.name, e.definition])).toEqual([
      ['read', { source: 'file', target: './openapi.yaml', bytes: 15 }],
      ['url', { source: 'url', target: 'https://github.example/o/r/blob/main/openapi.yaml' }],
      ['gone', { source: 'file', target: './missing.yaml' }],
    ]);
    expect(r.notes.map((n) => [n.entity, n.message.replace(/ \(document \d\)$/, '').split(' target ')[0]])).toEqual([['url', 'spec.definition: $text'], ['gone', 'spec.definition: $text']]);
    expect(r.notes[1]!.message).toMatch(/could not be read \(ENOENT: no such file\)/);
  });

  it('hashes the entity with its placeholder data: a changed target is a changed entity', async () => {
    const text = api('read', '$text: ./openapi.yaml');
    const [v1, v2] = await Promise.all(['v: 1', 'v: 2'].map((t) => parseDescriptors(text, LOC, { placeholders: targets({ './openapi.yaml': { text: t } }) })));
    expect(v1.entities[0]!.sourceHash).not.toBe(v2.entities[0]!.sourceHash);
  });

  it('records an inline definition with its size', async () => {
    const r = await parseDescriptors(api('inline', '"type Query { a: Int }"'), LOC);
    expect(r.entities[0]!.definition).toEqual({ source: 'inline', bytes: 'type Query { a: Int }'.length });
  });

  it('keeps an `mcp-server` API (remotes instead of a definition) and still rejects an API of another type without a definition', async () => {
    const mcp = (name: string, type: string) => `apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: ${name}\nspec:\n  type: ${type}\n  lifecycle: experimental\n  owner: team-a\n  remotes:\n    - { type: streamable-http, url: 'https://tools.example/mcp' }\n`;
    const r = await parseDescriptors(`${mcp('tools', 'mcp-server')}---\n${mcp('not-mcp', 'openapi')}`, LOC);
    expect(r.entities.map((e) => [e.name, e.definition])).toEqual([['tools', undefined]]);
    expect(r.problems.map((p) => [p.entity, p.reason])).toEqual([['not-mcp', 'spec.definition is required (document 2)']]);
  });

  it('keeps a Template and a plugin kind, spelled as written, with owner, system, type and lifecycle; a non-ref owner is no owner, not a rejection', async () => {
    const r = await parseDescriptors(
      [
        'apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: new-service\nspec:\n  owner: group:platform\n  type: service\n  steps: []\n',
        'apiVersion: example.com/v1\nkind: Scorecard\nmetadata:\n  name: sec\n  namespace: alternative\nspec:\n  owner: team-sec\n  system: platform\n  lifecycle: production\n',
        'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  owner: { team: x }\n',
      ].join('---\n'),
      LOC,
    );
    expect(r.problems).toEqual([]);
    expect(r.entities.map((e) => [e.ref, e.kind, e.owner, e.system, e.type, e.lifecycle])).toEqual([
      ['template:default/new-service', 'Template', 'group:default/platform', undefined, 'service', undefined],
      ['scorecard:alternative/sec', 'Scorecard', 'group:alternative/team-sec', 'system:alternative/platform', undefined, 'production'],
      ['widget:default/w', 'Widget', undefined, undefined, undefined, undefined],
    ]);
    expect(r.entities[1]!.relations).toEqual([{ type: 'ownedBy', target: 'group:alternative/team-sec' }, { type: 'partOf', target: 'system:alternative/platform' }]);
  });

  it('reads `annotations:` whose lines are all commented out (null) as no annotations, as Backstage does', async () => {
    const r = await parseDescriptors('apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: quiet\n  annotations:\n    # a: b\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n', LOC);
    expect(r.problems).toEqual([]);
    expect(r.entities.map((e) => [e.ref, e.aliases, e.tier, e.contacts])).toEqual([['component:default/quiet', [], undefined, {}]]);
  });

  it.each([
    ['labels', '  labels:\n', 'metadata.labels must be object'],
    ['links', '  links:\n', 'metadata.links must be array'],
  ])('still rejects a null %s, as Backstage does', async (_field, metadata, reason) => {
    const r = await parseDescriptors(`apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: x\n${metadata}spec:\n  type: service\n  lifecycle: production\n  owner: team-a\n`, LOC);
    expect(r.entities).toEqual([]);
    expect(r.problems.map((p) => p.reason)).toEqual([reason]);
  });

  it('skips YAML that is not an entity with a note, not a problem (nothing is held back from orphaning for it)', async () => {
    const r = await parseDescriptors(`openapi: 3.0.3\ninfo: { title: x, version: '1' }\n---\nreplicaCount: 2\n---\n${api('kept', '"x"')}`, LOC);
    expect(r.problems).toEqual([]);
    expect(r.skipped).toBe(2);
    expect(r.unidentifiedProblems).toBe(false);
    expect(r.notes.map((n) => n.message)).toEqual([
      'not a catalog entity (no apiVersion, no kind; an OpenAPI document): skipped (document 1)',
      'not a catalog entity (no apiVersion, no kind): skipped (document 2)',
    ]);
    expect(r.entities.map((e) => e.name)).toEqual(['kept']);
  });

  it('notes a Location URL target it does not follow, without a problem', async () => {
    const r = await parseDescriptors('apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: l\nspec:\n  targets: [./a.yaml, https://github.example/o/r/blob/main/b.yaml]\n', LOC);
    expect(r.problems).toEqual([]);
    expect(r.locationTargets).toEqual(['./a.yaml']);
    expect(r.notes).toEqual([{ location: LOC, entity: 'l', message: 'spec.targets: "https://github.example/o/r/blob/main/b.yaml" is a URL, not followed (only file targets relative to this file are)' }]);
  });
});

describe('import: placeholder targets are part of a location fingerprint', () => {
  function reader(files: Record<string, string>, calls: string[][]): LocationReader {
    return {
      read: async (locations) => locations.map((location) => (files[location] !== undefined ? { location, content: files[location]! } : { location, absent: true as const })),
      follow: async () => ({ locations: [], problems: [] }),
      parseOptions: () => ({}),
      readPlaceholders: async (_from, wanted) => {
        calls.push(wanted);
        return new Map(wanted.map((t) => [t, files[t] !== undefined ? { text: files[t]! } : { error: 'not found' }]));
      },
    };
  }
  const limits = { chunkSize: 10, maxPendingEntities: 100 };

  it('re-imports an unchanged descriptor whose target changed, skips it when neither changed, and reads no target for a text without placeholders', async () => {
    const deps = { store: new InMemoryCatalogStore(), audit: new InMemoryAuditLog() };
    const files: Record<string, string> = { [LOC]: api('a', '$text: ./spec.yaml'), './spec.yaml': 'v: 1', 'file:/repo/plain.yaml': api('b', '"inline"') };
    const calls: string[][] = [];
    const run = () => runImport(deps, reader(files, calls), [LOC, 'file:/repo/plain.yaml'], limits);
    const first = await run();
    expect(first.results.map((r) => r.created)).toEqual([1, 1]);
    expect((await deps.store.get('api:default/a'))!.definition).toEqual({ source: 'file', target: './spec.yaml', bytes: 4 });
    const second = await run();
    expect(second.results.map((r) => [r.created, r.updated, r.unchanged])).toEqual([[0, 0, 1], [0, 0, 1]]);
    expect(changesOf(second.results)).toBe(0);
    files['./spec.yaml'] = 'v: 22';
    const third = await run();
    expect(Object.fromEntries(third.results.map((r) => [r.location, r.updated]))).toEqual({ [LOC]: 1, 'file:/repo/plain.yaml': 0 });
    expect((await deps.store.get('api:default/a'))!.definition?.bytes).toBe(5);
    expect(calls).toEqual([['./spec.yaml'], ['./spec.yaml'], ['./spec.yaml']]);
  });
});

describe('the index keeps the definition reference', () => {
  it.each([
    [{ source: 'inline', bytes: 12 }],
    [{ source: 'file', target: './openapi.yaml', bytes: 3400 }],
    [{ source: 'url', target: 'https://github.example/o/r/blob/main/openapi.yaml' }],
    [undefined],
  ] as const)('round-trips %j through the details codec', (definition) => {
    const codec = new DetailsCodec();
    const details = { relations: [], contacts: {}, deployments: [], links: [], members: [], ...(definition ? { definition } : {}) };
    expect(new DetailsCodec(codec.tables()).decode(codec.encode(details, 'orders-api'), 'orders-api')).toEqual(details);
  });
});

describe('the search index over the fixtures: generic kinds and definitions reach the card', () => {
  it('answers for a Template and a plugin kind with their owner, and hands out an API definition reference', async () => {
    const source = new FileDescriptorSource();
    const expanded = await source.expand([path.join(__dirname, '../fixtures/descriptors')]);
    const store = new InMemoryCatalogStore();
    await runImport({ store, audit: new InMemoryAuditLog() }, fileReader(source), expanded.files.map(fileLocation), { chunkSize: 5, maxPendingEntities: 100 });
    const index = new InMemoryCatalogSearch(store);
    await index.build();
    expect(index.view('template:default/node-service')).toMatchObject({ kind: 'Template', name: 'node-service', owner: 'group:default/platform', title: 'Node.js service' });
    expect(index.view('scorecard:default/security-scorecard')).toMatchObject({ kind: 'Scorecard', owner: 'group:default/team-security', system: 'system:default/platform' });
    expect(index.view('api:default/orders-api')?.definition).toEqual({ source: 'file', target: './orders.oas.yaml', bytes: expect.any(Number) });
    expect(index.view('api:default/billing-api')?.definition).toEqual({ source: 'url', target: 'https://github.example/acme/billing/blob/main/openapi.yaml' });
    expect(index.search('node-service', 3).map((s) => s.ref)).toContain('template:default/node-service');
  });
});
