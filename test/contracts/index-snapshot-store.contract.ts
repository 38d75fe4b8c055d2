/**
 * What every IndexSnapshotStore must do (index-snapshot-store.port.ts), run against the in-memory
 * fake (test/unit/index-snapshot-store.contract.test.ts) and MongoIndexSnapshotStore on the run's
 * store (test/integration/index-snapshot-store.contract.int.test.ts). Each test uses formats of its
 * own, so tests sharing one store never see each other's snapshots. read() hands out the bytes in
 * pieces and throws when the snapshot is gone: readAll() joins them.
 */
import { createCipheriv, randomUUID } from 'node:crypto';
import type { IndexSnapshotStore, NewIndexSnapshot } from '../../src/domain/catalog/index-snapshot-store.port';

export interface IndexSnapshotStoreFixture {
  store: IndexSnapshotStore;
  close(): Promise<void>;
}

const uniqueFormat = () => `fmt-${randomUUID().slice(0, 8)}`;

/** Deterministic pseudo-random bytes (an AES-CTR key stream): incompressible, the same on every run. */
export function pseudoRandomBytes(length: number, seed: number): Buffer {
  const key = Buffer.alloc(16, seed & 0xff);
  key.writeUInt32LE(seed >>> 0, 0);
  return createCipheriv('aes-128-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(length));
}

/** Every piece read() hands out, concatenated (copies: a piece may be a view the store reuses). */
export async function readAll(store: IndexSnapshotStore, id: string): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for await (const piece of store.read(id)) {
    expect(Buffer.isBuffer(piece)).toBe(true);
    pieces.push(Buffer.from(piece));
  }
  return Buffer.concat(pieces);
}

const snapshot = (format: string, revision: number, data: Buffer = Buffer.from(`snapshot ${format} @${revision}`), entities = revision * 10): NewIndexSnapshot => ({
  format, revision, entities, data,
});

export function indexSnapshotStoreContract(name: string, makeFixture: () => Promise<IndexSnapshotStoreFixture>): void {
  describe(`IndexSnapshotStore contract: ${name}`, () => {
    let f: IndexSnapshotStoreFixture;
    let store: IndexSnapshotStore;
    beforeAll(async () => {
      f = await makeFixture();
      store = f.store;
    });
    afterAll(async () => {
      await f?.close();
    });

    it('latest() is undefined when nothing of that format was saved', async () => {
      expect(await store.latest(uniqueFormat())).toBeUndefined();
    });

    it('save() then latest() and read() give back a multi-chunk snapshot byte for byte, with its meta', async () => {
      const format = uniqueFormat();
      // 9 MB and a bit: more than two 4 MB chunks, the last one partial and of odd length.
      const data = pseudoRandomBytes(9 * 1024 * 1024 + 1234567 + 3, 7);
      const saved = await store.save({ format, revision: 4242, entities: 3100, data });
      expect(saved).toMatchObject({ format, revision: 4242, entities: 3100, bytes: data.length });
      expect(typeof saved.id).toBe('string');
      expect(saved.createdAt).toBeInstanceOf(Date);
      expect(Number.isNaN(saved.createdAt.getTime())).toBe(false);

      const latest = await store.latest(format);
      expect(latest).toBeDefined();
      expect(latest!.id).toBe(saved.id);
      expect(latest).toMatchObject({ format, revision: 4242, entities: 3100, bytes: data.length });
      expect(latest!.createdAt).toBeInstanceOf(Date);
      expect(latest!.createdAt.getTime()).toBe(saved.createdAt.getTime());

      const pieces: Buffer[] = [];
      for await (const piece of store.read(saved.id)) pieces.push(Buffer.from(piece));
      expect(pieces.length).toBeGreaterThan(1); // in pieces, as the port says
      const read = Buffer.concat(pieces);
      expect(read.length).toBe(data.length);
      expect(read.equals(data)).toBe(true);
      // A second read gives the same bytes again.
      expect((await readAll(store, saved.id)).equals(data)).toBe(true);
    });

    it('read() of a small (single-chunk) and an empty snapshot gives back exactly what was saved', async () => {
      const format = uniqueFormat();
      const small = Buffer.from([0, 1, 2, 253, 254, 255, 0]);
      const a = await store.save(snapshot(format, 1, small));
      expect((await readAll(store, a.id)).equals(small)).toBe(true);
      const b = await store.save(snapshot(uniqueFormat(), 1, Buffer.alloc(0)));
      expect((await readAll(store, b.id)).length).toBe(0);
    });

    it('the stored bytes are the store\'s: changing the saved buffer or a piece read does not change the snapshot', async () => {
      const format = uniqueFormat();
      const data = Buffer.from('do not touch me');
      const saved = await store.save(snapshot(format, 1, data));
      data.fill(0);
      for await (const piece of store.read(saved.id)) {
        expect(piece.toString()).toBe('do not touch me');
        piece.fill(0);
      }
      expect((await readAll(store, saved.id)).toString()).toBe('do not touch me');
    });

    it('latest() picks the highest revision of the requested format and ignores other formats', async () => {
      const format = uniqueFormat();
      const other = uniqueFormat();
      await store.save(snapshot(format, 10));
      const highest = await store.save(snapshot(format, 30));
      await store.save(snapshot(format, 20)); // saved last, but older
      await store.save(snapshot(other, 99));
      const latest = await store.latest(format);
      expect(latest).toMatchObject({ id: highest.id, format, revision: 30, entities: 300 });
      expect((await readAll(store, latest!.id)).toString()).toBe(`snapshot ${format} @30`);
      expect((await store.latest(other))?.revision).toBe(99);
      expect(await store.latest(uniqueFormat())).toBeUndefined();
    });

    it('after three saves of one format the oldest is gone and the newest two stay', async () => {
      const format = uniqueFormat();
      const first = await store.save(snapshot(format, 1));
      const second = await store.save(snapshot(format, 2));
      expect((await readAll(store, first.id)).toString()).toBe(`snapshot ${format} @1`); // two of a format: both kept
      const third = await store.save(snapshot(format, 3));

      await expect(readAll(store, first.id)).rejects.toThrow(); // gone
      expect((await readAll(store, second.id)).toString()).toBe(`snapshot ${format} @2`);
      expect((await readAll(store, third.id)).toString()).toBe(`snapshot ${format} @3`);
      const latest = await store.latest(format);
      expect(latest?.id).toBe(third.id);
      expect(latest?.id).not.toBe(first.id);
    });

    it('pruning one format leaves recent snapshots of other formats alone', async () => {
      const format = uniqueFormat();
      const other = uniqueFormat();
      const kept = await store.save(snapshot(other, 5));
      for (let r = 1; r <= 3; r++) await store.save(snapshot(format, r));
      expect((await readAll(store, kept.id)).toString()).toBe(`snapshot ${other} @5`);
      expect((await store.latest(other))?.id).toBe(kept.id);
    });

    it('discard() removes a snapshot: latest() falls back to the previous one, read() throws; unknown ids are a no-op', async () => {
      const format = uniqueFormat();
      const older = await store.save(snapshot(format, 1, pseudoRandomBytes(1000, 21)));
      const newer = await store.save(snapshot(format, 2, pseudoRandomBytes(5 * 1024 * 1024, 22)));
      await store.discard(newer.id);
      expect((await store.latest(format))?.id).toBe(older.id);
      await expect(readAll(store, newer.id)).rejects.toThrow();
      await store.discard(randomUUID());
      await store.discard(newer.id);
      expect((await store.latest(format))?.id).toBe(older.id);
    });

    it('read() of an unknown id throws (before any piece)', async () => {
      await expect(readAll(store, randomUUID())).rejects.toThrow();
      await expect(readAll(store, 'not-an-id')).rejects.toThrow();
    });

    it('a snapshot pruned while it is being read: the reader gets an error or the whole, exact bytes, never short or mixed ones', async () => {
      const format = uniqueFormat();
      const data = pseudoRandomBytes(9 * 1024 * 1024, 11);
      const reading = await store.save(snapshot(format, 1, data));
      const pieces: Buffer[] = [];
      let pruned = false;
      let error: unknown;
      try {
        for await (const piece of store.read(reading.id)) {
          pieces.push(Buffer.from(piece));
          if (!pruned) {
            pruned = true; // two newer saves of its format drop it
            await store.save(snapshot(format, 2, pseudoRandomBytes(9 * 1024 * 1024, 12)));
            await store.save(snapshot(format, 3, pseudoRandomBytes(9 * 1024 * 1024, 13)));
          }
        }
      } catch (e) {
        error = e;
      }
      expect(pruned).toBe(true);
      if (error === undefined) expect(Buffer.concat(pieces).equals(data)).toBe(true);
      else expect(error).toBeInstanceOf(Error);
      await expect(readAll(store, reading.id)).rejects.toThrow(); // and afterwards it is gone
    });
  });
}
