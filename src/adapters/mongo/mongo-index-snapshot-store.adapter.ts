/**
 * Index snapshots in MongoDB: a snapshot's bytes in `catalog_index_chunks` (4 MB documents, read one
 * at a time and handed out as they arrive: the embedded store fails a reply of several 8 MB
 * documents with "offset is out of bounds"), then one `catalog_index_snapshots` document, written
 * last, so latest() only ever sees complete snapshots. Snapshots are immutable (new id per save): replicas saving at once never
 * overwrite each other; pruning keeps the previous snapshot for readers still on it.
 */
import { randomUUID } from 'node:crypto';
import { mongo, Schema, type Collection, type Connection } from 'mongoose';
import type { IndexSnapshotMeta, IndexSnapshotStore, NewIndexSnapshot } from '../../domain/catalog/index-snapshot-store.port';
import { defineModel } from './model-definition';

const CHUNK_BYTES = 4 << 20;
const KEEP_PER_FORMAT = 2;
const DAY_MS = 86_400_000;
/** Chunks without a snapshot document this old are left over from a save that died. */
const ABANDONED_MS = 3_600_000;

interface SnapshotDoc {
  snapshotId: string;
  format: string;
  revision: number;
  entities: number;
  bytes: number;
  chunks: number;
  createdAt: Date;
}

interface ChunkDoc {
  snapshotId: string;
  n: number;
  data: mongo.Binary;
  createdAt: Date;
}

// Schemas for the indexes (created by the migration, or at model registration where autoIndex is on);
// reads and writes go through the driver collection: the chunks are raw bytes, not documents to cast.
const snapshotSchema = new Schema<SnapshotDoc>(
  {
    snapshotId: { type: String, required: true },
    format: { type: String, required: true },
    revision: { type: Number, required: true },
    entities: { type: Number, required: true },
    bytes: { type: Number, required: true },
    chunks: { type: Number, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'catalog_index_snapshots', versionKey: false },
);
snapshotSchema.index({ format: 1, revision: -1 });
export const indexSnapshotModel = defineModel('CatalogIndexSnapshot', snapshotSchema);

const chunkSchema = new Schema<ChunkDoc>(
  {
    snapshotId: { type: String, required: true },
    n: { type: Number, required: true },
    data: { type: Buffer, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'catalog_index_chunks', versionKey: false },
);
chunkSchema.index({ snapshotId: 1, n: 1 });
export const indexChunkModel = defineModel('CatalogIndexChunk', chunkSchema);

export class MongoIndexSnapshotStore implements IndexSnapshotStore {
  private readonly snapshots: Collection<SnapshotDoc>;
  private readonly chunks: Collection<ChunkDoc>;

  constructor(conn: Connection) {
    this.snapshots = indexSnapshotModel.of(conn).collection as unknown as Collection<SnapshotDoc>;
    this.chunks = indexChunkModel.of(conn).collection as unknown as Collection<ChunkDoc>;
  }

  async latest(format: string): Promise<IndexSnapshotMeta | undefined> {
    const [doc] = await this.snapshots.find({ format }, { projection: { _id: 0 } }).sort({ revision: -1, createdAt: -1 }).limit(1).toArray();
    return doc && toMeta(doc);
  }

  async *read(id: string): AsyncIterable<Buffer> {
    const meta = await this.snapshots.findOne({ snapshotId: id }, { projection: { _id: 0 } });
    if (!meta) throw new Error(`index snapshot ${id} is gone`);
    let bytes = 0;
    for (let n = 0; n < meta.chunks; n++) {
      const chunk = await this.chunks.findOne({ snapshotId: id, n }, { projection: { _id: 0, data: 1 } });
      if (!chunk) throw new Error(`index snapshot ${id} is gone (chunk ${n} of ${meta.chunks})`); // pruned while we read
      const piece = bytesOf(chunk.data);
      bytes += piece.length;
      yield piece;
    }
    if (bytes !== meta.bytes) throw new Error(`index snapshot ${id} is incomplete: ${bytes} of ${meta.bytes} bytes`);
  }

  async save(snapshot: NewIndexSnapshot): Promise<IndexSnapshotMeta> {
    const createdAt = new Date();
    const snapshotId = randomUUID();
    const chunks = Math.ceil(snapshot.data.length / CHUNK_BYTES);
    for (let n = 0; n < chunks; n++) {
      const data = new mongo.Binary(snapshot.data.subarray(n * CHUNK_BYTES, (n + 1) * CHUNK_BYTES));
      await this.chunks.insertOne({ snapshotId, n, data, createdAt });
    }
    const doc: SnapshotDoc = { snapshotId, format: snapshot.format, revision: snapshot.revision, entities: snapshot.entities, bytes: snapshot.data.length, chunks, createdAt };
    await this.snapshots.insertOne({ ...doc });
    await this.prune(doc);
    return toMeta(doc);
  }

  async discard(id: string): Promise<void> {
    await this.snapshots.deleteMany({ snapshotId: id }); // first: latest() stops offering it at once
    await this.chunks.deleteMany({ snapshotId: id });
  }

  private async prune(saved: SnapshotDoc): Promise<void> {
    const docs = await this.snapshots.find({}, { projection: { _id: 0, snapshotId: 1, format: 1, revision: 1, createdAt: 1 } }).toArray();
    const ours = docs.filter((d) => d.format === saved.format).sort((a, b) => b.revision - a.revision || b.createdAt.getTime() - a.createdAt.getTime());
    const keep = new Set(ours.slice(0, KEEP_PER_FORMAT).map((d) => d.snapshotId));
    const stale = docs
      .filter((d) => (d.format === saved.format ? !keep.has(d.snapshotId) : saved.createdAt.getTime() - d.createdAt.getTime() > DAY_MS))
      .map((d) => d.snapshotId);
    if (stale.length) {
      await this.snapshots.deleteMany({ snapshotId: { $in: stale } });
      await this.chunks.deleteMany({ snapshotId: { $in: stale } });
    }
    const known = new Set(docs.map((d) => d.snapshotId));
    const leftovers = await this.chunks.find({ createdAt: { $lt: new Date(saved.createdAt.getTime() - ABANDONED_MS) } }, { projection: { _id: 0, snapshotId: 1 } }).toArray();
    const abandoned = [...new Set(leftovers.map((c) => c.snapshotId))].filter((id) => !known.has(id));
    if (abandoned.length) await this.chunks.deleteMany({ snapshotId: { $in: abandoned } });
  }
}

const bytesOf = (data: mongo.Binary): Buffer => Buffer.from(data.buffer.buffer, data.buffer.byteOffset, data.position);

function toMeta(d: SnapshotDoc): IndexSnapshotMeta {
  return { id: d.snapshotId, format: d.format, revision: d.revision, entities: d.entities, bytes: d.bytes, createdAt: d.createdAt };
}
