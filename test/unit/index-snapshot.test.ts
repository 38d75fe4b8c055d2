/**
 * Catalog index snapshots (index-snapshot.ts, InMemoryCatalogSearch.start()): a replica restored from
 * the newest snapshot answers exactly like the one that built it, tops itself up with what changed
 * since, keeps refreshing incrementally, and falls back to a full build when the snapshot is
 * unusable (corrupt bytes, another format).
 */
import { IndexState } from '../../src/adapters/catalog-index/index-state';
import { toRecord } from '../../src/adapters/catalog-index/catalog-record';
import { InMemoryCatalogSearch } from '../../src/adapters/catalog-index/in-memory-catalog-search';
import type { Lookup } from '../../src/domain/catalog/catalog-search.port';
import type { IndexedEntity } from '../../src/domain/catalog/catalog-store.port';
import type { CatalogEntityInput, RelationType } from '../../src/domain/catalog/catalog.types';
import { decodeIndexSnapshot, encodeIndexSnapshot, SNAPSHOT_FORMAT } from '../../src/adapters/catalog-index/index-snapshot';
import { createLogger } from '../../src/logger';
import { InMemoryCatalogStore } from '../fakes/in-memory-catalog-store';
import { InMemoryIndexSnapshotStore } from '../fakes/in-memory-index-snapshot-store';
import { pseudoRandomBytes, readAll } from '../contracts/index-snapshot-store.contract';
import { generateCatalog, generateQueries } from '../fixtures/catalog-generator';
import { entity } from '../fixtures/small-catalog';
import { LogCapture } from '../helpers/log-capture';

const ENTITIES = 3000;
const QUERIES = 300;
/** The catalog of the tests that do not compare whole indexes: smaller, so each build is quick. */
const SMALL_ENTITIES = 600;
const RELATIONS: RelationType[] = ['dependsOn', 'dependencyOf'];

// One generated catalog for the file (generation is deterministic; each test gets its own stores).
// APIs carry a definition reference (inline, file, URL) and one entity is of a kind Backstage has no validator for: both must survive a snapshot.
const CATALOG = generateCatalog({ entities: ENTITIES, seed: 17 }).map((e, i): CatalogEntityInput => {
  if (i === 7) return { ...e, kind: 'Template', ref: `template:${e.namespace}/${e.name}` };
  if (e.kind !== 'API') return e;
  const definitions = [{ source: 'inline' as const, bytes: 100 + i }, { source: 'file' as const, target: './openapi.yaml', bytes: 2000 + i }, { source: 'url' as const, target: `https://specs.contoso.example/${e.name}.yaml` }];
  return { ...e, definition: definitions[i % 3] };
});
const SMALL = generateCatalog({ entities: SMALL_ENTITIES, seed: 19 });

function byLocation(entities: CatalogEntityInput[]): Map<string, CatalogEntityInput[]> {
  const out = new Map<string, CatalogEntityInput[]>();
  for (const e of entities) out.set(e.location, [...(out.get(e.location) ?? []), e]);
  return out;
}

async function storeWith(entities: CatalogEntityInput[]): Promise<InMemoryCatalogStore> {
  const store = new InMemoryCatalogStore();
  await store.applyLocations([...byLocation(entities)].map(([location, list]) => ({ location, entities: list })));
  return store;
}

function capturingLogger() {
  const capture = new LogCapture();
  return { capture, logger: createLogger('info', capture) };
}

/** A store holding the catalog, and an index started on it whose snapshot has been saved. */
async function built(entities: CatalogEntityInput[] = SMALL) {
  const store = await storeWith(entities);
  const snapshots = new InMemoryIndexSnapshotStore();
  const first = new InMemoryCatalogSearch(store, { snapshots });
  const update = await first.start();
  await first.idle();
  return { store, snapshots, first, update };
}

/** The index's state (private): to check the premise that restored postings are typed arrays. */
const stateOf = (index: InMemoryCatalogSearch) => (index as unknown as { state: IndexState }).state;
const matchOf = (l: Lookup) => (l.kind === 'match' ? l.ref : `${l.kind}: ${JSON.stringify(l)}`);
/** The entity input with its fields changed, marked as a new version of its descriptor. */
const changed = (e: CatalogEntityInput, patch: Partial<CatalogEntityInput>): CatalogEntityInput => ({ ...e, ...patch, sourceHash: `${e.sourceHash}-changed` });

describe('index snapshot: a restored index answers exactly like the built one', () => {
  let store: InMemoryCatalogStore;
  let snapshots: InMemoryIndexSnapshotStore;
  let first: InMemoryCatalogSearch;
  let second: InMemoryCatalogSearch;
  let texts: string[];

  beforeAll(async () => {
    let update;
    ({ store, snapshots, first, update } = await built(CATALOG));
    expect(update.restored).toBeFalsy();
    expect(update.rebuilt).toBe(true);
    second = new InMemoryCatalogSearch(store, { snapshots });
    const queries = generateQueries(CATALOG, { count: QUERIES, seed: 23 });
    // The questions, and what someone is still typing (prefix completion walks the sorted vocabulary).
    texts = [...queries.map((q) => q.text), ...queries.slice(0, 100).map((q) => q.text.slice(0, Math.max(2, Math.floor(q.text.length / 2))))];
    expect(queries.length).toBeGreaterThanOrEqual(QUERIES * 0.9);
  });

  it('the first start builds from the store and saves one snapshot of this code\'s format', async () => {
    expect(snapshots.saves).toBe(1);
    const meta = await snapshots.latest(SNAPSHOT_FORMAT);
    expect(meta).toMatchObject({ format: SNAPSHOT_FORMAT, revision: first.revision, entities: first.size });
    expect(first.size).toBe(ENTITIES);
  });

  it('a second index on the same stores starts from the snapshot', async () => {
    const update = await second.start();
    await second.idle();
    expect(update).toMatchObject({ restored: true, read: 0, size: first.size, revision: first.revision });
    expect(second.isBuilt).toBe(true);
    expect(second.size).toBe(first.size);
    expect(snapshots.reads).toBe(1);
    expect(snapshots.saves).toBe(1); // nothing new to save: the stored snapshot is as recent
  });

  it('lookup() gives identical answers', () => {
    expect(second.isBuilt).toBe(true);
    const a = texts.map((t) => ({ t, l: first.lookup(t) }));
    const b = texts.map((t) => ({ t, l: second.lookup(t) }));
    expect(b).toEqual(a);
    expect(a.filter((x) => x.l.kind === 'match').length).toBeGreaterThan(texts.length / 2); // the comparison is not vacuous
  });

  it('search(text, 25) gives identical results, scores and order', () => {
    const a = texts.map((t) => ({ t, hits: first.search(t, 25) }));
    const b = texts.map((t) => ({ t, hits: second.search(t, 25) }));
    expect(b).toEqual(a);
    expect(a.filter((x) => x.hits.length > 0).length).toBeGreaterThan(texts.length / 2);
  });

  it('findByUrl() gives identical answers', () => {
    const urls = texts.filter((t) => /^https?:|@/.test(t));
    expect(urls.length).toBeGreaterThan(0);
    expect(urls.map((u) => second.findByUrl(u))).toEqual(urls.map((u) => first.findByUrl(u)));
  });

  it('view(ref) and related(ref, dependsOn / dependencyOf) are identical for every entity', () => {
    const answers = (index: InMemoryCatalogSearch) => CATALOG.map((e) => ({ ref: e.ref, view: index.view(e.ref), ...Object.fromEntries(RELATIONS.map((t) => [t, index.related(e.ref, t)])) }));
    const expected = answers(first);
    expect(answers(second)).toEqual(expected);
    expect(expected.every((a) => a.view !== undefined)).toBe(true);
    expect(new Set(expected.map((a) => a.view?.definition?.source).filter(Boolean))).toEqual(new Set(['inline', 'file', 'url']));
    expect(expected.find((a) => a.view?.kind === 'Template')).toBeDefined();
    const edges = expected.reduce((n, a) => n + RELATIONS.reduce((m, t) => m + (a as unknown as Record<string, string[]>)[t].length, 0), 0);
    expect(edges).toBeGreaterThan(0);
  });

  it('the restored index holds the snapshot\'s postings as typed arrays (the premise of the incremental tests below)', () => {
    const word = CATALOG[CATALOG.length - 1].name.split('-')[0];
    expect(stateOf(second).postings(word)).toBeInstanceOf(Uint32Array);
    expect(Array.from(stateOf(second).postings(word)!)).toEqual(Array.from(stateOf(first).postings(word)!));
  });
});

describe('index snapshot: top-up and incremental refresh after a restore', () => {
  it('a top-up that fails (store unreachable) still leaves the restored index answering; the next refresh catches up', async () => {
    const { store, snapshots } = await built();
    const added = entity({ kind: 'Component', name: 'late-topup-newcomer', owner: SMALL[0].owner, location: 'file:/catalog/late.yaml' });
    await store.applyLocation(added.location, [added]);
    const failing = Object.create(store) as InMemoryCatalogStore;
    let failures = 1;
    failing.changedSince = (revision, limit) => (failures-- > 0 ? Promise.reject(new Error('store unreachable')) : store.changedSince(revision, limit));
    const { capture, logger } = capturingLogger();
    const restored = new InMemoryCatalogSearch(failing, { snapshots, logger });
    expect(await restored.start()).toMatchObject({ restored: true, size: SMALL_ENTITIES });
    expect(capture.find((l) => l.msg === 'catalog index top-up after the snapshot failed; the next refresh retries')).toMatchObject({ level: 40 });
    expect(restored.isBuilt).toBe(true);
    expect(matchOf(restored.lookup(SMALL[0].name))).toBe(SMALL[0].ref);
    await restored.refresh();
    expect(matchOf(restored.lookup('late-topup-newcomer'))).toBe(added.ref);
  });

  it('entities changed, added and orphaned after the snapshot are visible after start()', async () => {
    const { store, snapshots, first } = await built();
    const snapshotRevision = first.revision;

    // One component edited, one orphaned (left out of its location), one added (a new location).
    const locations = byLocation(SMALL);
    const components = SMALL.filter((e) => e.kind === 'Component');
    const edited = components[0];
    const orphan = components.find((e) => e.location !== edited.location)!;
    const added = entity({ kind: 'Component', name: 'snapshot-topup-newcomer', owner: edited.owner, location: 'file:/catalog/topup.yaml', aliases: ['topup-alias'] });
    const edit = await store.applyLocation(edited.location, locations.get(edited.location)!.map((e) => (e === edited ? changed(e, { aliases: ['freshly-edited-alias'], description: 'edited after the snapshot' }) : e)));
    const drop = await store.applyLocation(orphan.location, locations.get(orphan.location)!.filter((e) => e !== orphan));
    const add = await store.applyLocation(added.location, [added]);
    expect([edit, drop, add]).toMatchObject([{ updated: 1 }, { orphaned: 1 }, { created: 1 }]);

    const restored = new InMemoryCatalogSearch(store, { snapshots });
    const update = await restored.start();
    expect(update).toMatchObject({ restored: true, read: 3, size: SMALL_ENTITIES }); // -1 orphaned +1 added
    expect(update.revision).toBeGreaterThan(snapshotRevision);
    expect(restored.revision).toBe(await store.currentRevision());

    expect(restored.lookup('freshly-edited-alias')).toEqual({ kind: 'match', ref: edited.ref, matchedBy: 'alias' });
    expect(restored.view(edited.ref)?.description).toBe('edited after the snapshot');
    expect(matchOf(restored.lookup('snapshot-topup-newcomer'))).toBe(added.ref);
    expect(matchOf(restored.lookup('topup-alias'))).toBe(added.ref);
    expect(restored.get(orphan.ref)).toBeUndefined();
    expect(restored.view(orphan.ref)).toBeUndefined();
    expect(matchOf(restored.lookup(orphan.ref))).not.toBe(orphan.ref);
    expect(restored.search(orphan.name, 25).map((h) => h.ref)).not.toContain(orphan.ref);

    // Same answers as an index built from scratch on the store as it is now.
    const fresh = new InMemoryCatalogSearch(store);
    await fresh.build();
    for (const text of ['freshly-edited-alias', 'snapshot-topup-newcomer', 'topup-alias', edited.name, orphan.name, orphan.ref, edited.ref]) {
      expect({ text, l: matchOf(restored.lookup(text)) }).toEqual({ text, l: matchOf(fresh.lookup(text)) });
    }
    for (const ref of [edited.ref, added.ref, orphan.ref]) {
      expect(restored.view(ref)).toEqual(fresh.view(ref));
      for (const type of RELATIONS) expect(restored.related(ref, type)).toEqual(fresh.related(ref, type));
    }
  });

  it('incremental refresh() after a restore: new entities with words already in the vocabulary are found, old ones still are', async () => {
    const { store, snapshots } = await built();
    const restored = new InMemoryCatalogSearch(store, { snapshots });
    expect((await restored.start()).restored).toBe(true);

    // A name made only of words the snapshot's vocabulary holds, with typed-array postings.
    const donor = SMALL.find((e) => e.kind === 'Component' && e.name.split('-').length >= 2)!;
    const words = donor.name.split('-');
    for (const w of words) expect(stateOf(restored).postings(w)).toBeInstanceOf(Uint32Array);
    const name = [...words].reverse().join('-') + '-' + words[0];
    expect(SMALL.some((e) => e.name === name)).toBe(false);
    const tagged = entity({ kind: 'Component', name, owner: donor.owner, location: 'file:/catalog/late.yaml', tags: [...donor.tags] });
    await store.applyLocation('file:/catalog/late.yaml', [tagged]);

    const update = await restored.refresh();
    expect(update).toMatchObject({ read: 1, rebuilt: false, size: SMALL_ENTITIES + 1 });
    expect(restored.lookup(name)).toEqual({ kind: 'match', ref: tagged.ref, matchedBy: 'name' });
    expect(restored.search(name, 5)[0]?.ref).toBe(tagged.ref);
    expect(restored.search(words.join(' '), 25).map((h) => h.ref)).toEqual(expect.arrayContaining([donor.ref, tagged.ref]));
    expect(matchOf(restored.lookup(donor.name))).toBe(donor.ref);
    for (const w of words) expect(Array.isArray(stateOf(restored).postings(w))).toBe(true); // copied before growing

    // A second refresh: an edit and a removal, still incremental.
    await store.applyLocation('file:/catalog/late.yaml', [changed(tagged, { aliases: ['second-refresh-alias'] })]);
    expect(await restored.refresh()).toMatchObject({ read: 1, rebuilt: false });
    expect(matchOf(restored.lookup('second-refresh-alias'))).toBe(tagged.ref);
    await store.applyLocation('file:/catalog/late.yaml', []);
    expect(await restored.refresh()).toMatchObject({ read: 1, rebuilt: false, size: SMALL_ENTITIES });
    expect(restored.get(tagged.ref)).toBeUndefined();
    expect(matchOf(restored.lookup(donor.name))).toBe(donor.ref);
  });

  it('a refresh after a restore that rebuilds (many changes) saves a newer snapshot, which the next replica starts from', async () => {
    const { store, snapshots } = await built();
    const restored = new InMemoryCatalogSearch(store, { snapshots, rebuildAbove: 5 });
    expect((await restored.start()).restored).toBe(true);
    const [location, list] = [...byLocation(SMALL)].sort((a, b) => b[1].length - a[1].length)[0];
    expect(list.length).toBeGreaterThan(5);
    await store.applyLocation(location, list.map((e) => changed(e, { description: 'rewritten everywhere' })));

    const update = await restored.refresh();
    expect(update).toMatchObject({ read: list.length, rebuilt: true, size: SMALL_ENTITIES });
    await restored.idle();
    expect(snapshots.saves).toBe(1); // a refresh's rebuild waits for a quiet moment (or stop's flush)
    await restored.flush();
    expect(snapshots.saves).toBe(2);
    expect((await snapshots.latest(SNAPSHOT_FORMAT))?.revision).toBe(restored.revision);

    const third = new InMemoryCatalogSearch(store, { snapshots });
    expect(await third.start()).toMatchObject({ restored: true, read: 0, revision: restored.revision });
    expect(third.view(list[0].ref)?.description).toBe('rewritten everywhere');
    expect(third.lookup(list[0].name)).toEqual(restored.lookup(list[0].name));
  });
});

describe('index snapshot: saves after refresh rebuilds wait for a quiet index', () => {
  it('two rebuilds in a row make one snapshot, of the later state, once no rebuild followed for snapshotQuietMs', async () => {
    const { store, snapshots } = await built();
    const index = new InMemoryCatalogSearch(store, { snapshots, rebuildAbove: 5, snapshotQuietMs: 150 });
    await index.start();
    const [[first, firstList], [second, secondList]] = [...byLocation(SMALL)].sort((a, b) => b[1].length - a[1].length);
    await store.applyLocation(first, firstList.map((e) => changed(e, { description: 'first wave' })));
    expect(await index.refresh()).toMatchObject({ rebuilt: true });
    await store.applyLocation(second, secondList.map((e) => changed(e, { description: 'second wave' })));
    expect(await index.refresh()).toMatchObject({ rebuilt: true });
    await index.idle();
    expect(snapshots.saves).toBe(1); // only the one the first start made
    await new Promise((r) => setTimeout(r, 400));
    await index.idle();
    expect(snapshots.saves).toBe(2);
    expect((await snapshots.latest(SNAPSHOT_FORMAT))?.revision).toBe(index.revision);
    await index.flush(); // nothing waiting: no further save
    expect(snapshots.saves).toBe(2);
  });
});

describe('index snapshot: a rebuild patched by a small refresh before it was saved', () => {
  it('is sealed again and saved at stop, with the patch, instead of silently skipped', async () => {
    const { store, snapshots } = await built();
    const index = new InMemoryCatalogSearch(store, { snapshots, rebuildAbove: 5 });
    await index.start();
    const [[first, firstList]] = [...byLocation(SMALL)].sort((a, b) => b[1].length - a[1].length);
    await store.applyLocation(first, firstList.map((e) => changed(e, { description: 'the rebuild' })));
    expect(await index.refresh()).toMatchObject({ rebuilt: true }); // its save waits for a quiet index
    const patched = firstList[0];
    await store.applyLocation(first, firstList.map((e) => (e.ref === patched.ref ? { ...e, description: 'the patch', sourceHash: `${e.sourceHash}-patched` } : changed(e, { description: 'the rebuild' }))));
    expect(await index.refresh()).toMatchObject({ read: 1, rebuilt: false }); // a patch: the state now holds deltas
    await index.flush();
    expect(snapshots.saves).toBe(2);
    expect((await snapshots.latest(SNAPSHOT_FORMAT))?.revision).toBe(index.revision);
    const next = new InMemoryCatalogSearch(store, { snapshots });
    expect(await next.start()).toMatchObject({ restored: true, read: 0 });
    expect(next.view(patched.ref)?.description).toBe('the patch');
    expect(matchOf(next.lookup(patched.name))).toBe(patched.ref);
  });
});

describe('index snapshot: garbage collection hook', () => {
  it('runs collectGarbage after a full build and after saving its snapshot, and after loading one', async () => {
    const store = await storeWith(SMALL);
    const snapshots = new InMemoryIndexSnapshotStore();
    const builds: string[] = [];
    const first = new InMemoryCatalogSearch(store, { snapshots, collectGarbage: () => builds.push(snapshots.saves ? 'after save' : 'after build') });
    await first.start();
    await first.idle();
    expect(builds).toEqual(['after build', 'after save']);
    let loads = 0;
    const second = new InMemoryCatalogSearch(store, { snapshots, collectGarbage: () => loads++ });
    expect(await second.start()).toMatchObject({ restored: true });
    await second.idle();
    expect(loads).toBe(1); // nothing changed since the snapshot: no rebuild, no new snapshot
  });
});

describe('index snapshot: unusable snapshots fall back to a full build', () => {
  it('corrupt bytes: start() builds from the store, logs a warning, and answers correctly', async () => {
    const { store, snapshots, first } = await built();
    const meta = (await snapshots.latest(SNAPSHOT_FORMAT))!;
    snapshots.corrupt(meta.id);
    const { capture, logger } = capturingLogger();

    const index = new InMemoryCatalogSearch(store, { snapshots, logger });
    const update = await index.start();
    expect(update.restored).toBeFalsy();
    expect(update).toMatchObject({ rebuilt: true, read: SMALL_ENTITIES, size: SMALL_ENTITIES });
    const warning = capture.find((l) => l.msg === 'catalog index snapshot unusable; building from the store');
    expect(warning).toMatchObject({ level: 40 });
    expect(JSON.stringify(warning)).toMatch(/index snapshot/);

    const queries = generateQueries(SMALL, { count: 100, seed: 31 });
    expect(queries.map((q) => index.lookup(q.text))).toEqual(queries.map((q) => first.lookup(q.text)));
    expect(index.view(SMALL[0].ref)).toEqual(first.view(SMALL[0].ref));
  });

  it('corrupt bytes: the unusable snapshot is discarded and the full build saved in its place, so the next replica restores again', async () => {
    const { store, snapshots } = await built();
    snapshots.corrupt((await snapshots.latest(SNAPSHOT_FORMAT))!.id);
    const index = new InMemoryCatalogSearch(store, { snapshots });
    expect((await index.start()).restored).toBeFalsy();
    await index.idle();
    const next = new InMemoryCatalogSearch(store, { snapshots });
    expect((await next.start()).restored).toBe(true);
  });

  it('bytes under this code\'s format that are no snapshot: start() logs a warning and builds from the store', async () => {
    const { store, snapshots, first } = await built();
    await snapshots.save({ format: SNAPSHOT_FORMAT, revision: first.revision + 1, entities: SMALL_ENTITIES, data: pseudoRandomBytes(100_000, 5) });
    const { capture, logger } = capturingLogger();
    const index = new InMemoryCatalogSearch(store, { snapshots, logger });
    const update = await index.start();
    expect(update.restored).toBeFalsy();
    expect(update).toMatchObject({ rebuilt: true, size: SMALL_ENTITIES });
    expect(capture.find((l) => l.msg === 'catalog index snapshot unusable; building from the store')).toMatchObject({ level: 40, err: { message: 'index snapshot: not a snapshot' } });
    expect(index.lookup(SMALL[0].name)).toEqual(first.lookup(SMALL[0].name));
  });

  it('a snapshot of another format is ignored: full build, never read', async () => {
    const store = await storeWith(SMALL);
    const snapshots = new InMemoryIndexSnapshotStore();
    const { logger, capture } = capturingLogger();
    const revision = await store.currentRevision();
    await snapshots.save({ format: 'other', revision: revision + 1000, entities: SMALL_ENTITIES, data: Buffer.from('IDXS from other code') });

    const index = new InMemoryCatalogSearch(store, { snapshots, logger });
    const update = await index.start();
    expect(update.restored).toBeFalsy();
    expect(update).toMatchObject({ rebuilt: true, size: SMALL_ENTITIES });
    expect(snapshots.reads).toBe(0);
    expect(capture.find((l) => l.level === 40)).toBeUndefined(); // nothing unusable: there was simply none
    await index.idle();
    expect(snapshots.saves).toBe(2); // the manual one, then this build's
    expect((await snapshots.latest(SNAPSHOT_FORMAT))?.revision).toBe(index.revision);
    expect((await snapshots.latest('other'))?.revision).toBe(revision + 1000); // younger than a day: kept
  });

  it('no snapshot store: start() is a full build', async () => {
    const store = await storeWith(SMALL.slice(0, 200));
    const index = new InMemoryCatalogSearch(store);
    const update = await index.start();
    expect(update.restored).toBeFalsy();
    expect(update).toMatchObject({ rebuilt: true });
    expect(index.size).toBe(await store.count({ status: 'active' }));
  });
});

describe('decodeIndexSnapshot', () => {
  /** A valid snapshot of a small catalog, as one buffer. */
  async function snapshotBytes(): Promise<Buffer> {
    const { snapshots } = await built(SMALL.slice(0, 300));
    return readAll(snapshots, (await snapshots.latest(SNAPSHOT_FORMAT))!.id);
  }
  const piecesOf = (bytes: Buffer, size: number) => Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));

  it('throws a clear error on bytes that are not a snapshot', async () => {
    await expect(decodeIndexSnapshot([Buffer.from('definitely not an index snapshot')])).rejects.toThrow(/index snapshot: not a snapshot/);
    await expect(decodeIndexSnapshot([Buffer.from('IDXT\u0000\u0000\u0000\u0000')])).rejects.toThrow(/index snapshot: not a snapshot/);
    await expect(decodeIndexSnapshot([Buffer.from(pseudoRandomBytes(4096, 3))])).rejects.toThrow(/index snapshot: not a snapshot/);
    // Too short to say: cut short.
    await expect(decodeIndexSnapshot([])).rejects.toThrow(/index snapshot/);
    await expect(decodeIndexSnapshot([Buffer.from('IDX')])).rejects.toThrow(/index snapshot/);
  });

  it('throws on a snapshot cut short', async () => {
    const bytes = await snapshotBytes();
    await expect(decodeIndexSnapshot([bytes.subarray(0, bytes.length - 5)])).rejects.toThrow(/index snapshot: cut short/);
    await expect(decodeIndexSnapshot([bytes.subarray(0, Math.floor(bytes.length / 2))])).rejects.toThrow(/index snapshot: cut short/);
    await expect(decodeIndexSnapshot(piecesOf(bytes, 4096).slice(0, -1))).rejects.toThrow(/index snapshot: cut short/);
  });

  it('throws when a pieces source fails midway (a snapshot pruned while read)', async () => {
    const bytes = await snapshotBytes();
    async function* failing() {
      yield bytes.subarray(0, 1000);
      throw new Error('index snapshot x is gone (chunk 1 of 3)');
    }
    await expect(decodeIndexSnapshot(failing())).rejects.toThrow(/is gone/);
  });

  it('decodes the same state whatever the piece sizes and alignment', async () => {
    const bytes = await snapshotBytes();
    const answers = (state: IndexState) => ({
      live: state.live,
      records: Array.from({ length: state.slots }, (_, slot) => state.recordAt(slot)?.ref),
      words: state.expandWord('payments', true),
      first: state.get(SMALL[0].ref),
    });
    const whole = answers(await decodeIndexSnapshot([bytes]));
    expect(whole.live).toBe(300);
    for (const size of [7, 4093, 65536, bytes.length]) {
      expect({ size, ...answers(await decodeIndexSnapshot(piecesOf(bytes, size))) }).toEqual({ size, ...whole });
    }
    // Pieces that start at odd offsets of their memory (typed arrays need 4-byte alignment).
    const unaligned = piecesOf(bytes, 10_001).map((p) => {
      const copy = Buffer.alloc(p.length + 1).subarray(1);
      p.copy(copy);
      return copy;
    });
    expect(answers(await decodeIndexSnapshot(unaligned))).toEqual(whole);
  });

  it('throws (rather than returning a broken state) when the header is damaged', async () => {
    const longHeader = Buffer.alloc(64, 0x20);
    longHeader.write('IDXS', 0, 'latin1');
    longHeader.writeUInt32LE(1000, 4); // a header longer than the bytes
    await expect(decodeIndexSnapshot([longHeader])).rejects.toThrow(/index snapshot/);
    const bytes = Buffer.from(await snapshotBytes());
    bytes.write('}}}}', 8, 'latin1'); // the JSON header
    await expect(decodeIndexSnapshot([bytes])).rejects.toThrow();
  });
});

describe('index snapshot: an empty catalog', () => {
  it('an empty sealed state round-trips with 0 records, and takes an entity afterwards', async () => {
    const empty = new IndexState();
    empty.seal();
    const bytes = encodeIndexSnapshot(empty);
    expect(bytes).toBeInstanceOf(Buffer);
    const state = await decodeIndexSnapshot([bytes!]);
    expect(state.live).toBe(0);
    expect(state.slots).toBe(0);
    expect(state.get('component:default/anything')).toBeUndefined();
    expect(state.expandWord('anything', true)).toEqual([]);

    const { location: _l, sourceHash: _h, ...input } = entity({ kind: 'Component', name: 'first-arrival', tags: ['brand-new'] });
    const arrival: IndexedEntity = { ...input, status: 'active', deployments: [], revision: 1 };
    state.add(toRecord(arrival, state.codec), { urls: [], relations: [] });
    expect(state.live).toBe(1);
    expect(state.get(arrival.ref)?.name).toBe('first-arrival');
    expect(state.expandWord('arrival', false)).toEqual([{ token: 'arrival', weight: 1 }]);
    expect(state.withAllWords(['first', 'arrival'], 5)).toEqual([0]);
    expect(state.typoCandidates(['firstarival'])).toEqual([0]);
  });

  it('a catalog whose entities were all orphaned: the snapshot holds 0 records, and a restored index takes new entities', async () => {
    const store = new InMemoryCatalogStore();
    const location = 'file:/catalog/empty.yaml';
    const gone = entity({ kind: 'Component', name: 'soon-gone', location });
    await store.applyLocation(location, [gone]);
    await store.applyLocation(location, []); // orphaned: the store is at revision 2 with nothing active
    const snapshots = new InMemoryIndexSnapshotStore();
    const first = new InMemoryCatalogSearch(store, { snapshots });
    expect(await first.start()).toMatchObject({ size: 0 });
    await first.idle();
    const meta = await snapshots.latest(SNAPSHOT_FORMAT);
    expect(meta).toMatchObject({ entities: 0, revision: first.revision });

    const restored = new InMemoryCatalogSearch(store, { snapshots });
    expect(await restored.start()).toMatchObject({ restored: true, size: 0 });
    expect(restored.lookup('soon-gone').kind).toBe('none');
    expect(restored.search('soon', 25)).toEqual([]);

    const arrival = entity({ kind: 'Component', name: 'first-arrival', location, aliases: ['arrival-alias'], tags: ['brand-new'] });
    await store.applyLocation(location, [arrival]);
    expect(await restored.refresh()).toMatchObject({ read: 1, size: 1 });
    expect(restored.lookup('first-arrival')).toEqual({ kind: 'match', ref: arrival.ref, matchedBy: 'name' });
    expect(matchOf(restored.lookup('arrival-alias'))).toBe(arrival.ref);
    expect(matchOf(restored.lookup('frist-arrival'))).toBe(arrival.ref); // typo index works too
    expect(restored.search('first', 25).map((h) => h.ref)).toEqual([arrival.ref]);
  });

  it('an empty store: start() builds an empty index, and entities added later are found', async () => {
    const store = new InMemoryCatalogStore();
    const snapshots = new InMemoryIndexSnapshotStore();
    const index = new InMemoryCatalogSearch(store, { snapshots });
    expect(await index.start()).toMatchObject({ size: 0 });
    await index.idle();
    const arrival = entity({ kind: 'Component', name: 'first-arrival', location: 'file:/catalog/a.yaml' });
    await store.applyLocation('file:/catalog/a.yaml', [arrival]);
    await index.refresh();
    expect(matchOf(index.lookup('first-arrival'))).toBe(arrival.ref);
  });
});
