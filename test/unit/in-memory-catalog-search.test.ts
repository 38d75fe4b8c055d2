import { CatalogSyncService } from '../../src/domain/catalog/catalog-sync.service';
import { indexedRelations } from '../../src/adapters/catalog-index/catalog-record';
import { InMemoryCatalogSearch } from '../../src/adapters/catalog-index/in-memory-catalog-search';
import type { Lookup } from '../../src/domain/catalog/catalog-search.port';
import { InMemoryCatalogStore } from '../fakes/in-memory-catalog-store';
import { generateCatalog } from '../fixtures/catalog-generator';
import { entity, LOCATION, smallCatalog } from '../fixtures/small-catalog';
import { EXACT_KEYS, SECRET_NAMES, TOLERATED_SPELLINGS, URLS } from '../fixtures/small-catalog-questions';

async function setup() {
  const store = new InMemoryCatalogStore();
  await store.applyLocation(LOCATION, smallCatalog());
  const index = new InMemoryCatalogSearch(store, { pageSize: 4, streamBatchSize: 4 }); // small pages/batches: both are exercised
  await index.build();
  return { store, index };
}

const matchOf = (l: Lookup) => (l.kind === 'match' ? l.ref : `${l.kind}: ${JSON.stringify(l)}`);

describe('InMemoryCatalogSearch', () => {
  let index: InMemoryCatalogSearch;
  beforeAll(async () => {
    ({ index } = await setup());
  });

  it('builds from every page of the store', () => {
    expect(index.size).toBe(smallCatalog().length);
    expect(index.isBuilt).toBe(true);
  });

  describe('exact keys of every kind', () => {
    it.each(EXACT_KEYS)('%s -> %s (%s)', (text, ref, matchedBy) => {
      expect(index.lookup(text)).toEqual({ kind: 'match', ref, matchedBy });
    });
  });

  describe('URLs', () => {
    it.each(URLS)('%s', (url, ref) => {
      expect(matchOf(index.lookup(url))).toBe(ref);
    });

    it('a host many entities link to names none of them', () => {
      const l = index.lookup('https://grafana.contoso.net');
      expect(l.kind).toBe('ambiguous');
      expect(l.kind === 'ambiguous' && l.candidates.map((c) => c.ref).sort()).toEqual(['component:default/checkout-web', 'component:default/payments-api']);
    });

    it('an unknown URL is none', () => {
      expect(index.lookup('https://example.org/nothing/here').kind).toBe('none');
    });

    it('findByUrl answers unfurling only when one entity owns the URL', () => {
      expect(index.findByUrl('https://dev.azure.com/contoso/Payments/_git/payments-api')).toEqual({ ref: 'component:default/payments-api', matchedBy: 'repository' });
      expect(index.findByUrl('https://grafana.contoso.net/d/abc123/payments-api?orgId=1')?.ref).toBe('component:default/payments-api');
      expect(index.findByUrl('https://grafana.contoso.net/')).toBeUndefined();
      expect(index.findByUrl('not a url')).toBeUndefined();
    });
  });

  describe('Key Vault secret names', () => {
    it.each(SECRET_NAMES)('%s', (secret, ref) => {
      expect(index.lookup(secret)).toEqual({ kind: 'match', ref, matchedBy: 'key vault secret' });
    });

    it('a prefix that is no secret prefix is still tried as a name, and says so', () => {
      expect(index.lookup('ledger-service--prod--db-password')).toEqual({ kind: 'match', ref: 'component:default/ledger-service', matchedBy: 'name (from secret name)' });
    });
  });

  describe('tolerance', () => {
    it.each(TOLERATED_SPELLINGS)('%s (%s)', (text) => {
      expect(matchOf(index.lookup(text))).toBe('component:default/payments-api');
    });

    it('says which way it matched', () => {
      expect(index.lookup('paymnets-api')).toEqual({ kind: 'match', ref: 'component:default/payments-api', matchedBy: 'name (typo)' });
    });

    it('the words in the order typed win over the same words in another order', () => {
      expect(matchOf(index.lookup('orders api'))).toBe('component:default/orders-api');
      expect(matchOf(index.lookup('api orders'))).toBe('component:default/api-orders');
    });
  });

  describe('collisions and ambiguity', () => {
    it('a Component and an API of the same name and owner: the Component answers', () => {
      expect(matchOf(index.lookup('payments-api'))).toBe('component:default/payments-api');
    });

    it('a System beats a Group of the same name', () => {
      expect(matchOf(index.lookup('payments'))).toBe('system:default/payments');
    });

    it('a prefix two services share is a "did you mean", never a guess', () => {
      const l = index.lookup('payments-worker');
      expect(l.kind).toBe('ambiguous');
      expect(l.kind === 'ambiguous' && l.candidates.map((c) => c.ref).sort()).toEqual(['component:default/payments-worker-eu', 'component:default/payments-worker-us']);
    });

    it('one typo away from two names is ambiguous', () => {
      const l = index.lookup('payments-worker-es');
      expect(l.kind === 'ambiguous' && l.candidates.map((c) => c.ref).sort()).toEqual(['component:default/payments-worker-eu', 'component:default/payments-worker-us']);
    });

    it('nothing close is none', () => {
      expect(index.lookup('quantum-teleporter')).toEqual({ kind: 'none', suggestions: [] });
      expect(index.lookup('   ')).toEqual({ kind: 'none', suggestions: [] });
    });
  });

  describe('search (message extension)', () => {
    it('ranks the best match first and respects the limit', () => {
      const hits = index.search('payments api', 3);
      expect(hits).toHaveLength(3);
      expect(hits[0]).toMatchObject({ ref: 'component:default/payments-api', ownerName: 'Payments Team', kind: 'Component' });
    });

    it('completes what is being typed', () => {
      const refs = index.search('ledg').map((h) => h.ref);
      expect(refs[0]).toBe('component:default/ledger-service');
      expect(index.search('payments-wo').map((h) => h.ref).slice(0, 2).sort()).toEqual(['component:default/payments-worker-eu', 'component:default/payments-worker-us']);
    });

    it('finds by URL and by typo', () => {
      expect(index.search('https://dev.azure.com/contoso/Checkout/_git/storefront')[0].ref).toBe('component:default/checkout-web');
      expect(index.search('chekout web')[0].ref).toBe('component:default/checkout-web');
    });

    it('nothing for nothing', () => {
      expect(index.search('')).toEqual([]);
      expect(index.search('zzzzqqqq')).toEqual([]);
    });
  });

  it('knows relations from both ends', () => {
    expect(index.related('component:default/payments-api', 'dependsOn')).toEqual(['component:default/ledger-service', 'resource:default/payments-db']);
    expect(index.related('component:default/payments-api', 'dependencyOf')).toEqual(['component:default/checkout-web']);
    // Declared only by ledger-service ("dependencyOf checkout-web").
    expect(index.related('component:default/checkout-web', 'dependsOn')).toEqual(['component:default/ledger-service', 'component:default/payments-api']);
    expect(index.related('api:default/payments-api', 'apiProvidedBy')).toEqual(['component:default/payments-api']);
    expect(index.related('api:default/payments-api', 'apiConsumedBy')).toEqual(['component:default/checkout-web']);
  });
});

describe('InMemoryCatalogSearch refresh', () => {
  it('applies changes incrementally: new keys in, old keys out, orphans gone', async () => {
    const { store, index } = await setup();
    const before = index.revision;
    const catalog = smallCatalog()
      .filter((e) => e.name !== 'orders-api') // disappears from its location: orphaned
      .map((e) => (e.ref === 'component:default/payments-api' ? { ...e, aliases: ['paygate'], sourceHash: 'changed' } : e));
    catalog.push(entity({ kind: 'Component', name: 'fraud-scorer', owner: 'group:default/team-payments' }));
    await store.applyLocation(LOCATION, catalog);

    const update = await index.refresh();
    expect(update).toMatchObject({ read: 3, rebuilt: false });
    expect(index.revision).toBeGreaterThan(before);
    expect(matchOf(index.lookup('paygate'))).toBe('component:default/payments-api');
    expect(index.lookup('papi').kind).not.toBe('match'); // the old alias left with the old version
    expect(matchOf(index.lookup('fraud-scorer'))).toBe('component:default/fraud-scorer');
    expect(index.get('component:default/orders-api')).toBeUndefined();
    expect(matchOf(index.lookup('orders-api'))).not.toBe('component:default/orders-api');
    expect(index.size).toBe(smallCatalog().length);
    // Unchanged store: nothing read, nothing changes.
    expect(await index.refresh()).toMatchObject({ read: 0 });
  });

  it('picks up facts recorded from outside (deployments, on-call)', async () => {
    const { store, index } = await setup();
    await store.recordDeployment('component:default/ledger-service', { environment: 'prod', version: '2.1.0', status: 'succeeded', deployedAt: new Date('2025-03-01T10:00:00Z') });
    await index.refresh();
    expect(index.view('component:default/ledger-service')?.deployments).toEqual([
      { environment: 'prod', version: '2.1.0', status: 'succeeded', deployedAt: new Date('2025-03-01T10:00:00Z') },
    ]);
  });

  it('a rebuild streamed from many pages of changes (new, changed twice, orphaned, back again) answers like a fresh build', async () => {
    const store = new InMemoryCatalogStore();
    const generated = generateCatalog({ entities: 400, seed: 5 });
    const [first, second] = [generated.slice(0, 250), generated.slice(250)];
    const at = (list: typeof generated, location: string) => list.map((e) => ({ ...e, location }));
    await store.applyLocation('file:/a.yaml', at(first, 'file:/a.yaml'));
    const index = new InMemoryCatalogSearch(store, { pageSize: 7, rebuildAbove: 10 });
    await index.build();
    // Changes in several waves before one refresh: 150 new entities, 40 changed twice, 30 orphaned,
    // 5 of those orphaned ones back again.
    await store.applyLocation('file:/b.yaml', at(second, 'file:/b.yaml'));
    const rewritten = (n: number) => at(first, 'file:/a.yaml').map((e, i) => (i < 40 ? { ...e, description: `version ${n}`, sourceHash: `${e.sourceHash}-${n}` } : e));
    await store.applyLocation('file:/a.yaml', rewritten(2));
    await store.applyLocation('file:/a.yaml', rewritten(3).slice(0, 220));
    await store.applyLocation('file:/a.yaml', rewritten(3).slice(0, 225));

    const update = await index.refresh();
    const fresh = new InMemoryCatalogSearch(store);
    await fresh.build();
    expect(update).toMatchObject({ rebuilt: true, size: fresh.size });
    expect(fresh.size).toBe(new Set([...first.slice(0, 225), ...second].map((e) => e.ref)).size);
    for (const e of generated) {
      expect({ ref: e.ref, view: index.view(e.ref) }).toEqual({ ref: e.ref, view: fresh.view(e.ref) });
      expect({ ref: e.ref, lookup: index.lookup(e.name) }).toEqual({ ref: e.ref, lookup: fresh.lookup(e.name) });
    }
    expect(index.view(first[0].ref)?.description).toBe('version 3');
    expect(index.get(first[230].ref)).toBeUndefined(); // orphaned
    expect(index.get(first[222].ref)).toBeDefined(); // orphaned, then back
    expect(index.related(first[0].ref, 'dependsOn')).toEqual(fresh.related(first[0].ref, 'dependsOn'));
    expect(await index.refresh()).toMatchObject({ read: 0 });
  });

  it('rebuilds instead of patching when most of the catalog changed', async () => {
    const store = new InMemoryCatalogStore();
    await store.applyLocation(LOCATION, smallCatalog());
    const index = new InMemoryCatalogSearch(store, { rebuildAbove: 5 });
    await index.build();
    const before = index.search('ledger', 1);
    await store.applyLocation(LOCATION, smallCatalog().map((e) => ({ ...e, description: 'rewritten', sourceHash: `${e.sourceHash}-2` })));
    expect(await index.refresh()).toMatchObject({ read: smallCatalog().length, rebuilt: true, size: smallCatalog().length });
    expect(index.view('component:default/payments-api')?.description).toBe('rewritten');
    expect(matchOf(index.lookup('paymnets-api'))).toBe('component:default/payments-api');
    expect(index.search('ledger', 1)[0].ref).toBe(before[0].ref);
    expect(index.related('component:default/checkout-web', 'dependsOn')).toEqual(['component:default/ledger-service', 'component:default/payments-api']);
  });

  it('the catalog sync polls the revision and refreshes the engine when it moved', async () => {
    const { store, index } = await setup();
    const refresh = jest.spyOn(index, 'refresh');
    const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const handle = new CatalogSyncService({ index, scheduler: { schedule: async () => undefined, unschedule: () => undefined }, intervals: { importMs: 60_000, indexRefreshMs: 10 }, logger: silent });
    await handle.start();
    try {
      await new Promise((r) => setTimeout(r, 60));
      expect(refresh).not.toHaveBeenCalled(); // nothing changed
      await store.applyLocation('file:/catalog/other.yaml', [entity({ kind: 'Component', name: 'late-arrival', location: 'file:/catalog/other.yaml' })]);
      for (let i = 0; i < 100 && !index.get('component:default/late-arrival'); i++) await new Promise((r) => setTimeout(r, 10));
      expect(matchOf(index.lookup('late-arrival'))).toBe('component:default/late-arrival');
    } finally {
      await handle.stop();
    }
    const calls = refresh.mock.calls.length;
    await new Promise((r) => setTimeout(r, 40));
    expect(refresh.mock.calls.length).toBe(calls); // stopped means stopped
  });
});

describe('InMemoryCatalogSearch memory form', () => {
  it('gives back every card field of every entity exactly (compact details round trip)', async () => {
    const entities = generateCatalog({ entities: 1500, seed: 5 });
    const store = new InMemoryCatalogStore();
    const byLocation = new Map<string, typeof entities>();
    for (const e of entities) byLocation.set(e.location, [...(byLocation.get(e.location) ?? []), e]);
    await store.applyLocations([...byLocation].map(([location, list]) => ({ location, entities: list })));
    await store.recordDeployment(entities[500].ref, { environment: 'prod', version: '9.9.9', status: 'rolled_back', deployedAt: new Date('2025-02-03T04:05:06Z'), pipelineRunUrl: `https://dev.azure.com/contoso/X/_build/results?buildId=7&name=${entities[500].name}`, deployedBy: 'alice@contoso.com' });
    const index = new InMemoryCatalogSearch(store);
    await index.build();
    for (const stored of await store.getMany(entities.map((e) => e.ref))) {
      const view = index.view(stored.ref)!;
      const expected = {
        ...stored,
        // Dependencies, APIs, ownership, membership and the group tree (with the owner and members fields as relations).
        relations: indexedRelations(stored),
        repositoryUrl: stored.source.repository?.url,
      };
      for (const field of ['relations', 'contacts', 'onCall', 'deployments', 'links', 'profile', 'members', 'repositoryUrl', 'description', 'title', 'tier', 'owner'] as const) {
        expect({ ref: stored.ref, field, value: view[field] }).toEqual({ ref: stored.ref, field, value: expected[field] });
      }
    }
  });

  it('a ref seen twice while paging keeps its latest version; an orphan in the stream is left out', async () => {
    const [a, b] = smallCatalog().filter((e) => e.kind === 'Component');
    const at = (e: typeof a, revision: number, status: 'active' | 'orphaned' = 'active') => ({ ...e, status, deployments: [], revision, updatedAt: new Date() });
    const stream = [at(a, 1), at(b, 2), at({ ...a, aliases: ['second-version'] }, 3), at(b, 4, 'orphaned')];
    const store = { changedSince: async (rev: number, limit: number) => stream.filter((e) => e.revision > rev).slice(0, limit), currentRevision: async () => 4 };
    const index = new InMemoryCatalogSearch(store as unknown as InMemoryCatalogStore, { pageSize: 1 });
    await index.build();
    expect(index.size).toBe(1);
    expect(index.get(a.ref)?.aliases).toEqual(['second-version']);
    expect(index.get(b.ref)).toBeUndefined();
    expect(matchOf(index.lookup('second-version'))).toBe(a.ref);
  });

  it('built from one unsorted pass: the next refresh starts from the revision handed out before it, not the highest seen', async () => {
    const [a, b, c] = smallCatalog().filter((e) => e.kind === 'Component');
    const at = (e: typeof a, revision: number) => ({ ...e, status: 'active' as const, deployments: [], revision, updatedAt: new Date() });
    // The pass began at revision 2; b (revision 10) was written during it and seen, c (3) committed behind the pass and missed.
    const stored = [at(a, 1), at(b, 10), at(c, 3)];
    const store = {
      streamAll: async function* () {
        yield stored.slice(0, 2);
      },
      changedSince: async (rev: number, limit: number) => stored.filter((e) => e.revision > rev).sort((x, y) => x.revision - y.revision).slice(0, limit),
      currentRevision: async () => 2,
    };
    const index = new InMemoryCatalogSearch(store as unknown as InMemoryCatalogStore, { overlap: 0 });
    await index.build();
    expect(index.size).toBe(2);
    expect(index.revision).toBe(2);
    expect(await index.refresh()).toMatchObject({ read: 1, size: 3, revision: 10 }); // c; b is held at that revision already
    expect(index.get(c.ref)?.revision).toBe(3);
  });
});
