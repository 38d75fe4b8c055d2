/**
 * Word-level candidate generation: every vocabulary word a query word may stand for (itself, one
 * typo away, a completion) contributes its postings; a slot's coarse score is the mean best weight
 * per query word, scaled down when its name has more words than the query. Typed-array buffers
 * indexed by slot make a query touching 20k postings cost ~0.2 ms; only the top slots go on to the
 * precise alignment in the matcher.
 */
import type { MatchIndex } from './match-index';

const TAG_WEIGHT = 0.5;

export class WordScorer {
  private best = new Float32Array(0);
  private sum = new Float32Array(0);
  private matched = new Uint8Array(0);

  /** Up to `limit` live slots with the best coarse scores, best first. */
  top(state: MatchIndex, words: readonly string[], opts: { prefixLast: boolean; prefixAll: boolean; limit: number }): number[] {
    const n = state.slots;
    if (this.best.length < n) this.grow(n);
    const touched: number[] = [];
    const { best, sum, matched } = this;
    for (let i = 0; i < words.length; i++) {
      const perWord: number[] = [];
      const prefix = opts.prefixAll || (opts.prefixLast && i === words.length - 1);
      for (const { token, weight } of state.expandWord(words[i], prefix)) {
        const postings = state.postings(token);
        if (!postings) continue;
        const tagWeight = weight * TAG_WEIGHT;
        for (let p = 0; p < postings.length; p++) {
          const code = postings[p];
          const slot = code >> 1;
          if (!state.isLive(slot)) continue;
          const w = code & 1 ? tagWeight : weight;
          if (best[slot] === 0) perWord.push(slot);
          if (w > best[slot]) best[slot] = w;
        }
      }
      for (const slot of perWord) {
        if (matched[slot] === 0) touched.push(slot);
        sum[slot] += best[slot];
        matched[slot]++;
        best[slot] = 0;
      }
    }
    const q = words.length;
    const scored: { slot: number; score: number }[] = [];
    let cutoff = 0;
    for (const slot of touched) {
      const score = (this.sum[slot] / q) * (q / Math.max(q, state.nameWordCount(slot)));
      this.sum[slot] = 0;
      this.matched[slot] = 0;
      // Cheap pre-filter: once many candidates are in, ignore those far below the best seen.
      if (score < cutoff) continue;
      scored.push({ slot, score });
      if (scored.length > opts.limit * 8) {
        scored.sort((a, b) => b.score - a.score);
        scored.length = opts.limit * 2;
        cutoff = scored[scored.length - 1].score;
      }
    }
    return scored.sort((a, b) => b.score - a.score).slice(0, opts.limit).map((s) => s.slot);
  }

  private grow(n: number): void {
    const size = Math.max(1024, n * 2);
    this.best = new Float32Array(size);
    this.sum = new Float32Array(size);
    this.matched = new Uint8Array(size);
  }
}
