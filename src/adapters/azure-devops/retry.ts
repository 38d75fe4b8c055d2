/**
 * The retry policy for idempotent calls to a remote service, in one place: bounded attempts,
 * exponential backoff with jitter, and the server's Retry-After honoured (up to a cap, so a
 * request in a Teams turn never waits minutes). What is worth retrying is the caller's decision.
 */

export interface RetryPolicy {
  /** Attempts in total, the first included. */
  maxAttempts: number;
  /** The first backoff; it doubles per attempt, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** The longest Retry-After we wait; a longer one ends the retries at once. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 250, maxDelayMs: 4_000, maxRetryAfterMs: 30_000 };

/** `afterMs` is what the server asked for (Retry-After); without it the backoff applies. */
export type RetryDecision = { retry: false } | { retry: true; afterMs?: number };

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** "Equal jitter": half the exponential delay plus a random half, so clients that failed together spread out. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return ceiling / 2 + random() * (ceiling / 2);
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw.trim() === '') return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Runs `operation` until it succeeds, `decide` says the failure is final, or the attempts run out; rethrows the last error. */
export async function withRetry<T>(
  operation: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  decide: (error: unknown) => RetryDecision,
  wait: (ms: number) => Promise<void> = sleep,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      const decision = decide(error);
      if (!decision.retry || attempt >= policy.maxAttempts) throw error;
      const delay = decision.afterMs ?? backoffDelay(attempt, policy);
      if (delay > policy.maxRetryAfterMs) throw error;
      await wait(delay);
    }
  }
}
