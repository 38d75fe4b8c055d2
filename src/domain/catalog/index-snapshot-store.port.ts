/**
 * Where index snapshots are kept, shared by every replica (MongoDB in production and the sandbox).
 * Only the catalog index (src/adapters/catalog-index) uses it, yet it is a domain port: the Mongo
 * adapter implements it without knowing the index, and the composition root joins the two. The
 * bytes are opaque here; their format is the index's business.
 */
export interface IndexSnapshotMeta {
  id: string;
  /** SNAPSHOT_FORMAT of the code that wrote it: only the same code reads it. */
  format: string;
  /** The store revision the snapshot is current to. */
  revision: number;
  entities: number;
  bytes: number;
  createdAt: Date;
}

export interface NewIndexSnapshot {
  format: string;
  revision: number;
  entities: number;
  data: Buffer;
}

export interface IndexSnapshotStore {
  /** The complete snapshot of `format` with the highest revision, or undefined. */
  latest(format: string): Promise<IndexSnapshotMeta | undefined>;
  /**
   * A snapshot's bytes, in order, in pieces (so a reader never needs them all in memory at once).
   * Throws, before or between pieces, when the snapshot is gone (pruned by a newer save) or incomplete.
   */
  read(id: string): AsyncIterable<Buffer>;
  /**
   * Stores a snapshot (visible to latest() only once complete), then prunes: the newest two of
   * its format stay (a replica may still be reading the previous one), other formats a day old go.
   */
  save(snapshot: NewIndexSnapshot): Promise<IndexSnapshotMeta>;
  /** Removes a snapshot (one that proved unreadable), so latest() stops offering it. No-op when gone. */
  discard(id: string): Promise<void>;
}
