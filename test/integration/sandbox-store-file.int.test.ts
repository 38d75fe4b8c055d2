/**
 * The sandbox store's file persistence (src/sandbox/store-file.mjs, used by mongo-server.mjs): what
 * is written through the driver survives a graceful stop and a start on the same file, with its
 * BSON types (Binary stays Binary, Date stays Date), and a data dir from before the BSON file (the
 * store's own db.json) is still loaded. Each test runs its own store process on a temporary file.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mongo, type Connection } from 'mongoose';
import { connectMongo } from '../../src/adapters/mongo/mongo-connection';
import { MongoIndexSnapshotStore } from '../../src/adapters/mongo/mongo-index-snapshot-store.adapter';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../src/sandbox/embedded-mongo';
import { pseudoRandomBytes, readAll } from '../contracts/index-snapshot-store.contract';

const DB = 'sandbox_store_file';
const MANY = 2000;

describe('sandbox store file', () => {
  const dirs: string[] = [];
  const running = new Set<EmbeddedMongo>();
  const connections = new Set<Connection>();

  const tmpDir = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sandbox-store-file-'));
    dirs.push(dir);
    return dir;
  };
  async function start(persistPath: string, dbName = DB) {
    const server = await startEmbeddedMongo({ persistPath });
    running.add(server);
    const conn = await connectMongo(server.uri, dbName);
    connections.add(conn);
    return { server, conn };
  }
  /** Graceful: close the client, then stop the store (which persists before it exits). */
  async function stop({ server, conn }: { server: EmbeddedMongo; conn: Connection }) {
    await conn.close();
    connections.delete(conn);
    await server.stop();
    running.delete(server);
  }

  afterAll(async () => {
    for (const conn of connections) await conn.close().catch(() => undefined);
    for (const server of running) await server.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('documents, BSON types, a large collection and indexes survive a stop and a start on the same file', async () => {
    const file = path.join(tmpDir(), 'data', 'db.bson'); // a directory that does not exist yet
    const bytes = pseudoRandomBytes(3 * 1024 * 1024 + 17, 41); // a large Binary, odd length
    const when = new Date('2025-03-01T10:20:30.456Z');
    const id = new mongo.ObjectId();
    const doc = {
      _id: id,
      name: 'payments-api',
      bin: bytes,
      smallBin: Buffer.from([0, 1, 2, 255]),
      when,
      nested: { deeper: { at: new Date('2024-12-31T23:59:59.999Z'), camelCaseKey: 'value', 'with-dash': true, 'with space': null, ключ: 'unicode key' } },
      matrix: [[1, 2], [3, [4, 5, [6]]], [], [{ inArray: new Date(0) }]],
      numbers: { int: 42, negative: -7, double: 1.5, big: 2 ** 40, zero: 0 },
      emptyObject: {},
      emptyArray: [],
      flag: false,
    };

    const first = await start(file);
    const db = first.conn.db!;
    await db.collection('things').insertOne(doc);
    await db.collection('many').insertMany(Array.from({ length: MANY }, (_, i) => ({ i, name: `doc-${i}`, even: i % 2 === 0 })));
    await db.collection('many').createIndex({ name: 1 }, { unique: true });
    await db.collection('many').updateOne({ i: 7 }, { $set: { updated: true } });
    await db.collection('many').deleteOne({ i: 8 });
    await db.collection('emptied').insertOne({ x: 1 });
    await db.collection('emptied').deleteMany({});
    await stop(first);

    expect(existsSync(file)).toBe(true);
    expect(statSync(file).size).toBeGreaterThan(bytes.length);
    expect(readdirSync(path.dirname(file)).filter((f) => f.includes('.tmp-'))).toEqual([]); // written whole, then renamed

    const second = await start(file);
    const db2 = second.conn.db!;
    const back = await db2.collection('things').findOne({ _id: id });
    expect(back).not.toBeNull();
    expect(back!._id).toBeInstanceOf(mongo.ObjectId);
    expect(back!._id.toHexString()).toBe(id.toHexString());

    expect(back!.bin).toBeInstanceOf(mongo.Binary);
    const binBack = back!.bin as InstanceType<typeof mongo.Binary>;
    expect(binBack.length()).toBe(bytes.length);
    expect(Buffer.from(binBack.buffer.buffer, binBack.buffer.byteOffset, binBack.length()).equals(bytes)).toBe(true);
    expect(Buffer.from((back!.smallBin as InstanceType<typeof mongo.Binary>).value()).equals(Buffer.from([0, 1, 2, 255]))).toBe(true);

    expect(back!.when).toBeInstanceOf(Date);
    expect((back!.when as Date).getTime()).toBe(when.getTime());
    expect(back!.nested.deeper.at).toBeInstanceOf(Date);
    expect((back!.nested.deeper.at as Date).toISOString()).toBe('2024-12-31T23:59:59.999Z');
    expect(back!.matrix[3][0].inArray).toBeInstanceOf(Date);
    expect((back!.matrix[3][0].inArray as Date).getTime()).toBe(0);

    const { bin: _b, smallBin: _s, ...plain } = doc;
    const { bin: _b2, smallBin: _s2, ...plainBack } = back!;
    expect({ ...plainBack, _id: plainBack._id.toHexString() }).toEqual({ ...plain, _id: id.toHexString() });

    const many = db2.collection('many');
    expect(await many.countDocuments()).toBe(MANY - 1);
    expect(await many.findOne({ i: 7 }, { projection: { _id: 0 } })).toEqual({ i: 7, name: 'doc-7', even: false, updated: true });
    expect(await many.findOne({ i: 8 })).toBeNull();
    expect(await many.countDocuments({ even: true })).toBe(MANY / 2 - 1);
    const names = (await many.find({}, { projection: { _id: 0, i: 1 } }).toArray()).map((d) => d.i as number).sort((a, b) => a - b);
    expect(names).toEqual(Array.from({ length: MANY }, (_, i) => i).filter((i) => i !== 8));
    expect((await many.indexes()).map((ix) => ix.name)).toEqual(expect.arrayContaining(['_id_', 'name_1']));
    // The index specs come back (the embedded store does not enforce `unique` on insert, before or after a restart).
    expect((await many.indexes()).find((ix) => ix.name === 'name_1')).toMatchObject({ key: { name: 1 }, unique: true });
    expect(await db2.collection('emptied').countDocuments()).toBe(0);
    expect((await db2.listCollections().toArray()).map((c) => c.name).sort()).toEqual(['emptied', 'many', 'things']);

    // Writes after a restart are kept too (a second generation of the file).
    await db2.collection('things').insertOne({ name: 'after-restart', at: when });
    await stop(second);
    const third = await start(file);
    try {
      expect(await third.conn.db!.collection('things').countDocuments()).toBe(2);
      expect(await third.conn.db!.collection('many').countDocuments()).toBe(MANY - 1);
      const after = await third.conn.db!.collection('things').findOne({ name: 'after-restart' });
      expect(after!.at).toBeInstanceOf(Date);
    } finally {
      await stop(third);
    }
  });

  it('an index snapshot (4 MB chunks) written before a restart is read back byte for byte after it', async () => {
    const file = path.join(tmpDir(), 'db.bson');
    const data = pseudoRandomBytes(9 * 1024 * 1024 + 5, 43);
    const first = await start(file);
    const saved = await new MongoIndexSnapshotStore(first.conn).save({ format: 'restart-test', revision: 12, entities: 3, data });
    await stop(first);

    const second = await start(file);
    try {
      const store = new MongoIndexSnapshotStore(second.conn);
      const latest = await store.latest('restart-test');
      expect(latest).toMatchObject({ id: saved.id, revision: 12, entities: 3, bytes: data.length });
      expect(latest!.createdAt).toBeInstanceOf(Date);
      expect(latest!.createdAt.getTime()).toBe(saved.createdAt.getTime());
      expect((await readAll(store, saved.id)).equals(data)).toBe(true);
    } finally {
      await stop(second);
    }
  });

  it('a legacy db.json next to a missing db.bson is loaded, and saved as db.bson on stop', async () => {
    const dir = tmpDir();
    const file = path.join(dir, 'db.bson');
    const hex = '65f0a1b2c3d4e5f601234567';
    writeFileSync(path.join(dir, 'db.json'), JSON.stringify({ databases: { d: { c: [{ _id: hex, a: 1 }] } }, indexes: {}, opLogCounter: 0 }));
    expect(existsSync(file)).toBe(false);

    const first = await start(file, 'd');
    const docs = await first.conn.db!.collection('c').find({}).toArray();
    expect(docs).toHaveLength(1);
    expect(docs[0]._id).toBeInstanceOf(mongo.ObjectId);
    expect(docs[0]._id.toHexString()).toBe(hex);
    expect(docs[0].a).toBe(1);
    await stop(first);
    expect(existsSync(file)).toBe(true); // migrated

    rmSync(path.join(dir, 'db.json'));
    const second = await start(file, 'd');
    try {
      const again = await second.conn.db!.collection('c').find({}).toArray();
      expect(again.map((d) => [d._id.toHexString(), d.a])).toEqual([[hex, 1]]);
    } finally {
      await stop(second);
    }
  });

  it('a data dir with neither file starts empty', async () => {
    const file = path.join(tmpDir(), 'db.bson');
    const first = await start(file);
    try {
      expect(await first.conn.db!.collection('anything').countDocuments()).toBe(0);
    } finally {
      await stop(first);
    }
  });
});
