/**
 * Text normalisation shared by indexing and querying, so both sides always agree: case, accents,
 * and every separator (space, hyphen, underscore, dot, slash) are erased; word order is erased by
 * the sorted forms.
 */

const DIACRITICS = /[\u0300-\u036f]/g;
const ASCII = /^[\x00-\x7f]*$/;

/** Lower-case alphanumeric words: "Payments_API v2" -> ["payments", "api", "v2"]. */
export function tokenize(text: string): string[] {
  // NFKD only when needed: it is the slow part, and catalog names are nearly always ASCII.
  const lower = (ASCII.test(text) ? text : text.normalize('NFKD').replace(DIACRITICS, '')).toLowerCase();
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i <= lower.length; i++) {
    const c = i < lower.length ? lower.charCodeAt(i) : 0;
    const alnum = (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
    if (alnum) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      out.push(lower.slice(start, i));
      start = -1;
    }
  }
  return out;
}

/** The exact-key form: words sorted, so "api payments" and "payments-api" are the same key. */
export const sortedKey = (tokens: readonly string[]): string => (tokens.length === 1 ? tokens[0] : [...tokens].sort().join(' '));

/** The ordered form with separators erased: "payments-api" -> "paymentsapi". */
export const orderedCompact = (tokens: readonly string[]): string => tokens.join('');

/**
 * Optimal string alignment distance (Levenshtein + adjacent transposition, the four typos people
 * make), giving up early: returns `max + 1` as soon as the distance must exceed `max`.
 */
export function typoDistance(a: string, b: string, max: number): number {
  if (a === b) return 0;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  let prev2 = new Array<number>(lb + 1).fill(0);
  let prev = Array.from({ length: lb + 1 }, (_, j) => j);
  let cur = new Array<number>(lb + 1).fill(0);
  for (let i = 1; i <= la; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= lb; j++) {
      const cb = b.charCodeAt(j - 1);
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca === cb ? 0 : 1));
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) d = Math.min(d, prev2[j - 2] + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return Math.min(prev[lb], max + 1);
}
