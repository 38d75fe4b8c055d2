/** The IndexSnapshotStore contract on the in-memory fake (MongoIndexSnapshotStore: test/integration/index-snapshot-store.contract.int.test.ts). */
import { indexSnapshotStoreContract, readAll } from '../contracts/index-snapshot-store.contract';
import { InMemoryIndexSnapshotStore } from '../fakes/in-memory-index-snapshot-store';

indexSnapshotStoreContract('InMemoryIndexSnapshotStore', async () => ({ store: new InMemoryIndexSnapshotStore(), close: async () => undefined }));

describe('InMemoryIndexSnapshotStore (fake-only: its clock can be moved)', () => {
  it('a save drops snapshots of other formats older than a day, and keeps younger ones', async () => {
    let now = new Date('2030-01-01T00:00:00Z');
    const store = new InMemoryIndexSnapshotStore(() => now);
    const old = await store.save({ format: 'old-code', revision: 1, entities: 1, data: Buffer.from('old') });
    now = new Date('2030-01-01T12:00:00Z');
    const recent = await store.save({ format: 'recent-code', revision: 1, entities: 1, data: Buffer.from('recent') });
    now = new Date('2030-01-02T00:00:01Z'); // a day and a second after `old`, half a day after `recent`
    await store.save({ format: 'new-code', revision: 1, entities: 1, data: Buffer.from('new') });
    await expect(readAll(store, old.id)).rejects.toThrow();
    expect(await store.latest('old-code')).toBeUndefined();
    expect((await readAll(store, recent.id)).toString()).toBe('recent');
  });

  it('corrupt() damages the stored bytes, so read() fails (for restore tests); reads and saves are counted', async () => {
    const store = new InMemoryIndexSnapshotStore();
    const saved = await store.save({ format: 'f', revision: 1, entities: 1, data: Buffer.from('0123456789') });
    store.corrupt(saved.id);
    await expect(readAll(store, saved.id)).rejects.toThrow(/incomplete/);
    expect(store.saves).toBe(1);
    expect(store.reads).toBe(1);
  });
});
