import { randomUUID } from 'node:crypto';
import type { IndexSnapshotMeta, IndexSnapshotStore, NewIndexSnapshot } from '../../src/domain/catalog/index-snapshot-store.port';

const DAY_MS = 86_400_000;
const PIECE = 1 << 20;

/** IndexSnapshotStore in memory: same contract as MongoIndexSnapshotStore (test/contracts/index-snapshot-store.contract.ts). */
export class InMemoryIndexSnapshotStore implements IndexSnapshotStore {
  private readonly snapshots = new Map<string, { meta: IndexSnapshotMeta; data: Buffer }>();
  saves = 0;
  reads = 0;

  constructor(private readonly now: () => Date = () => new Date()) {}

  async latest(format: string): Promise<IndexSnapshotMeta | undefined> {
    return newestFirst([...this.snapshots.values()].map((s) => s.meta).filter((m) => m.format === format))[0];
  }

  /** In 1 MB pieces, so sections spanning pieces are exercised as on the real store. */
  async *read(id: string): AsyncIterable<Buffer> {
    this.reads++;
    const s = this.snapshots.get(id);
    if (!s || s.data.length !== s.meta.bytes) throw new Error(`index snapshot ${id} is gone or incomplete`);
    for (let at = 0; at < s.data.length; at += PIECE) yield Buffer.from(s.data.subarray(at, at + PIECE));
  }

  async save(snapshot: NewIndexSnapshot): Promise<IndexSnapshotMeta> {
    this.saves++;
    const meta: IndexSnapshotMeta = { id: randomUUID(), format: snapshot.format, revision: snapshot.revision, entities: snapshot.entities, bytes: snapshot.data.length, createdAt: this.now() };
    this.snapshots.set(meta.id, { meta, data: Buffer.from(snapshot.data) });
    const metas = [...this.snapshots.values()].map((s) => s.meta);
    const keep = new Set(newestFirst(metas.filter((m) => m.format === meta.format)).slice(0, 2).map((m) => m.id));
    for (const m of metas) {
      const stale = m.format === meta.format ? !keep.has(m.id) : meta.createdAt.getTime() - m.createdAt.getTime() > DAY_MS;
      if (stale) this.snapshots.delete(m.id);
    }
    return meta;
  }

  async discard(id: string): Promise<void> {
    this.snapshots.delete(id);
  }

  /** Test helper: damage a stored snapshot's bytes. */
  corrupt(id: string): void {
    const s = this.snapshots.get(id);
    if (s) s.data = s.data.subarray(0, Math.floor(s.data.length / 2));
  }
}

const newestFirst = (metas: IndexSnapshotMeta[]) => [...metas].sort((a, b) => b.revision - a.revision || b.createdAt.getTime() - a.createdAt.getTime());
