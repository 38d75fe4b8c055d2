/**
 * Runs durable jobs from a JobStore. Several replicas may run one each on the same store:
 * - a runner claims a due job with one conditional update that sets a lease (owner, token, until)
 *   and renews it every third of `leaseMs` while it works;
 * - every write after the claim is conditional on the claim's token, so a runner that lost its
 *   lease (a long pause, a store outage) stops touching the job at its next write;
 * - a crash leaves the lease to expire; another runner then resumes the job at its first
 *   unfinished step, and the step that was in flight RUNS AGAIN. Step functions must therefore
 *   be idempotent (the adapters' job: "create the repository unless it exists").
 * Transient failures (UPSTREAM.UNAVAILABLE, UPSTREAM.THROTTLED) retry with backoff; anything else
 * leaves the job `failed` at that step, with the earlier steps' outputs kept for a user retry.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { DomainError, isDomainError } from '../domain-error';
import { NO_INSTRUMENTS, secondsSince, type Instruments } from '../metrics/instruments.port';
import type { JobPatch, JobStore, StepPatch } from './job-store.port';
import type {
  EnqueueRequest,
  EnqueueResult,
  Job,
  JobChange,
  JobDefinition,
  JobLogger,
  JobProgressListener,
  JobStep,
  JsonObject,
  RetryPolicy,
  RunnerStartOptions,
  StepError,
} from './jobs.types';

export interface JobRunnerLogger {
  info?(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface JobRunnerOptions {
  store: JobStore;
  /** Names this runner in leases; defaults to host:pid:random. */
  owner?: string;
  retry?: Partial<RetryPolicy>;
  logger?: JobRunnerLogger;
  /** Milliseconds since the epoch: due times, leases, backoff (tests move it by hand). */
  clock?: () => number;
  /** Arms a wake-up timer and returns its cancel function (tests fire it early or late). */
  setWakeUp?: (fire: () => void, delayMs: number) => () => void;
  /** Step durations, failures, retries and job outcomes (default: none). */
  instruments?: Instruments;
}

/** A real timer that does not keep the process alive. */
const defaultWakeUp = (fire: () => void, delayMs: number): (() => void) => {
  const timer = setTimeout(fire, delayMs);
  timer.unref();
  return () => clearTimeout(timer);
};

/**
 * The lease the bot's runner takes (main.ts): a crashed replica's job (the catalog import among
 * them) is free for another replica, or the next start, within this. Renewed every third of it
 * (the heartbeat, 10 s) while the work runs, so a long import is never taken over.
 */
export const JOB_LEASE_MS = 30_000;

const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 60_000 };
const TRANSIENT_CODES = new Set(['UPSTREAM.UNAVAILABLE', 'UPSTREAM.THROTTLED']);
const MAX_KEY_LENGTH = 200;
/** Rounds of read + conditional write for a retry before giving up on a busy job. */
const MAX_ROUNDS = 5;

type AnyDefinition = JobDefinition<unknown>;

/** One claim this runner works on. */
interface Claim {
  id: string;
  type: string;
  token: string;
  until: number;
  lost: boolean;
  renewing: boolean;
  abort: AbortController;
  timer?: NodeJS.Timeout;
  done?: Promise<void>;
}

type StepOutcome = { job: Job; result: 'succeeded' | 'failed' } | { job: Job; result: 'retry'; retryAt: number };

export class JobRunner {
  readonly owner: string;
  private readonly store: JobStore;
  private readonly retryDefaults: RetryPolicy;
  private readonly log: JobRunnerLogger;
  private readonly definitions = new Map<string, AnyDefinition>();
  private readonly listeners = new Set<JobProgressListener>();
  private readonly claims = new Map<string, Claim>();
  private options?: RunnerStartOptions;
  private stopping = false;
  private pollTimer?: NodeJS.Timeout;
  private filling?: Promise<void>;
  private refill = false;
  /** Wake-ups at the retry time of a backed-off job, so a slow poll does not stretch the backoff (their cancel functions). */
  private readonly wakeups = new Set<() => void>();
  private readonly clock: () => number;
  private readonly setWakeUp: (fire: () => void, delayMs: number) => () => void;
  private readonly instruments: Instruments;

  constructor(options: JobRunnerOptions) {
    this.store = options.store;
    this.owner = options.owner ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.retryDefaults = { ...DEFAULT_RETRY, ...options.retry };
    this.log = options.logger ?? { warn: () => undefined, error: () => undefined };
    this.clock = options.clock ?? Date.now;
    this.setWakeUp = options.setWakeUp ?? defaultWakeUp;
    this.instruments = options.instruments ?? NO_INSTRUMENTS;
  }

  register<TInput>(definition: JobDefinition<TInput>): void {
    validateDefinition(definition as AnyDefinition);
    this.definitions.set(definition.type, definition as AnyDefinition);
  }

  /** Subscribes to every transition; returns the unsubscribe function. */
  onProgress(listener: JobProgressListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Creates the job, or returns the one its idempotency key already has. */
  async enqueue<TInput>(request: EnqueueRequest<TInput>): Promise<EnqueueResult> {
    const definition = this.definition(request.type);
    const key = request.idempotencyKey?.trim();
    if (!key || key.length > MAX_KEY_LENGTH) throw new DomainError('JOB.INVALID_REQUEST', `An idempotency key of 1 to ${MAX_KEY_LENGTH} characters is required.`);
    if (!request.requestedBy) throw new DomainError('JOB.INVALID_REQUEST', 'requestedBy is required.');
    const input = toJsonObject(parseInput(definition, request.input), 'input');
    const context = toJsonObject(request.context ?? {}, 'context');
    const now = this.date();
    const result = await this.store.insertIfAbsent({
      type: request.type,
      idempotencyKey: key,
      status: 'pending',
      steps: definition.steps.map((s) => ({ name: s.name, status: 'pending', attempts: 0 })),
      input,
      context,
      requestedBy: request.requestedBy,
      nextRunAt: now,
      createdAt: now,
      updatedAt: now,
      version: 0,
    });
    if (result.created) {
      this.emit(result.job, { kind: 'enqueued' });
      this.kick();
    }
    return result;
  }

  get(id: string): Promise<Job | null> {
    return this.store.get(id);
  }

  /** The job an idempotency key created, if any (e.g. a request confirmed on another replica). */
  findByKey(type: string, idempotencyKey: string): Promise<Job | null> {
    return this.store.findByKey(type, idempotencyKey.trim());
  }

  start(options: RunnerStartOptions): void {
    if (this.options) throw new Error('JobRunner already started');
    if (!(options.leaseMs > 0 && options.pollIntervalMs > 0 && options.concurrency >= 1)) throw new Error('JobRunner: leaseMs, pollIntervalMs and concurrency must be positive');
    this.options = { ...options };
    this.stopping = false;
    this.pollTimer = setInterval(() => this.kick(), options.pollIntervalMs);
    this.kick();
  }

  /** Looks for due work now instead of at the next poll (new job, retry, a slot freed). */
  kick(): void {
    if (!this.options || this.stopping) return;
    if (this.filling) {
      this.refill = true;
      return;
    }
    this.filling = this.fill().finally(() => (this.filling = undefined));
  }

  /**
   * Stops claiming, lets the steps in flight finish, then hands each job back (pending, due now)
   * so another replica continues without waiting for the lease. After `graceMs` the steps still
   * running are signalled to stop and their jobs handed back all the same (the lease released,
   * not left to expire): another replica, or the next start, runs them at once.
   */
  async stop(options: { graceMs?: number } = {}): Promise<void> {
    if (!this.options) return;
    this.stopping = true;
    this.clearTimers();
    await this.filling;
    const running = Promise.allSettled([...this.claims.values()].map((c) => c.done));
    const graceMs = options.graceMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([running.then(() => false), new Promise<boolean>((r) => (timer = setTimeout(() => r(true), graceMs)))]);
    clearTimeout(timer);
    if (timedOut) await this.releaseAll();
    this.options = undefined;
  }

  /** Hands back every job still claimed: its step in flight is signalled, and will run again elsewhere. */
  private async releaseAll(): Promise<void> {
    const claims = [...this.claims.values()];
    this.clearTimers();
    for (const claim of claims) clearInterval(claim.timer);
    await Promise.all(
      claims.map(async (claim) => {
        if (claim.lost) return;
        // Written before the step hears of it, so its own last write finds the lease gone.
        const now = this.date();
        const job = await this.store.updateLeased(claim.id, claim.token, { now, status: 'pending', lease: null, nextRunAt: now }).catch((error: unknown) => {
          this.log.warn({ err: error, jobId: claim.id, jobType: claim.type }, 'job not handed back at stop; its lease expires instead');
          return null;
        });
        this.lose(claim, 'runner stopped');
        if (!job) return;
        this.instruments.jobFinished(job.type, 'released');
        this.emit(job, { kind: 'released' });
      }),
    );
    this.claims.clear();
  }

  /**
   * Stops at once, as a crashed process would: no more renewals or writes; steps in flight are
   * signalled and their results dropped. Their jobs resume elsewhere when the leases expire.
   */
  halt(): void {
    this.clearTimers();
    this.stopping = true;
    for (const claim of this.claims.values()) this.lose(claim, 'runner halted');
    this.claims.clear();
    this.options = undefined;
  }

  /** Resumes a failed job at its failed step; a job already pending or running is returned as is (double click). */
  async retry(jobId: string, by: string): Promise<Job> {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const job = await this.mustGet(jobId);
      if (job.status === 'pending' || job.status === 'running') return job;
      if (job.status !== 'failed') throw new DomainError('JOB.NOT_RETRYABLE', `The job is ${job.status}; only a failed job can be retried.`, { jobId });
      const now = this.date();
      const reset = unfinished(job).map((index) => ({ index, set: { status: 'pending', attempts: 0, error: null, finishedAt: null } satisfies StepPatch }));
      const updated = await this.store.updateIf(jobId, { version: job.version }, { now, status: 'pending', nextRunAt: now, finishedAt: null, lastRetry: { by, at: now }, steps: reset });
      if (updated) {
        this.instruments.jobRetried(updated.type);
        this.emit(updated, { kind: 'retried', steps: reset.map((r) => job.steps[r.index]!.name) });
        this.kick();
        return updated;
      }
    }
    throw new DomainError('JOB.BUSY', 'The job kept changing; try again.', { jobId });
  }

  private clearTimers(): void {
    clearInterval(this.pollTimer);
    this.wakeups.forEach((cancel) => cancel());
    this.wakeups.clear();
  }

  private date(): Date {
    return new Date(this.clock());
  }

  /**
   * Kicks at `time`. A timer may fire before our clock reaches it (Node measures from the loop's
   * cached time, which lags under load): then the job is not due yet and a kick would find
   * nothing, leaving it to the next poll, so we arm again for what is left.
   */
  private wakeUpAt(time: number): void {
    if (!this.options || this.stopping) return;
    const cancel = this.setWakeUp(() => {
      this.wakeups.delete(cancel);
      if (this.clock() < time) this.wakeUpAt(time);
      else this.kick();
    }, Math.max(1, Math.ceil(time - this.clock())));
    this.wakeups.add(cancel);
  }

  // ---- claiming -------------------------------------------------------------------------------

  private async fill(): Promise<void> {
    try {
      do {
        this.refill = false;
        while (this.options && !this.stopping && this.claims.size < this.options.concurrency) {
          if (!(await this.claimOne())) break;
        }
      } while (this.refill && this.options && !this.stopping);
    } catch (error) {
      this.log.warn({ err: error, owner: this.owner }, 'job claim failed; next poll retries');
    }
  }

  private async claimOne(): Promise<boolean> {
    const { leaseMs } = this.options!;
    const token = randomUUID();
    const now = this.date();
    const job = await this.store.claimNext({
      owner: this.owner,
      token,
      now,
      leaseUntil: new Date(now.getTime() + leaseMs),
      types: [...this.definitions.keys()],
      excludeIds: [...this.claims.keys()],
    });
    if (!job) return false;
    const claim: Claim = { id: job.id, type: job.type, token, until: now.getTime() + leaseMs, lost: false, renewing: false, abort: new AbortController() };
    this.claims.set(job.id, claim);
    claim.timer = setInterval(() => void this.renew(claim, leaseMs), Math.max(5, Math.floor(leaseMs / 3)));
    claim.done = this.runJob(job, claim)
      .catch((error) => {
        // A store failure mid-job: stop here; the lease expires and the job resumes (steps are idempotent).
        this.log.error({ err: error, jobId: job.id, jobType: job.type, owner: this.owner }, 'job run interrupted');
        this.lose(claim, 'store error');
      })
      .finally(() => {
        clearInterval(claim.timer);
        if (this.claims.get(job.id) === claim) this.claims.delete(job.id);
        this.kick();
      });
    return true;
  }

  private async renew(claim: Claim, leaseMs: number): Promise<void> {
    if (claim.lost || claim.renewing) return;
    claim.renewing = true;
    const until = this.clock() + leaseMs;
    try {
      if (await this.store.renewLease(claim.id, claim.token, new Date(until))) claim.until = until;
      else this.lose(claim, 'lease taken over');
    } catch (error) {
      this.log.warn({ err: error, jobId: claim.id, jobType: claim.type }, 'lease renewal failed');
      if (this.clock() > claim.until) this.lose(claim, 'lease expired during a store outage');
    } finally {
      claim.renewing = false;
    }
  }

  private lose(claim: Claim, why: string): void {
    if (claim.lost) return;
    claim.lost = true;
    clearInterval(claim.timer);
    claim.abort.abort(new DomainError('JOB.LEASE_LOST', `This runner no longer holds the job (${why}).`));
    if (why !== 'runner halted' && why !== 'runner stopped') this.log.warn({ jobId: claim.id, jobType: claim.type, owner: this.owner, why }, 'job lease lost');
  }

  /** A conditional write of the claim holder; null (and the claim dropped) when the lease is gone. */
  private async write(claim: Claim, patch: JobPatch): Promise<Job | null> {
    if (claim.lost) return null;
    const job = await this.store.updateLeased(claim.id, claim.token, patch);
    if (!job) this.lose(claim, 'lease taken over');
    return job;
  }

  // ---- running --------------------------------------------------------------------------------

  private async runJob(claimed: Job, claim: Claim): Promise<void> {
    const definition = this.definition(claimed.type);
    let job = claimed;
    const problem = definitionProblem(job, definition);
    if (problem) return void (await this.failAt(claim, job, problem));
    let input: unknown;
    try {
      input = parseInput(definition, job.input);
    } catch (error) {
      return void (await this.failAt(claim, job, toStepError(error)));
    }
    for (;;) {
      if (claim.lost) return;
      const batch = nextBatch(job, definition);
      if (!batch) return void (await this.finish(claim, { now: this.date(), status: 'succeeded', lease: null, finishedAt: this.date() }, 'succeeded'));
      if (this.stopping) return void (await this.finish(claim, { now: this.date(), status: 'pending', lease: null, nextRunAt: this.date() }, 'released'));
      const outcomes = await this.runBatch(claim, job, batch, definition, input);
      if (!outcomes) return;
      job = outcomes.reduce((latest, o) => (o.job.version > latest.version ? o.job : latest), job);
      if (outcomes.some((o) => o.result === 'failed')) return void (await this.finish(claim, { now: this.date(), status: 'failed', lease: null, finishedAt: this.date() }, 'failed'));
      const retryAt = Math.max(0, ...outcomes.map((o) => (o.result === 'retry' ? o.retryAt : 0)));
      if (retryAt) {
        await this.finish(claim, { now: this.date(), status: 'pending', lease: null, nextRunAt: new Date(retryAt) }, 'step-retry-scheduled');
        return this.wakeUpAt(retryAt);
      }
    }
  }

  /** Starts the batch's steps in one write, runs them together, records each as it settles. */
  private async runBatch(claim: Claim, job: Job, batch: number[], definition: AnyDefinition, input: unknown): Promise<StepOutcome[] | null> {
    const now = this.date();
    const exhausted = batch.filter((i) => job.steps[i]!.attempts >= this.policy(definition, i).maxAttempts);
    if (exhausted.length) {
      // Started that many times without finishing: the runner died or lost the job each time.
      const error = { code: 'JOB.STEP_ABANDONED', message: 'The step was interrupted too many times (runner stopped or lost the job mid-step).' };
      const failed = await this.write(claim, { now, steps: exhausted.map((index) => ({ index, set: { status: 'failed', finishedAt: now, error } })) });
      if (failed) {
        // Counted as failures of no duration: the attempts that were interrupted were never measured.
        for (const i of exhausted) this.instruments.jobStepFinished(job.type, failed.steps[i]!.name, 'failed', 0);
        this.emit(failed, { kind: 'step-failed', steps: exhausted.map((i) => failed.steps[i]!.name) });
      }
      return failed ? [{ job: failed, result: 'failed' }] : null;
    }
    const start: StepPatch = { status: 'running', addAttempt: true, startedAt: now, finishedAt: null, error: null };
    const started = await this.write(claim, { now, steps: batch.map((index) => ({ index, set: start })) });
    if (!started) return null;
    this.emit(started, { kind: 'step-started', steps: batch.map((i) => started.steps[i]!.name) });
    const outputs = outputsOf(started);
    const outcomes = await Promise.all(batch.map((i) => this.runStep(claim, started, i, definition, input, outputs)));
    return outcomes.every((o) => o !== null) ? (outcomes as StepOutcome[]) : null;
  }

  private async runStep(claim: Claim, job: Job, index: number, definition: AnyDefinition, input: unknown, outputs: Record<string, JsonObject>): Promise<StepOutcome | null> {
    const step = job.steps[index]!;
    let patch: StepPatch;
    let retryAt = 0;
    const log = this.jobLog(job);
    const began = performance.now();
    try {
      const output = await definition.steps[index]!.run({ jobId: job.id, log, input, context: job.context, requestedBy: job.requestedBy, outputs, attempt: step.attempts, signal: claim.abort.signal });
      patch = { status: 'succeeded', finishedAt: this.date(), output: toJsonObject(output ?? {}, `output of step "${step.name}"`, 'JOB.INVALID_OUTPUT'), error: null };
    } catch (error) {
      if (claim.lost) return null;
      const transient = (definition.isTransient ?? isTransientError)(error);
      const policy = this.policy(definition, index);
      if (!isDomainError(error)) log.error({ err: error, step: step.name }, 'job step failed unexpectedly');
      if (transient && step.attempts < policy.maxAttempts) {
        retryAt = this.clock() + retryDelayMs(step.attempts, error, policy);
        patch = { status: 'pending', finishedAt: this.date(), error: toStepError(error) };
      } else {
        patch = { status: 'failed', finishedAt: this.date(), error: toStepError(error) };
      }
    }
    const outcome = patch.status === 'succeeded' ? 'succeeded' : patch.status === 'failed' ? 'failed' : 'retry';
    const seconds = secondsSince(began);
    this.instruments.jobStepFinished(job.type, step.name, outcome, seconds);
    log.info({ step: step.name, attempt: step.attempts, outcome, ms: Math.round(seconds * 1000), ...(patch.error ? { code: patch.error.code } : {}) }, 'job step finished');
    const written = await this.write(claim, { now: this.date(), steps: [{ index, set: patch }] });
    if (!written) return null;
    const kind = patch.status === 'succeeded' ? 'step-succeeded' : patch.status === 'failed' ? 'step-failed' : 'step-retry-scheduled';
    this.emit(written, { kind, steps: [step.name] });
    if (retryAt) return { job: written, result: 'retry', retryAt };
    return { job: written, result: patch.status === 'succeeded' ? 'succeeded' : 'failed' };
  }

  /** Fails the job at its first unfinished step without running it. */
  private async failAt(claim: Claim, job: Job, error: StepError): Promise<void> {
    const index = job.steps.findIndex((s) => s.status !== 'succeeded' && s.status !== 'skipped');
    const now = this.date();
    const steps = index >= 0 ? [{ index, set: { status: 'failed', finishedAt: now, error } satisfies StepPatch }] : [];
    await this.finish(claim, { now, status: 'failed', lease: null, finishedAt: now, steps }, 'failed');
  }

  private async finish(claim: Claim, patch: JobPatch, kind: JobChange['kind']): Promise<void> {
    const job = await this.write(claim, patch);
    if (!job) return;
    if (kind === 'succeeded' || kind === 'failed' || kind === 'released') this.instruments.jobFinished(job.type, kind);
    this.emit(job, { kind });
  }

  /** The runner's logger with the job's id and type on every line (what its steps log through). */
  private jobLog(job: Job): JobLogger {
    const ids = { jobId: job.id, jobType: job.type };
    return {
      info: (obj, msg) => this.log.info?.({ ...obj, ...ids }, msg),
      warn: (obj, msg) => this.log.warn({ ...obj, ...ids }, msg),
      error: (obj, msg) => this.log.error({ ...obj, ...ids }, msg),
    };
  }

  // ---- helpers --------------------------------------------------------------------------------

  private emit(job: Job, change: JobChange): void {
    for (const listener of this.listeners) {
      try {
        // Each listener gets its own copy: one that mutates the job cannot disturb the runner.
        const result = listener(structuredClone(job), change);
        if (result && typeof result.then === 'function') result.then(undefined, (error) => this.listenerFailed(error, job));
      } catch (error) {
        this.listenerFailed(error, job);
      }
    }
  }

  private listenerFailed(error: unknown, job: Job): void {
    this.log.warn({ err: error, jobId: job.id, jobType: job.type }, 'job progress listener failed');
  }

  private definition(type: string): AnyDefinition {
    const definition = this.definitions.get(type);
    if (!definition) throw new DomainError('JOB.UNKNOWN_TYPE', `No job definition is registered for "${type}".`);
    return definition;
  }

  private policy(definition: AnyDefinition, index: number): RetryPolicy {
    const policy = { ...this.retryDefaults, ...definition.retry };
    const maxAttempts = definition.steps[index]?.maxAttempts;
    return maxAttempts ? { ...policy, maxAttempts } : policy;
  }

  private async mustGet(id: string): Promise<Job> {
    const job = await this.store.get(id);
    if (!job) throw new DomainError('JOB.NOT_FOUND', `No job with id ${id}.`, { jobId: id });
    return job;
  }
}

// ---- pure rules (exported for tests and for the cards that explain them) ------------------------

const isTransientError = (error: unknown): boolean => isDomainError(error) && TRANSIENT_CODES.has(error.code);

/** Exponential backoff with equal jitter (replicas throttled together spread out), never sooner than Retry-After. */
function retryDelayMs(attempt: number, error: unknown, policy: RetryPolicy, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const delay = exponential / 2 + (random() * exponential) / 2;
  const retryAfter = retryAfterSecondsOf(error);
  return retryAfter !== undefined ? Math.max(retryAfter * 1000, delay) : delay;
}

function retryAfterSecondsOf(error: unknown): number | undefined {
  const value = isDomainError(error) ? error.details.retryAfterSeconds : undefined;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** What is stored and shown about a failure: DomainError text only (it never carries secrets). */
function toStepError(error: unknown): StepError {
  if (!isDomainError(error)) return { code: 'JOB.STEP_CRASHED', message: 'The step failed unexpectedly (details are in the bot log).' };
  const retryAfterSeconds = retryAfterSecondsOf(error);
  const params = plainParams(error.details);
  return { code: error.code, message: error.message, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}), ...(params ? { params } : {}) };
}

/** The parameters a stored step error keeps: plain values under plain keys (the store holds them as they are). */
function plainParams(details: Record<string, unknown>): StepError['params'] {
  const kept = Object.entries(details).filter(
    ([k, v]) => !k.startsWith('$') && !k.includes('.') && (['string', 'number', 'boolean'].includes(typeof v) || (Array.isArray(v) && v.every((x) => typeof x === 'string'))),
  );
  return kept.length ? (Object.fromEntries(kept) as StepError['params']) : undefined;
}

/** Indexes of the next steps to run: the first unfinished step, with the rest of its parallel group. */
function nextBatch(job: Job, definition: AnyDefinition): number[] | null {
  const done = (s: JobStep) => s.status === 'succeeded' || s.status === 'skipped';
  const first = job.steps.findIndex((s) => !done(s));
  if (first < 0) return null;
  const group = definition.steps[first]?.parallelGroup;
  if (!group) return [first];
  const batch: number[] = [];
  for (let i = first; i < job.steps.length && definition.steps[i]?.parallelGroup === group; i++) if (!done(job.steps[i]!)) batch.push(i);
  return batch;
}

const unfinished = (job: Job): number[] => job.steps.flatMap((s, i) => (s.status === 'succeeded' || s.status === 'skipped' ? [] : [i]));

function outputsOf(job: Job): Record<string, JsonObject> {
  return Object.fromEntries(job.steps.filter((s) => s.status === 'succeeded').map((s) => [s.name, s.output ?? {}]));
}

/** A stored job whose steps no longer match the code (renamed/reordered in a deploy) is failed, not guessed at. */
function definitionProblem(job: Job, definition: AnyDefinition): StepError | null {
  const stored = job.steps.map((s) => s.name).join('\n');
  const current = definition.steps.map((s) => s.name).join('\n');
  return stored === current ? null : { code: 'JOB.DEFINITION_CHANGED', message: `The steps of "${job.type}" changed since this job was created; start a new one.` };
}

function parseInput(definition: AnyDefinition, raw: unknown): unknown {
  if (!definition.input) return raw;
  try {
    return definition.input.parse(raw);
  } catch (error) {
    const detail = error instanceof Error ? error.message.slice(0, 300) : 'invalid';
    throw new DomainError('JOB.INVALID_INPUT', `Invalid input for "${definition.type}": ${detail}`);
  }
}

function validateDefinition(definition: AnyDefinition): void {
  const names = definition.steps.map((s) => s.name);
  if (!definition.type || !names.length) throw new Error('A job definition needs a type and at least one step');
  if (new Set(names).size !== names.length) throw new Error(`Job "${definition.type}": step names must be unique`);
  const closed = new Set<string>();
  definition.steps.forEach((step, i) => {
    const previous = definition.steps[i - 1]?.parallelGroup;
    if (previous && previous !== step.parallelGroup) closed.add(previous);
    if (step.parallelGroup && closed.has(step.parallelGroup)) throw new Error(`Job "${definition.type}": parallel group "${step.parallelGroup}" must be contiguous`);
  });
}

/**
 * A deep copy as plain JSON, refusing keys MongoDB cannot store ($-prefixed, dotted), so the
 * in-memory fake and the real store keep exactly the same data.
 */
function toJsonObject(value: unknown, what: string, code = 'JOB.INVALID_INPUT'): JsonObject {
  let copy: unknown;
  try {
    copy = JSON.parse(JSON.stringify(value ?? {}));
  } catch {
    throw new DomainError(code, `The ${what} is not JSON.`);
  }
  if (typeof copy !== 'object' || copy === null || Array.isArray(copy)) throw new DomainError(code, `The ${what} must be a JSON object.`);
  const check = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    for (const [k, v] of Object.entries(node)) {
      if (k.startsWith('$') || k.includes('.')) throw new DomainError(code, `The ${what} has a key the store cannot hold: "${k.slice(0, 40)}".`);
      check(v);
    }
  };
  check(copy);
  return copy as JsonObject;
}
