/**
 * The cold half of the records (contacts, on-call, deployments, links...: what only an answer card
 * shows) kept deflated in blocks of 64 entities: ~75 MB of text for 100k entities becomes ~12 MB,
 * for ~0.3 s of compression at build. Reading one entry inflates its block (~50-100 us); the last
 * few blocks read stay inflated, so a card (entity + owner + a few URL checks) inflates little.
 * Entries are never removed: a replaced entity's old entry stays until the index is rebuilt.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';

const BLOCK = 64;
const CACHED_BLOCKS = 16;

export class DetailsArchive {
  private readonly blocks: Buffer[] = [];
  private open: string[] = [];
  private readonly cache = new Map<number, string[]>();

  /** Stores one entry (a string without newlines); returns its handle. */
  add(entry: string): number {
    const handle = this.blocks.length * BLOCK + this.open.length;
    this.open.push(entry);
    if (this.open.length === BLOCK) this.flush();
    return handle;
  }

  get(handle: number): string {
    const block = Math.floor(handle / BLOCK);
    const at = handle % BLOCK;
    if (block === this.blocks.length) return this.open[at];
    let entries = this.cache.get(block);
    if (entries) {
      this.cache.delete(block); // re-insert: Map order is the LRU order
    } else {
      entries = inflateRawSync(this.blocks[block]).toString('utf8').split('\n');
      if (this.cache.size >= CACHED_BLOCKS) this.cache.delete(this.cache.keys().next().value as number);
    }
    this.cache.set(block, entries);
    return entries[at];
  }

  /** Compresses the open block now (an entry added later starts a new block). */
  flush(): void {
    if (!this.open.length) return;
    // Pad to a full block so handles stay block * 64 + position.
    while (this.open.length < BLOCK) this.open.push('');
    this.blocks.push(deflateRawSync(this.open.join('\n'), { level: 1 }));
    this.open = [];
  }

  /** Compressed bytes held (for reports). */
  get bytes(): number {
    return this.blocks.reduce((a, b) => a + b.length, 0);
  }
}
