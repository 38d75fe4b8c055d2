/**
 * The periodic catalog import: runs now, then every `intervalMinutes` after the previous run ended
 * (runs never overlap). With a lease, only the replica holding it imports; the others check again
 * at each tick and take over within one lease time after the holder stops renewing.
 * `stop()` cancels the timer and waits for a run in flight.
 */
import type { Lease } from './lease.port';

/** The subset of pino's Logger this needs. */
export interface RefreshLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface CatalogRefreshOptions {
  intervalMinutes: number;
  run: () => Promise<void>;
  logger: RefreshLogger;
  /** Only one replica imports; without it every replica does. */
  lease?: Lease;
  /** This replica's name in the lease (e.g. host name + pid). */
  holder?: string;
  /** Lease time; default twice the interval, so a live holder renews well before expiry. */
  leaseTtlMs?: number;
}

export interface CatalogRefresh {
  /** Resolves when the run in flight (if any) has finished; no run starts afterwards. */
  stop(): Promise<void>;
  /** The run in flight or the first one (tests and start-up wait on it). */
  readonly current: Promise<void>;
}

export function startCatalogRefresh(options: CatalogRefreshOptions): CatalogRefresh {
  const intervalMs = Math.max(0, options.intervalMinutes) * 60_000;
  const ttlMs = options.leaseTtlMs ?? Math.max(2 * intervalMs, 60_000);
  const holder = options.holder ?? `replica-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();

  const tick = async (): Promise<void> => {
    const started = Date.now();
    try {
      if (options.lease && !(await options.lease.tryAcquire(holder, ttlMs))) {
        options.logger.info({ holder }, 'catalog refresh skipped: another replica holds the import lease');
        return;
      }
      await options.run();
      options.logger.info({ ms: Date.now() - started }, 'catalog refresh done');
    } catch (e) {
      options.logger.error({ err: e }, 'catalog refresh failed');
    }
  };

  const schedule = () => {
    if (stopped || intervalMs <= 0) return;
    timer = setTimeout(() => {
      current = tick().finally(schedule);
    }, intervalMs);
    timer.unref?.();
  };

  current = tick().finally(schedule);

  return {
    get current() {
      return current;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current.catch(() => undefined);
      await options.lease?.release(holder).catch((e: unknown) => options.logger.warn({ err: e }, 'catalog import lease not released'));
    },
  };
}
