/**
 * A named lease that at most one replica holds at a time (the periodic catalog import runs on one
 * replica only). Time-bound, so a replica that dies releases it by expiry.
 */
export interface Lease {
  /** True when `holder` now holds the lease until now + ttlMs (newly claimed, or renewed by its holder). */
  tryAcquire(holder: string, ttlMs: number): Promise<boolean>;
  /** Gives it up early (no-op when `holder` does not hold it). */
  release(holder: string): Promise<void>;
}
