/**
 * Finds the ids of indexed strings within one typo (insertion, deletion, substitution, adjacent
 * transposition) of a string: two such strings share the string itself or one of its
 * single-character deletions (the SymSpell idea). Only hashes are kept (HashMultiMap), so callers
 * verify candidates with `typoDistance`. A polynomial hash gives all L deletions of a form in O(L).
 */
import { HashMultiMap, type SealedArrays } from './hash-multimap';

const BASE = 0x01000193;

export class DeletionIndex {
  private readonly scratch: number[] = [];

  constructor(private readonly map = new HashMultiMap()) {}

  static fromSealed(arrays: SealedArrays): DeletionIndex {
    return new DeletionIndex(HashMultiMap.fromSealed(arrays));
  }

  sealedArrays(): SealedArrays | undefined {
    return this.map.sealedArrays();
  }

  get size(): number {
    return this.map.size;
  }

  get unsealedSize(): number {
    return this.map.unsealedSize;
  }

  add(id: number, form: string): void {
    const hashes = deletionHashes(form, this.scratch);
    for (let i = 0; i < hashes.length; i++) this.map.add(hashes[i], id);
  }

  seal(): void {
    this.map.seal();
  }

  /** Adds to `out` the ids whose forms may be within one typo of `form` (unverified). */
  candidates(form: string, out: Set<number>): void {
    for (const h of deletionHashes(form, [])) this.map.forEach(h, (id) => void out.add(id));
  }
}

/** Hash of the form, then of each single-character deletion (equal neighbours give one hash). */
function deletionHashes(form: string, out: number[]): number[] {
  const n = form.length;
  out.length = 0;
  // suffix[i] = sum over j >= i of c_j * BASE^(n-1-j); pow[k] = BASE^k (all mod 2^32).
  const suffix = new Array<number>(n + 1);
  const pow = new Array<number>(n + 1);
  suffix[n] = 0;
  pow[0] = 1;
  for (let k = 1; k <= n; k++) pow[k] = Math.imul(pow[k - 1], BASE);
  for (let i = n - 1; i >= 0; i--) suffix[i] = (suffix[i + 1] + Math.imul(form.charCodeAt(i) + 1, pow[n - 1 - i])) | 0;
  out.push(suffix[0] >>> 0);
  let prefix = 0; // hash of form[0..i)
  for (let i = 0; i < n; i++) {
    if (i === 0 || form.charCodeAt(i) !== form.charCodeAt(i - 1)) out.push((Math.imul(prefix, pow[n - 1 - i]) + suffix[i + 1]) >>> 0);
    prefix = (Math.imul(prefix, BASE) + form.charCodeAt(i) + 1) | 0;
  }
  return out;
}
