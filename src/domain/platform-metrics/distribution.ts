/**
 * Medians and 90th percentiles of durations, each with its count. An empty sample has no median
 * (null, shown as "no data yet"), never a 0 that would look measured.
 */
export interface Distribution {
  count: number;
  /** Milliseconds; null when count is 0. */
  medianMs: number | null;
  /** Nearest-rank 90th percentile in milliseconds; null when count is 0. */
  p90Ms: number | null;
}

/**
 * Median: the middle value (the mean of the two middle values for an even count). p90: nearest
 * rank, the smallest value with at least 90 % of the sample at or below it (a value that occurred).
 */
export function distributionOf(durationsMs: readonly number[]): Distribution {
  const sorted = durationsMs.filter((d) => Number.isFinite(d) && d >= 0).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { count: 0, medianMs: null, p90Ms: null };
  const mid = Math.floor(n / 2);
  const medianMs = n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const p90Ms = sorted[Math.ceil(0.9 * n) - 1]!;
  return { count: n, medianMs, p90Ms };
}

/** A share of a count: null when there is nothing to divide by. */
export interface Rate {
  count: number;
  of: number;
  /** 0..1; null when `of` is 0. */
  rate: number | null;
}

export const rateOf = (count: number, of: number): Rate => ({ count, of, rate: of === 0 ? null : count / of });
