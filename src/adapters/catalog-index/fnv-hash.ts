/** The index's string hash: hash structures hold 32-bit hashes, never the strings. */

/** 32-bit FNV-1a of `s` with the character at `skip` left out (-1: none): deletion keys without allocating. */
export function hashSkipping(s: string, skip: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    if (i === skip) continue;
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
