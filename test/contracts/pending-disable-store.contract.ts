/**
 * What every PendingDisableStore must do, on the in-memory fake (test/unit/pending-disable-store.contract.test.ts)
 * and the Mongo adapter (test/integration/pending-disable-store.contract.int.test.ts). Each test uses ids of its own.
 */
import { randomUUID } from 'node:crypto';
import type { PendingDisable, PendingDisableStore } from '../../src/domain/secrets/pending-disable-store.port';

export interface PendingDisableFixture {
  store: PendingDisableStore;
  close(): Promise<void>;
}

export function pendingDisableStoreContract(name: string, open: () => Promise<PendingDisableFixture>): void {
  describe(`pending disable store: ${name}`, () => {
    let fixture: PendingDisableFixture;
    beforeAll(async () => {
      fixture = await open();
    });
    afterAll(() => fixture.close());

    const record = (dueAt: string, extra: Partial<PendingDisable> = {}): PendingDisable => ({
      id: `alice:${randomUUID()}`,
      vault: 'https://kv-dev.vault.azure.net',
      vaultName: 'kv-dev',
      name: 'payments-api--dev--db-password',
      versions: ['v1', 'v2'],
      keep: 'v3',
      dueAt: new Date(dueAt),
      service: 'payments-api',
      env: 'dev',
      requestedBy: 'id-alice',
      createdAt: new Date('2030-01-01T00:00:00Z'),
      ...extra,
    });

    it('adds once per id: a second add keeps the first record', async () => {
      const first = record('2030-01-02T00:00:00Z');
      await fixture.store.add(first);
      await fixture.store.add({ ...first, versions: ['other'], dueAt: new Date('2030-06-01T00:00:00Z') });
      await expect(fixture.store.get(first.id)).resolves.toEqual(first);
      await expect(fixture.store.get(`${first.id}-missing`)).resolves.toBeNull();
    });

    it('due: undone records due by now, soonest first, at most the limit; done ones never again, the first outcome kept', async () => {
      // A far-future window of its own, so other tests' records never count.
      const base = Date.UTC(2200 + Math.floor(Math.random() * 700), 0, 1);
      const at = (h: number) => new Date(base + h * 3_600_000).toISOString();
      const early = record(at(1));
      const later = record(at(2));
      const notYet = record(at(5));
      for (const r of [later, notYet, early]) await fixture.store.add(r);
      const due = (await fixture.store.due(new Date(at(3)), 1000)).filter((r) => [early.id, later.id, notYet.id].includes(r.id));
      expect(due.map((r) => r.id)).toEqual([early.id, later.id]);
      const [first] = await fixture.store.due(new Date(at(3)), 1);
      expect(first!.dueAt.getTime()).toBeLessThanOrEqual(new Date(at(1)).getTime());
      await fixture.store.markDone(early.id, { at: new Date(at(3)), disabled: ['v1'], gone: ['v2'] });
      await fixture.store.markDone(early.id, { at: new Date(at(4)), disabled: [], gone: [] });
      expect((await fixture.store.due(new Date(at(3)), 1000)).map((r) => r.id)).not.toContain(early.id);
      await expect(fixture.store.get(early.id)).resolves.toEqual({ ...early, doneAt: new Date(at(3)), disabled: ['v1'], gone: ['v2'] });
    });
  });
}
