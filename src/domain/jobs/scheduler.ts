/**
 * Periodic work that runs on ONE replica per period, built on the job runner and its store (all
 * state in MongoDB, nothing in the replica):
 * - time is cut into slots, slot = floor((now - offsetMs) / everyMs); at each slot's start every replica
 *   enqueues the job `scheduled:<name>` with idempotency key `<name>:<slot>`. The store derives
 *   the job's `_id` from (type, key), so however many replicas enqueue it there is one job (this
 *   holds on the embedded test store too, which enforces no unique index but `_id`'s);
 * - the runner claims it with one conditional update, so one replica runs it; a replica that
 *   crashes mid-run leaves its lease to expire and another runner runs it again (`run` must be
 *   idempotent, as every job step);
 * - an occurrence is not enqueued while the previous one is still pending or running (a run
 *   longer than its period, a replica that died mid-run): runs of one schedule never overlap.
 *   At start() that previous one stands for this start's run: start() waits for it (the runner
 *   resumes an abandoned one when its lease expires, or at once when a stopping replica handed
 *   it back), so the first start after a crash runs the work instead of skipping it.
 * A slot missed by every replica (all down) is not caught up: the next one runs.
 */
import type { JobRunner } from './job-runner';
import type { Job } from './jobs.types';

export interface Occurrence {
  name: string;
  slot: number;
  /** Aborted when this replica loses the job (halted, lease taken over): stop early. */
  signal: AbortSignal;
}

export interface ScheduledWork {
  /** Names the job type and keys: letters, digits, `-`, `.` and `_`. */
  name: string;
  everyMs: number;
  /**
   * Where slots start, as a shift from the epoch (default 0: epoch-aligned). A weekly digest on
   * Mondays at 09:00 UTC is `everyMs` one week and `offsetMs` the time from the epoch (a Thursday)
   * to the first such Monday. Every replica must use the same value: it names the slots.
   */
  offsetMs?: number;
  /** Must be idempotent: after a crash mid-run another replica runs the same occurrence again. */
  run(occurrence: Occurrence): Promise<void>;
  /** Also runs the slot current at `start()`, unless some replica has run (or runs) it already. */
  runAtStart?: boolean;
  /** Which failures the runner retries within the occurrence (default: the runner's); `() => false` leaves it to the next slot. */
  isTransient?(error: unknown): boolean;
}

export interface SchedulerLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface SchedulerOptions {
  runner: Pick<JobRunner, 'register' | 'enqueue' | 'get' | 'findByKey' | 'onProgress'>;
  logger?: SchedulerLogger;
  /** Milliseconds since the epoch; share the runner's. */
  clock?: () => number;
  /** Arms a timer and returns its cancel function (tests fire it by hand). */
  setTimer?: (fire: () => void, delayMs: number) => () => void;
  /** How often `start()` re-reads an occurrence another replica runs (default 500 ms). */
  settlePollMs?: number;
}

export const scheduledJobType = (name: string): string => `scheduled:${name}`;
export const occurrenceKey = (name: string, slot: number): string => `${name}:${slot}`;

/** Slots looked back for an unfinished occurrence (one skipped while an older one ran counts as absent). */
const LOOKBACK_SLOTS = 3;
const FINAL: ReadonlySet<Job['status']> = new Set(['succeeded', 'failed', 'cancelled']);
const NAME = /^[A-Za-z0-9._-]{1,100}$/;
/** setTimeout's limit (~24.8 days; longer fires at once): a longer wait arms again when it fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const defaultTimer = (fire: () => void, delayMs: number): (() => void) => {
  const timer = setTimeout(fire, delayMs);
  timer.unref();
  return () => clearTimeout(timer);
};

/** A schedule: its work, the promise schedule() returned, and what ends waiting for its first run. */
interface Entry {
  work: ScheduledWork;
  firstRun: Promise<void>;
  settle: () => void;
  /** Aborted by unschedule() and stop(). */
  ended: AbortController;
}

export class Scheduler {
  private readonly entries = new Map<string, Entry>();
  private readonly timers = new Map<string, () => void>();
  private readonly clock: () => number;
  private readonly setTimer: (fire: () => void, delayMs: number) => () => void;
  private readonly log: SchedulerLogger;
  /** Set by start(), aborted by stop(). */
  private running?: AbortController;

  constructor(private readonly options: SchedulerOptions) {
    this.clock = options.clock ?? Date.now;
    this.setTimer = options.setTimer ?? defaultTimer;
    this.log = options.logger ?? { info: () => undefined, warn: () => undefined };
  }

  /**
   * Registers the work's job type on the runner and arms it (at start() when not started yet).
   * Resolves when its runAtStart occurrence has finished, here or on another replica (at once
   * without runAtStart, or when that occurrence was skipped, or on stop()).
   */
  schedule(work: ScheduledWork): Promise<void> {
    if (!NAME.test(work.name)) throw new Error(`Scheduler: invalid name "${work.name}"`);
    if (this.entries.has(work.name)) throw new Error(`Scheduler: "${work.name}" is already scheduled`);
    if (!(Number.isSafeInteger(work.everyMs) && work.everyMs > 0)) throw new Error(`Scheduler: everyMs of "${work.name}" must be a positive integer`);
    const offset = work.offsetMs ?? 0;
    if (!(Number.isSafeInteger(offset) && offset >= 0 && offset < work.everyMs)) throw new Error(`Scheduler: offsetMs of "${work.name}" must be an integer in [0, everyMs)`);
    this.options.runner.register<{ name: string; slot: number }>({
      type: scheduledJobType(work.name),
      steps: [{ name: 'run', run: async (ctx) => work.run({ name: work.name, slot: ctx.input.slot, signal: ctx.signal }) }],
      ...(work.isTransient ? { isTransient: work.isTransient } : {}),
    });
    let settle!: () => void;
    const firstRun = new Promise<void>((resolve) => (settle = resolve));
    const entry: Entry = { work, firstRun, settle, ended: new AbortController() };
    this.entries.set(work.name, entry);
    if (this.running) this.activate(entry);
    return firstRun;
  }

  /** Stops arming the work on this replica (an occurrence already enqueued still runs). */
  unschedule(name: string): void {
    this.timers.get(name)?.();
    this.timers.delete(name);
    this.entries.get(name)?.ended.abort();
    this.entries.get(name)?.settle();
    this.entries.delete(name);
  }

  /**
   * Arms every schedule for its next slot and enqueues the current slot of those with
   * `runAtStart`. Resolves when those occurrences have finished, here or on another replica (the
   * bot's readiness waits for its first catalog import). The runner must be started, or nothing runs.
   */
  start(): Promise<void> {
    if (this.running) throw new Error('Scheduler already started');
    this.running = new AbortController();
    for (const entry of this.entries.values()) this.activate(entry);
    return Promise.all([...this.entries.values()].map((e) => e.firstRun)).then(() => undefined);
  }

  /**
   * Runs the current slot's occurrence of scheduled work now, unless some replica has run (or
   * runs) it already: the same job as a slot start would enqueue, so replicas asking at once run
   * it once. Resolves when it has finished (or was skipped, or the store failed).
   */
  async runCurrent(name: string): Promise<void> {
    const entry = this.entries.get(name);
    if (!entry || !this.running || this.running.signal.aborted) return;
    const job = await this.enqueue(entry.work, this.slotOf(entry.work), { waitForUnfinished: true });
    if (job) await this.settled(job, entry.ended.signal);
  }

  /** No more occurrences from this replica; one in flight is the runner's (its stop() waits for it). */
  stop(): void {
    this.running?.abort();
    this.timers.forEach((cancel) => cancel());
    this.timers.clear();
    this.entries.forEach((e) => {
      e.ended.abort();
      e.settle();
    });
  }

  private activate(entry: Entry): void {
    const { work, ended } = entry;
    if (this.running?.signal.aborted || ended.signal.aborted) return entry.settle();
    this.arm(work);
    if (!work.runAtStart) return entry.settle();
    void this.enqueue(work, this.slotOf(work), { waitForUnfinished: true })
      .then((job) => (job ? this.settled(job, ended.signal) : undefined))
      .finally(entry.settle);
  }

  private slotOf(work: ScheduledWork): number {
    return Math.floor((this.clock() - (work.offsetMs ?? 0)) / work.everyMs);
  }

  /** A timer for the start of the next slot; one that fires before our clock got there arms again. */
  private arm(work: ScheduledWork, slot = this.slotOf(work) + 1): void {
    if (this.running?.signal.aborted) return;
    const at = slot * work.everyMs + (work.offsetMs ?? 0);
    const cancel = this.setTimer(
      () => {
        if (this.timers.get(work.name) !== cancel) return; // unscheduled or stopped meanwhile
        if (this.clock() < at) return this.arm(work, slot);
        // A late timer (a blocked loop) runs the slot we are in; the ones in between are skipped.
        void this.enqueue(work, this.slotOf(work));
        this.arm(work);
      },
      Math.min(MAX_TIMER_MS, Math.max(1, at - this.clock())),
    );
    this.timers.set(work.name, cancel);
  }

  /**
   * The occurrence's job (new or already there), or null when skipped or the store failed. With
   * `waitForUnfinished`, an unfinished previous occurrence is returned instead of skipping: the run to wait for.
   */
  private async enqueue(work: ScheduledWork, slot: number, options: { waitForUnfinished?: boolean } = {}): Promise<Job | null> {
    const { runner } = this.options;
    const type = scheduledJobType(work.name);
    try {
      const existing = await runner.findByKey(type, occurrenceKey(work.name, slot));
      if (existing) return existing;
      const busy = await this.unfinishedBefore(work, slot);
      if (busy) {
        const context = { schedule: work.name, slot, busySlot: busy.input.slot, jobId: busy.id };
        if (options.waitForUnfinished) {
          this.log.info(context, 'scheduled run at start: the previous one has not finished; waiting for it (it resumes once its lease is free)');
          return busy;
        }
        this.log.info(context, 'scheduled run skipped: the previous one has not finished');
        return null;
      }
      const { job } = await runner.enqueue({ type, idempotencyKey: occurrenceKey(work.name, slot), input: { name: work.name, slot }, requestedBy: 'scheduler' });
      return job;
    } catch (err) {
      this.log.warn({ err, schedule: work.name, slot }, 'scheduled run not enqueued; the next slot tries again');
      return null;
    }
  }

  private async unfinishedBefore(work: ScheduledWork, slot: number): Promise<Job | null> {
    const type = scheduledJobType(work.name);
    for (let back = 1; back <= LOOKBACK_SLOTS; back++) {
      const job = await this.options.runner.findByKey(type, occurrenceKey(work.name, slot - back));
      if (job) return FINAL.has(job.status) ? null : job;
    }
    return null;
  }

  /** Resolves when the job has finished: at once from this runner's progress, by polling when another runs it. */
  private settled(job: Job, stopped: AbortSignal): Promise<void> {
    if (FINAL.has(job.status) || stopped.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let over = false;
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        if (over) return;
        over = true;
        clearTimeout(timer);
        unsubscribe();
        stopped.removeEventListener('abort', done);
        resolve();
      };
      const unsubscribe = this.options.runner.onProgress((changed) => {
        if (changed.id === job.id && FINAL.has(changed.status)) done();
      });
      stopped.addEventListener('abort', done);
      const poll = () => {
        if (over) return;
        timer = setTimeout(() => {
          this.options.runner.get(job.id).then(
            (current) => (!current || FINAL.has(current.status) ? done() : poll()),
            () => poll(),
          );
        }, this.options.settlePollMs ?? 500);
        timer.unref();
      };
      poll();
    });
  }
}
