/**
 * A multimap from 32-bit hashes to 32-bit values, held in two sorted typed arrays: 8 bytes per
 * entry, where a Map of strings costs ~100. Keys are hashes, so a lookup returns candidates the
 * caller verifies. Entries added after `seal()` go to a small Map (the incremental refresh); values
 * are never removed: callers skip dead values and rebuild when too many are dead.
 */
import { lowerBound } from './sorted-search';

export interface SealedArrays {
  hashes: Uint32Array;
  values: Uint32Array;
}

export class HashMultiMap {
  private hashes: Uint32Array = new Uint32Array(0);
  private values: Uint32Array = new Uint32Array(0);
  // Before seal(): growable typed buffers, so a 100k-entity build makes no per-entry garbage.
  private pendingHashes = new Uint32Array(1024);
  private pendingValues = new Uint32Array(1024);
  private pending = 0;
  private readonly delta = new Map<number, number[]>();
  private deltaEntries = 0;
  private sealed = false;

  get size(): number {
    return this.hashes.length + this.pending + this.deltaEntries;
  }

  /** Entries added since seal(). */
  get unsealedSize(): number {
    return this.deltaEntries;
  }

  add(hash: number, value: number): void {
    if (this.sealed) {
      const list = this.delta.get(hash);
      if (list) list.push(value);
      else this.delta.set(hash, [value]);
      this.deltaEntries++;
      return;
    }
    if (this.pending === this.pendingHashes.length) this.grow();
    this.pendingHashes[this.pending] = hash;
    this.pendingValues[this.pending++] = value;
  }

  /** A sealed map over arrays `sealedArrays()` returned (an index snapshot): no copy is made. */
  static fromSealed(arrays: SealedArrays): HashMultiMap {
    const map = new HashMultiMap();
    map.hashes = arrays.hashes;
    map.values = arrays.values;
    map.pendingHashes = new Uint32Array(0);
    map.pendingValues = new Uint32Array(0);
    map.sealed = true;
    return map;
  }

  /** The compact arrays, when everything is in them (sealed, nothing added since); else undefined. */
  sealedArrays(): SealedArrays | undefined {
    return this.sealed && this.deltaEntries === 0 ? { hashes: this.hashes, values: this.values } : undefined;
  }

  /** Sorts what was added so far into the compact arrays; later adds go to the delta. */
  seal(): void {
    const n = this.pending;
    [this.hashes, this.values] = radixSort(this.pendingHashes.slice(0, n), this.pendingValues.slice(0, n), n);
    this.pendingHashes = new Uint32Array(0);
    this.pendingValues = new Uint32Array(0);
    this.pending = 0;
    this.sealed = true;
  }

  /** Calls `visit` with the values stored under `hash` (sealed or not) until it returns true. */
  forEach(hash: number, visit: (value: number) => boolean | void): void {
    for (let i = lowerBound(this.hashes, hash); i < this.hashes.length && this.hashes[i] === hash; i++) if (visit(this.values[i])) return;
    for (let i = 0; i < this.pending; i++) if (this.pendingHashes[i] === hash && visit(this.pendingValues[i])) return;
    const list = this.delta.get(hash);
    if (list) for (const v of list) if (visit(v)) return;
  }

  /** After seal(): the values of every hash held more than once (collisions or true duplicates). */
  sharedRuns(): number[][] {
    const runs: number[][] = [];
    for (let i = 0; i < this.hashes.length; ) {
      let j = i + 1;
      while (j < this.hashes.length && this.hashes[j] === this.hashes[i]) j++;
      if (j - i > 1) runs.push(Array.from(this.values.subarray(i, j)));
      i = j;
    }
    return runs;
  }

  private grow(): void {
    const h = new Uint32Array(this.pendingHashes.length * 2);
    const v = new Uint32Array(this.pendingValues.length * 2);
    h.set(this.pendingHashes);
    v.set(this.pendingValues);
    this.pendingHashes = h;
    this.pendingValues = v;
  }
}

/** LSD radix sort on the hash (two 16-bit passes) carrying the values along: O(n). */
function radixSort(hashes: Uint32Array, values: Uint32Array, n: number): [Uint32Array, Uint32Array] {
  const h2 = new Uint32Array(n);
  const v2 = new Uint32Array(n);
  radixPass(hashes, values, h2, v2, n, 0);
  radixPass(h2, v2, hashes, values, n, 16);
  return [hashes, values];
}

function radixPass(h: Uint32Array, v: Uint32Array, toH: Uint32Array, toV: Uint32Array, n: number, shift: number): void {
  const counts = new Uint32Array(65537);
  for (let i = 0; i < n; i++) counts[((h[i] >>> shift) & 0xffff) + 1]++;
  for (let b = 1; b <= 65536; b++) counts[b] += counts[b - 1];
  for (let i = 0; i < n; i++) {
    const pos = counts[(h[i] >>> shift) & 0xffff]++;
    toH[pos] = h[i];
    toV[pos] = v[i];
  }
}
