/**
 * The index's records, outside the JavaScript heap: each record is appended as bytes (its ref,
 * its hot fields as a JSON row, its encoded details) to large Buffers, and decoded when a
 * question touches it. 100k records as objects were ~1.3M heap objects (~90 MB) that every full GC
 * of a busy replica had to mark and move; as bytes they are ~65 MB the GC never looks at, and a
 * snapshot stores them as they are.
 *
 * Slots are append-only (a changed entity gets a new slot, its old one is killed), so a decoded
 * record never goes stale: a small direct-mapped cache keeps the records questions keep touching
 * (a popular service, its owner) decoded.
 */
import { fromRow, toRow, type CatalogRecord, type RecordRow } from './catalog-record';

/** Bytes per chunk: big enough that a 100k catalog is ~16 of them, small enough to grow cheaply. */
const CHUNK_BYTES = 4 * 1024 * 1024;
/** Per slot: chunk, start, end of ref, end of hot row, end of details. */
const FIELDS = 5;
const DEAD = 0xffffffff;
const CACHE_SIZE = 4096; // a power of two

/** What a snapshot stores of a table: its chunks (trimmed) and the per-slot offsets. */
export interface RecordTableParts {
  chunks: Buffer[];
  slots: Uint32Array;
}

export class RecordTable {
  private chunks: Buffer[] = [];
  /** Bytes used in the last chunk. */
  private used = 0;
  private slots: Uint32Array = new Uint32Array(FIELDS * 1024);
  private count = 0;
  private readonly cachedSlot = new Int32Array(CACHE_SIZE).fill(-1);
  private readonly cached: (CatalogRecord | undefined)[] = new Array(CACHE_SIZE).fill(undefined);

  static fromParts(parts: RecordTableParts): RecordTable {
    if (parts.slots.length % FIELDS) throw new Error('record table: slot offsets are cut short');
    const t = new RecordTable();
    t.chunks = parts.chunks;
    t.used = parts.chunks.length ? parts.chunks[parts.chunks.length - 1].length : 0;
    t.slots = parts.slots;
    t.count = parts.slots.length / FIELDS;
    for (let s = 0; s < t.count; s++) {
      const at = s * FIELDS;
      const chunk = t.slots[at];
      if (chunk === DEAD) continue;
      const [start, refEnd, hotEnd, end] = [t.slots[at + 1], t.slots[at + 2], t.slots[at + 3], t.slots[at + 4]];
      const ordered = start < refEnd && refEnd < hotEnd && hotEnd <= end;
      if (!ordered || chunk >= t.chunks.length || end > t.chunks[chunk].length) throw new Error(`record table: slot ${s} points outside its chunks`);
    }
    return t;
  }

  /** The table as a snapshot stores it: views of its bytes, not copies. */
  parts(): RecordTableParts {
    const chunks = this.chunks.map((c, i) => (i === this.chunks.length - 1 ? c.subarray(0, this.used) : c));
    return { chunks, slots: this.slots.subarray(0, this.count * FIELDS) };
  }

  /** Slots handed out so far, dead ones included. */
  get length(): number {
    return this.count;
  }

  /** Appends a record; returns its slot. */
  append(record: CatalogRecord): number {
    const row = toRow(record);
    const ref = row[0];
    const details = row[20];
    const hot = JSON.stringify(row.slice(1, 20));
    const size = Buffer.byteLength(ref) + Buffer.byteLength(hot) + Buffer.byteLength(details);
    if (!this.chunks.length || this.used + size > this.chunks[this.chunks.length - 1].length) {
      // A new chunk; a record bigger than a chunk (a group with thousands of members) gets its own.
      this.chunks.push(Buffer.allocUnsafeSlow(Math.max(CHUNK_BYTES, size)));
      this.used = 0;
    }
    const chunk = this.chunks.length - 1;
    const bytes = this.chunks[chunk];
    const start = this.used;
    const refEnd = start + bytes.write(ref, start);
    const hotEnd = refEnd + bytes.write(hot, refEnd);
    const end = hotEnd + bytes.write(details, hotEnd);
    this.used = end;
    const slot = this.count++;
    if (this.count * FIELDS > this.slots.length) {
      const grown = new Uint32Array(Math.max(FIELDS * 1024, this.slots.length * 2));
      grown.set(this.slots);
      this.slots = grown;
    }
    this.slots.set([chunk, start, refEnd, hotEnd, end], slot * FIELDS);
    return slot;
  }

  isLive(slot: number): boolean {
    return slot >= 0 && slot < this.count && this.slots[slot * FIELDS] !== DEAD;
  }

  kill(slot: number): void {
    if (!this.isLive(slot)) return;
    this.slots[slot * FIELDS] = DEAD;
    const c = slot & (CACHE_SIZE - 1);
    if (this.cachedSlot[c] === slot) {
      this.cachedSlot[c] = -1;
      this.cached[c] = undefined;
    }
  }

  /** The ref of a live slot, without decoding the rest. */
  refOf(slot: number): string | undefined {
    if (!this.isLive(slot)) return undefined;
    const at = slot * FIELDS;
    return this.chunks[this.slots[at]].toString('utf8', this.slots[at + 1], this.slots[at + 2]);
  }

  /** The record in a live slot, decoded (or from the cache). */
  get(slot: number): CatalogRecord | undefined {
    const c = slot & (CACHE_SIZE - 1);
    if (this.cachedSlot[c] === slot) return this.cached[c];
    const record = this.read(slot);
    if (record) {
      this.cachedSlot[c] = slot;
      this.cached[c] = record;
    }
    return record;
  }

  /** The record in a live slot, decoded and not cached (a rebuild walking every record). */
  read(slot: number): CatalogRecord | undefined {
    if (!this.isLive(slot)) return undefined;
    const at = slot * FIELDS;
    const bytes = this.chunks[this.slots[at]];
    const ref = bytes.toString('utf8', this.slots[at + 1], this.slots[at + 2]);
    const hot = JSON.parse(bytes.toString('utf8', this.slots[at + 2], this.slots[at + 3])) as unknown[];
    const details = bytes.toString('utf8', this.slots[at + 3], this.slots[at + 4]);
    return fromRow([ref, ...hot, details] as RecordRow);
  }
}
