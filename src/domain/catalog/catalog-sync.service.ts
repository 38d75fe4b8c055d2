/**
 * Keeps the catalog in sync, started and stopped by the composition root:
 * - the import from the catalog's locations, a scheduled job (one replica per period, never two
 *   runs at once; a replica that stops mid-import hands it back at once, one that dies mid-import
 *   is taken over when its job lease expires: JOB_LEASE_MS, 30 s, renewed every 10 s while it runs);
 * - this replica's index: every replica polls the store and applies what changed, whoever imported.
 * Replaces catalog-refresh.ts (loop + Lease) and catalog-index-refresher.ts.
 */
import type { Scheduler } from '../jobs/scheduler';

/** The index as the poll loop needs it; CatalogSearchIndex fits. */
export interface SyncedIndex {
  /** Applies the store's changes since the last refresh. */
  refresh(): Promise<unknown>;
  /** Reads everything again: every `resyncMs`, and when the store went back (reset or replaced). */
  build?(): Promise<unknown>;
  /** With `storeRevision`, a tick that finds the store's revision unmoved reads nothing more. */
  readonly revision?: number;
  storeRevision?(): Promise<number>;
}

export interface SyncLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface CatalogSyncOptions {
  /**
   * One import of every location; absent when there are none (the index still follows the store).
   * `signal` aborts when this replica stops or loses the job's lease: stop between chunks (another replica, or the next start, runs it again).
   */
  import?: (signal: AbortSignal) => Promise<void>;
  index: SyncedIndex;
  scheduler: Pick<Scheduler, 'schedule' | 'unschedule'>;
  intervals: {
    importMs: number;
    indexRefreshMs: number;
    /** Full index rebuild period; default 1 h, 0: never (revisions are reserved before writes commit, so one can land behind what we read). */
    resyncMs?: number;
  };
  logger: SyncLogger;
  clock?: () => number;
  /** Arms a timer and returns its cancel function (tests fire it by hand). */
  setTimer?: (fire: () => void, delayMs: number) => () => void;
}

export const CATALOG_IMPORT_SCHEDULE = 'catalog-import';

const defaultTimer = (fire: () => void, delayMs: number): (() => void) => {
  const timer = setTimeout(fire, delayMs);
  timer.unref();
  return () => clearTimeout(timer);
};

export class CatalogSyncService {
  private readonly clock: () => number;
  private readonly setTimer: (fire: () => void, delayMs: number) => () => void;
  private started = false;
  private stopped = false;
  private cancelTick?: () => void;
  private ticking: Promise<void> = Promise.resolve();
  private lastResync = 0;

  constructor(private readonly options: CatalogSyncOptions) {
    this.clock = options.clock ?? Date.now;
    this.setTimer = options.setTimer ?? defaultTimer;
  }

  /**
   * Starts the index poll and schedules the import, running it now unless this period's import
   * already ran (or runs) somewhere. Resolves after that first import attempt, wherever it ran;
   * a failed one is logged, not thrown. The job runner and the scheduler must be started.
   */
  async start(): Promise<void> {
    if (this.started) throw new Error('CatalogSyncService already started');
    this.started = true;
    this.lastResync = this.clock();
    this.armTick();
    const { import: importAll, intervals, scheduler } = this.options;
    if (!importAll) return;
    await scheduler.schedule({
      name: CATALOG_IMPORT_SCHEDULE,
      everyMs: intervals.importMs,
      runAtStart: true,
      // A failed import waits for the next period rather than retrying within this one: the
      // readiness of a starting replica waits for the first attempt.
      isTransient: () => false,
      run: ({ signal }) => this.importOnce(importAll, signal),
    });
  }

  /** Stops both loops; waits for an index tick in flight. An import in flight is the job runner's (its stop() waits). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelTick?.();
    if (this.options.import) this.options.scheduler.unschedule(CATALOG_IMPORT_SCHEDULE);
    await this.ticking;
  }

  private async importOnce(importAll: (signal: AbortSignal) => Promise<void>, signal: AbortSignal): Promise<void> {
    const started = this.clock();
    try {
      await importAll(signal);
      this.options.logger.info({ ms: this.clock() - started }, 'catalog import done');
    } catch (err) {
      this.options.logger.error({ err }, 'catalog import failed; the next period tries again');
      throw err; // the job records it failed
    }
  }

  /** Ticks never overlap: the next is armed once the previous finished. */
  private armTick(): void {
    if (this.stopped) return;
    this.cancelTick = this.setTimer(() => {
      this.ticking = this.tick().finally(() => this.armTick());
    }, this.options.intervals.indexRefreshMs);
  }

  private async tick(): Promise<void> {
    const { index, intervals, logger } = this.options;
    const resyncMs = intervals.resyncMs ?? 3_600_000;
    try {
      if (index.build && resyncMs > 0 && this.clock() - this.lastResync >= resyncMs) {
        this.lastResync = this.clock();
        await index.build();
        return;
      }
      if (!index.storeRevision || index.revision === undefined) {
        await index.refresh();
        return;
      }
      const revision = await index.storeRevision();
      // Lower than ours: the store was reset or replaced; rebuild rather than trust our state.
      if (revision < index.revision && index.build) await index.build();
      else if (revision !== index.revision) await index.refresh();
    } catch (err) {
      logger.warn({ err }, 'catalog index refresh failed; retrying at the next tick');
    }
  }
}
