/**
 * Finds the ids of indexed strings within one typo (insertion, deletion, substitution, adjacent
 * transposition) of a string: two such strings share the string itself or one of its
 * single-character deletions (the SymSpell idea). Only hashes are kept (HashMultiMap), so callers
 * verify candidates with `typoDistance`.
 */
import { hashSkipping } from './catalog-text';
import { HashMultiMap } from './hash-multimap';

export class DeletionIndex {
  private readonly map = new HashMultiMap();

  get size(): number {
    return this.map.size;
  }

  get unsealedSize(): number {
    return this.map.unsealedSize;
  }

  add(id: number, form: string): void {
    for (const h of deletionHashes(form)) this.map.add(h, id);
  }

  seal(): void {
    this.map.seal();
  }

  /** Adds to `out` the ids whose forms may be within one typo of `form` (unverified). */
  candidates(form: string, out: Set<number>): void {
    for (const h of deletionHashes(form)) this.map.forEach(h, (id) => out.add(id));
  }
}

/** The hash of the form and of each of its distinct single-character deletions. */
function deletionHashes(form: string): number[] {
  const out = [hashSkipping(form, -1)];
  for (let i = 0; i < form.length; i++) {
    // Deleting either of two equal neighbours gives the same string: hash it once.
    if (i > 0 && form.charCodeAt(i) === form.charCodeAt(i - 1)) continue;
    out.push(hashSkipping(form, i));
  }
  return out;
}
