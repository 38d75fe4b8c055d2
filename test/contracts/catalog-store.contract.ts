/**
 * What every CatalogStore must do, run against the in-memory fake and against mongoose on the
 * store of the run (test/integration/catalog-store.contract.int.test.ts). "No write" is checked
 * the portable way: the revision does not move.
 */
import type { CatalogStore } from '../../src/domain/catalog/catalog-store.port';
import type { CatalogEntityInput, Deployment } from '../../src/domain/catalog/catalog.types';

export interface CatalogStoreUnderTest {
  store: CatalogStore;
  close(): Promise<void>;
}

const A = 'file:/catalog/a.yaml';
const B = 'file:/catalog/b.yaml';

export function entity(name: string, location: string, overrides: Partial<CatalogEntityInput> = {}): CatalogEntityInput {
  return {
    ref: `component:default/${name}`,
    kind: 'Component',
    namespace: 'default',
    name,
    title: `Title of ${name}`,
    tags: ['java'],
    aliases: [],
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/team-payments',
    relations: [{ type: 'ownedBy', target: 'group:default/team-payments' }],
    contacts: { email: 'payments@contoso.example' },
    links: [{ url: `https://grafana.contoso.example/d/${name}`, title: 'Dashboard', type: 'dashboard' }],
    source: { pipelines: [`${name}-ci`], secretPrefix: name },
    members: [],
    location,
    sourceHash: `hash-of-${name}-v1`,
    ...overrides,
  };
}

const deployment = (environment: string, version: string, at: string): Deployment => ({
  environment,
  version,
  status: 'succeeded',
  deployedAt: new Date(at),
  pipelineRunUrl: `https://dev.azure.com/contoso/Payments/_build/results?buildId=${version.replace(/\D/g, '')}`,
});

export function catalogStoreContract(name: string, make: () => Promise<CatalogStoreUnderTest>): void {
  describe(`CatalogStore contract: ${name}`, () => {
    let subject: CatalogStoreUnderTest;
    let store: CatalogStore;

    beforeEach(async () => {
      subject = await make();
      store = subject.store;
    });
    afterEach(async () => subject?.close());

    it('creates, updates and leaves unchanged entities, and counts each', async () => {
      expect(await store.applyLocation(A, [entity('payments-api', A), entity('payments-web', A)])).toMatchObject({ created: 2, updated: 0, unchanged: 0, orphaned: 0 });
      const result = await store.applyLocation(A, [entity('payments-api', A, { sourceHash: 'v2', title: 'Payments API' }), entity('payments-web', A), entity('refunds', A)]);
      expect(result).toMatchObject({ created: 1, updated: 1, unchanged: 1, orphaned: 0 });
      expect((await store.get('component:default/payments-api'))?.title).toBe('Payments API');
      expect(await store.count()).toBe(3);
    });

    it('stores every descriptor field and reads it back as written', async () => {
      const input = entity('payments-api', A, {
        lifecycle: undefined, // absent, not null
        description: 'Card payments',
        aliases: ['payapi'],
        tier: 'tier-1',
        system: 'system:default/payments',
        contacts: { teamsChannelUrl: 'https://teams.microsoft.com/l/channel/x', email: 'p@contoso.example' },
        onCall: { rotation: 'payments-primary', current: { name: 'Alice', email: 'alice@contoso.example' }, escalation: [{ name: 'Bob', level: 1 }] },
        source: { repository: { project: 'Payments', name: 'payments-api', url: 'https://dev.azure.com/contoso/Payments/_git/payments-api' }, pipelines: ['payments-api-ci'], secretPrefix: 'payments-api' },
      });
      await store.applyLocation(A, [input]);
      const stored = await store.get(input.ref);
      const { lifecycle: _absent, ...written } = input;
      expect(stored).toMatchObject({ ...written, status: 'active', deployments: [] });
      expect(stored && 'lifecycle' in stored).toBe(false);
      expect(stored?.revision).toBeGreaterThan(0);
      expect(stored?.updatedAt).toBeInstanceOf(Date);
      expect(await store.get('component:default/nope')).toBeNull();
    });

    it('removes optional fields a new version of the descriptor no longer has', async () => {
      await store.applyLocation(A, [entity('payments-api', A, { description: 'old', tier: 'tier-1' })]);
      const { title: _t, ...withoutTitle } = entity('payments-api', A, { sourceHash: 'v2' });
      await store.applyLocation(A, [withoutTitle]);
      const stored = await store.get('component:default/payments-api');
      expect(stored?.title).toBeUndefined();
      expect(stored?.description).toBeUndefined();
      expect(stored?.tier).toBeUndefined();
    });

    it("keeps an API's definition reference, and removes it when the descriptor no longer has one", async () => {
      const definition = { source: 'file' as const, target: './openapi.yaml', bytes: 1234 };
      await store.applyLocation(A, [entity('payments-rest', A, { kind: 'API', ref: 'api:default/payments-rest', definition })]);
      expect((await store.get('api:default/payments-rest'))?.definition).toEqual(definition);
      await store.applyLocation(A, [entity('payments-rest', A, { kind: 'API', ref: 'api:default/payments-rest', sourceHash: 'v2' })]);
      expect((await store.get('api:default/payments-rest'))?.definition).toBeUndefined();
    });

    it('is idempotent: the same input again writes nothing (revision unchanged)', async () => {
      const input = [entity('payments-api', A), entity('payments-web', A)];
      await store.applyLocation(A, input);
      const revision = await store.currentRevision();
      const before = await store.get('component:default/payments-api');
      expect(await store.applyLocation(A, input)).toMatchObject({ created: 0, updated: 0, unchanged: 2, orphaned: 0 });
      expect(await store.currentRevision()).toBe(revision);
      expect((await store.get('component:default/payments-api'))?.revision).toBe(before?.revision);
    });

    it('orphans an entity that disappears from its location, and brings it back when it reappears', async () => {
      await store.applyLocation(A, [entity('payments-api', A), entity('payments-web', A)]);
      expect(await store.applyLocation(A, [entity('payments-api', A)])).toMatchObject({ unchanged: 1, orphaned: 1 });
      expect((await store.get('component:default/payments-web'))?.status).toBe('orphaned');
      expect(await store.count({ status: 'orphaned' })).toBe(1);
      expect(await store.count({ status: 'active' })).toBe(1);
      // Orphaning twice is not a change.
      const revision = await store.currentRevision();
      expect(await store.applyLocation(A, [entity('payments-api', A)])).toMatchObject({ unchanged: 1, orphaned: 0 });
      expect(await store.currentRevision()).toBe(revision);
      // Back with the same content: un-orphaned (an update).
      expect(await store.applyLocation(A, [entity('payments-api', A), entity('payments-web', A)])).toMatchObject({ updated: 1, unchanged: 1, orphaned: 0 });
      expect((await store.get('component:default/payments-web'))?.status).toBe('active');
    });

    it('keeps a retained entity (invalid this time) instead of orphaning it', async () => {
      await store.applyLocation(A, [entity('payments-api', A), entity('payments-web', A)]);
      const [result] = await store.applyLocations([{ location: A, entities: [entity('payments-api', A)], retain: ['component:default/payments-web'] }]);
      expect(result).toMatchObject({ unchanged: 1, orphaned: 0 });
      expect((await store.get('component:default/payments-web'))?.status).toBe('active');
    });

    it('keeps deployments and the recorded on-call across re-imports that change the entity', async () => {
      await store.applyLocation(A, [entity('payments-api', A, { onCall: { rotation: 'from-descriptor', current: { name: 'Old' }, escalation: [{ name: 'Lead', level: 1 }] } })]);
      await store.recordDeployment('component:default/payments-api', deployment('prod', '1.4.0', '2025-01-02T10:00:00Z'));
      await store.setOnCall('component:default/payments-api', { current: { name: 'Grace Oncall', email: 'grace@contoso.example' }, escalation: [] });
      expect(await store.applyLocation(A, [entity('payments-api', A, { sourceHash: 'v2', title: 'Renamed', onCall: { rotation: 'from-descriptor', current: { name: 'Old' }, escalation: [{ name: 'Lead', level: 1 }] } })])).toMatchObject({ updated: 1 });
      const stored = await store.get('component:default/payments-api');
      expect(stored?.title).toBe('Renamed');
      expect(stored?.deployments).toEqual([expect.objectContaining({ environment: 'prod', version: '1.4.0' })]);
      expect(stored?.onCall).toMatchObject({ rotation: 'from-descriptor', current: { name: 'Grace Oncall', email: 'grace@contoso.example' }, escalation: [{ name: 'Lead', level: 1 }] });
      // Orphaned and back: still there.
      await store.applyLocation(A, []);
      expect((await store.get('component:default/payments-api'))?.deployments).toHaveLength(1);
    });

    it('keeps the latest deployment per environment and ignores an older one', async () => {
      await store.applyLocation(A, [entity('payments-api', A)]);
      const ref = 'component:default/payments-api';
      await store.recordDeployment(ref, deployment('prod', '1.0.0', '2025-01-01T10:00:00Z'));
      await store.recordDeployment(ref, { ...deployment('staging', '1.1.0', '2025-01-01T11:00:00Z'), deployedBy: undefined });
      const updated = await store.recordDeployment(ref, deployment('prod', '1.1.0', '2025-01-01T12:00:00Z'));
      expect(updated?.deployments.map((d) => [d.environment, d.version])).toEqual([['prod', '1.1.0'], ['staging', '1.1.0']]);
      expect(updated?.deployments[0]?.deployedAt).toEqual(new Date('2025-01-01T12:00:00Z'));
      expect(updated?.deployments[1] && 'deployedBy' in updated.deployments[1]).toBe(false);
      const revision = await store.currentRevision();
      const stale = await store.recordDeployment(ref, deployment('prod', '0.9.0', '2024-12-31T10:00:00Z'));
      expect(stale?.deployments.find((d) => d.environment === 'prod')?.version).toBe('1.1.0');
      expect(await store.currentRevision()).toBe(revision);
      expect(await store.recordDeployment('component:default/nope', deployment('prod', '1', '2025-01-01T00:00:00Z'))).toBeNull();
      expect(await store.setOnCall('component:default/nope', { escalation: [] })).toBeNull();
    });

    it('gives every change a higher revision than anything before it', async () => {
      expect(await store.currentRevision()).toBe(0);
      await store.applyLocation(A, [entity('a1', A), entity('a2', A)]);
      const r1 = await store.currentRevision();
      const created = await store.getMany(['component:default/a1', 'component:default/a2']);
      expect(new Set(created.map((e) => e.revision)).size).toBe(2);
      for (const e of created) expect(e.revision).toBeLessThanOrEqual(r1);

      await store.applyLocation(A, [entity('a1', A, { sourceHash: 'v2' })]); // a1 updated, a2 orphaned
      const after = await store.getMany(['component:default/a1', 'component:default/a2']);
      for (const e of after) expect(e.revision).toBeGreaterThan(r1);
      const r2 = await store.currentRevision();
      expect(r2).toBeGreaterThan(r1);

      const deployed = await store.recordDeployment('component:default/a1', deployment('prod', '2.0.0', '2025-02-01T00:00:00Z'));
      expect(deployed?.revision).toBeGreaterThan(r2);
      const onCall = await store.setOnCall('component:default/a1', { current: { name: 'Grace' }, escalation: [] });
      expect(onCall?.revision).toBeGreaterThan(deployed!.revision);
      expect(await store.currentRevision()).toBeGreaterThanOrEqual(onCall!.revision);
    });

    it('pages changedSince in revision order without gaps or repeats', async () => {
      await store.applyLocation(A, Array.from({ length: 7 }, (_, i) => entity(`svc-${i}`, A)));
      await store.applyLocation(B, Array.from({ length: 5 }, (_, i) => entity(`web-${i}`, B)));
      await store.applyLocation(A, Array.from({ length: 7 }, (_, i) => entity(`svc-${i}`, A, i < 2 ? { sourceHash: 'v2' } : {})));
      const seen: number[] = [];
      const refs: string[] = [];
      for (let since = 0; ; ) {
        const page = await store.changedSince(since, 3);
        if (!page.length) break;
        expect(page.length).toBeLessThanOrEqual(3);
        seen.push(...page.map((e) => e.revision));
        refs.push(...page.map((e) => e.ref));
        since = page[page.length - 1]!.revision;
      }
      expect(seen).toEqual([...seen].sort((a, b) => a - b));
      expect(new Set(refs).size).toBe(12);
      expect(refs.length).toBe(12);
      expect(refs.slice(-2).sort()).toEqual(['component:default/svc-0', 'component:default/svc-1']);
      expect(await store.changedSince(await store.currentRevision(), 10)).toEqual([]);
    });

    it('streams every entity (active and orphaned) once, as the index reads it, in batches of at most the size asked', async () => {
      if (!store.streamAll) return; // optional: the index pages changedSince(0) instead
      await store.applyLocation(A, Array.from({ length: 7 }, (_, i) => entity(`svc-${i}`, A)));
      await store.applyLocation(B, Array.from({ length: 5 }, (_, i) => entity(`web-${i}`, B)));
      await store.applyLocation(B, Array.from({ length: 4 }, (_, i) => entity(`web-${i}`, B))); // web-4 orphaned
      await store.recordDeployment('component:default/svc-1', deployment('prod', '1.0.0', '2025-01-01T00:00:00Z'));
      const batches: number[] = [];
      const streamed = new Map<string, unknown>();
      for await (const batch of store.streamAll(5)) {
        batches.push(batch.length);
        for (const e of batch) {
          expect(streamed.has(e.ref)).toBe(false);
          streamed.set(e.ref, e);
        }
      }
      expect(batches.every((n) => n > 0 && n <= 5)).toBe(true);
      expect(streamed.size).toBe(12);
      const stored = await store.getMany([...streamed.keys()]);
      // What the index reads; the import's bookkeeping may be left out.
      for (const { location: _l, sourceHash: _h, updatedAt: _u, ...indexed } of stored) expect(streamed.get(indexed.ref)).toMatchObject(indexed);
      expect(stored.find((e) => e.ref === 'component:default/web-4')?.status).toBe('orphaned');
      expect(Math.max(...stored.map((e) => e.revision))).toBeLessThanOrEqual(await store.currentRevision());
    });

    it('streams each entity with its location when asked (the catalog health reads where a descriptor lives)', async () => {
      if (!store.streamAll) return;
      await store.applyLocation(A, [entity('svc-0', A)]);
      await store.applyLocation(B, [entity('web-0', B)]);
      const located = new Map<string, string | undefined>();
      for await (const batch of store.streamAll(10, { withLocation: true })) for (const e of batch) located.set(e.ref, e.location);
      expect(Object.fromEntries(located)).toEqual({ 'component:default/svc-0': A, 'component:default/web-0': B });
    });

    it('getMany returns the entities found, in the order asked, once each', async () => {
      await store.applyLocation(A, [entity('one', A), entity('two', A), entity('three', A)]);
      const found = await store.getMany(['component:default/three', 'component:default/missing', 'component:default/one', 'component:default/three']);
      expect(found.map((e) => e.name)).toEqual(['three', 'one']);
      expect(await store.getMany([])).toEqual([]);
    });

    it('getMany returns orphaned entities too, with their status (callers decide: an orphaned User is no team member)', async () => {
      await store.applyLocation(A, [entity('kept', A), entity('gone', A)]);
      await store.applyLocation(A, [entity('kept', A)]);
      const found = await store.getMany(['component:default/kept', 'component:default/gone']);
      expect(found.map((e) => [e.name, e.status])).toEqual([
        ['kept', 'active'],
        ['gone', 'orphaned'],
      ]);
    });

    it('leaves an entity with the location holding it: a second location declaring it is a conflict', async () => {
      await store.applyLocation(A, [entity('payments-api', A)]);
      const revision = await store.currentRevision();
      const result = await store.applyLocation(B, [entity('payments-api', B, { sourceHash: 'different' }), entity('payments-web', B)]);
      expect(result).toMatchObject({ created: 1, updated: 0, conflicts: [{ ref: 'component:default/payments-api', heldBy: A }] });
      expect((await store.get('component:default/payments-api'))?.location).toBe(A);
      // The same content declared twice is no conflict and no write.
      const again = await store.applyLocation(B, [entity('payments-api', B), entity('payments-web', B)]);
      expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
      expect(again.conflicts ?? []).toEqual([]);
      expect(await store.currentRevision()).toBeGreaterThan(revision); // payments-web was created
    });

    it('lets another location take over an orphaned entity, and an entity moved between locations in one call', async () => {
      await store.applyLocation(A, [entity('payments-api', A), entity('payments-web', A)]);
      await store.applyLocation(A, [entity('payments-web', A)]); // payments-api orphaned
      expect(await store.applyLocation(B, [entity('payments-api', B)])).toMatchObject({ updated: 1 });
      expect(await store.get('component:default/payments-api')).toMatchObject({ location: B, status: 'active' });

      const [a, b] = await store.applyLocations([
        { location: A, entities: [] },
        { location: B, entities: [entity('payments-api', B), entity('payments-web', B)] },
      ]);
      expect(a).toMatchObject({ orphaned: 0 });
      expect(b).toMatchObject({ updated: 1, unchanged: 1 });
      expect(await store.get('component:default/payments-web')).toMatchObject({ location: B, status: 'active' });
    });

    it('remembers each location (fingerprint, problems, notes, follows) and lists the ones holding entities', async () => {
      const problems = [{ location: A, entity: 'broken', reason: 'spec.owner is required' }];
      const notes = [{ location: A, message: 'not a catalog entity (no apiVersion, no kind): skipped (document 3)' }];
      await store.applyLocations([
        { location: A, entities: [entity('payments-api', A)], fingerprint: 'fp-a', problems, notes, follows: [B], retain: [] },
        { location: B, entities: [], fingerprint: 'fp-b' },
      ]);
      expect(await store.getLocations([A, B, 'file:/unknown'])).toEqual([
        { location: A, fingerprint: 'fp-a', problems, notes, follows: [B], entityCount: 1 },
        { location: B, fingerprint: 'fp-b', problems: [], notes: [], follows: [], entityCount: 0 },
      ]);
      // Notes that change are written (the same fingerprint would otherwise keep the old ones).
      await store.applyLocations([{ location: B, entities: [], fingerprint: 'fp-b', notes }]);
      expect((await store.getLocations([B]))[0]?.notes).toEqual(notes);
      expect(await store.listLocations('file:/catalog/')).toEqual([A]);
      expect(await store.listLocations('azure-devops:')).toEqual([]);
      // A location declaring an entity it does not hold keeps no fingerprint: it is read again next time.
      await store.applyLocations([{ location: B, entities: [entity('payments-api', B, { sourceHash: 'other' })], fingerprint: 'fp-b2' }]);
      expect((await store.getLocations([B]))[0]?.fingerprint).toBeUndefined();
    });
  });
}
