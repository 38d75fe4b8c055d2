/**
 * Reminder thresholds: a secret that expires within T days (T one of SECRET_EXPIRY_THRESHOLDS_DAYS,
 * default 30, 7, 1) is in the bucket of the smallest such T; one already expired is in bucket 0.
 * Only the current bucket is reminded: a secret first seen 5 days before expiry gets the 7-day
 * reminder, not the 30-day one as well.
 */
export const DAY_MS = 86_400_000;
export const DEFAULT_EXPIRY_THRESHOLDS_DAYS = [30, 7, 1] as const;
/** The bucket of a secret past its expiry. */
export const EXPIRED = 0;

/** Distinct positive whole days, largest first. */
export function normalizeThresholds(days: readonly number[]): number[] {
  const valid = [...new Set(days.filter((d) => Number.isInteger(d) && d > 0))].sort((a, b) => b - a);
  return valid.length ? valid : [...DEFAULT_EXPIRY_THRESHOLDS_DAYS];
}

/** The bucket `expiresOn` is in at `now` (a threshold in days, or EXPIRED), or null when further away than every threshold. */
export function thresholdFor(expiresOn: Date, now: Date, thresholds: readonly number[]): number | null {
  const left = expiresOn.getTime() - now.getTime();
  if (left <= 0) return EXPIRED;
  const within = thresholds.filter((t) => left <= t * DAY_MS);
  return within.length ? Math.min(...within) : null;
}

/** Whole days left, rounded up (23 hours left is "1 day"); negative once expired (rounded towards zero). */
export function daysLeft(expiresOn: Date, now: Date): number {
  const left = (expiresOn.getTime() - now.getTime()) / DAY_MS;
  return left > 0 ? Math.ceil(left) : Math.trunc(left);
}

/** The bucket after this one ("until the next threshold" of a snooze): the next smaller threshold, else EXPIRED. */
export function nextThreshold(threshold: number, thresholds: readonly number[]): number {
  const smaller = thresholds.filter((t) => t < threshold);
  return smaller.length ? Math.max(...smaller) : EXPIRED;
}
