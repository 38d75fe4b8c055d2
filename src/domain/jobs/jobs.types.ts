/**
 * Durable jobs: a job is a list of named steps run in order (or in parallel groups) by a
 * JobRunner, with its state in a JobStore so it survives restarts and runs on one replica at a time.
 */

export const JOB_STATUSES = ['pending', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const STEP_STATUSES = ['pending', 'running', 'succeeded', 'failed', 'skipped'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

/** Plain JSON data (what input, context and step outputs must be). */
export type JsonObject = Record<string, unknown>;

export interface StepError {
  /** A DomainError code (`UPSTREAM.FORBIDDEN`) or a `JOB.*` code from the runner. */
  code: string;
  /** Safe to show and log: DomainError messages never carry secrets; other errors are not copied. */
  message: string;
  /** Seconds the upstream asked us to wait (UPSTREAM.THROTTLED). */
  retryAfterSeconds?: number;
  /** The DomainError's parameters (plain values only), for the words the bot edge shows. */
  params?: Record<string, string | number | boolean | string[]>;
}

export interface JobStep {
  name: string;
  status: StepStatus;
  /** Starts made in the current run; a user retry resets it (a crash mid-step counts as one). */
  attempts: number;
  startedAt?: Date;
  finishedAt?: Date;
  output?: JsonObject;
  /** The last failure; kept while a transient failure waits for its retry. */
  error?: StepError;
}

export interface JobLease {
  /** The runner holding the job (for people reading the store). */
  owner: string;
  /** Unique per claim: every write of the holder is conditional on it. */
  token: string;
  until: Date;
}

export interface Actor {
  by: string;
  at: Date;
}

export interface Job {
  /** Stable for (type, idempotencyKey). */
  id: string;
  type: string;
  idempotencyKey: string;
  /**
   * pending: waiting for a runner (new, backing off after a transient failure, or user retry);
   * running: claimed (a lease) or its runner died and the lease has not expired yet.
   */
  status: JobStatus;
  steps: JobStep[];
  /** What the job works on. Never secrets: it is stored, logged and shown on cards. */
  input: JsonObject;
  /** Where to report (conversation reference id, card activity id...). */
  context: JsonObject;
  requestedBy: string;
  lease?: JobLease;
  /** When a runner may pick the job up. */
  nextRunAt: Date;
  createdAt: Date;
  updatedAt: Date;
  finishedAt?: Date;
  /** Bumped by every state change: a card updater drops an update older than one it showed. */
  version: number;
  lastRetry?: Actor;
}

/** A logger whose every line carries the job's id and type (the runner binds them). */
export interface JobLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Logs nothing (a step run by hand in a test). */
export const SILENT_JOB_LOG: JobLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** What a step function sees. */
export interface StepContext<TInput> {
  jobId: string;
  /** Log through this: its lines carry `jobId` and `jobType`. */
  log: JobLogger;
  input: TInput;
  context: JsonObject;
  requestedBy: string;
  /** Outputs of the steps that have succeeded, by step name. */
  outputs: Readonly<Record<string, JsonObject>>;
  /** 1 on the first start of this step in this run. */
  attempt: number;
  /** Aborted when the runner loses the job's lease or is halted: stop early, another runner takes over. */
  signal: AbortSignal;
}

export interface RetryPolicy {
  /** Starts of one step before a transient failure (or a crash) becomes final. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * One step. `run` MUST be idempotent: after a crash or a lost lease the same step runs again,
 * possibly while the first run is still talking to the upstream ("create the repo if absent").
 */
export interface JobStepDefinition<TInput> {
  name: string;
  /** Adjacent steps with the same label run in parallel; a group finishes before the next step starts. */
  parallelGroup?: string;
  maxAttempts?: number;
  run(ctx: StepContext<TInput>): Promise<JsonObject | void>;
}

export interface JobDefinition<TInput = JsonObject> {
  type: string;
  steps: JobStepDefinition<TInput>[];
  /** Validates input at enqueue and before each run (a zod schema fits). */
  input?: { parse(raw: unknown): TInput };
  retry?: Partial<RetryPolicy>;
  /** Overrides which errors are retried (default: UPSTREAM.UNAVAILABLE and UPSTREAM.THROTTLED). */
  isTransient?(error: unknown): boolean;
}

export interface EnqueueRequest<TInput = JsonObject> {
  type: string;
  /** One job per (type, key): a double click, a Teams retry or a duplicated activity reuse it. */
  idempotencyKey: string;
  input: TInput;
  context?: JsonObject;
  requestedBy: string;
}

export interface EnqueueResult {
  job: Job;
  /** False when the key already had a job (which is returned, whatever its state). */
  created: boolean;
}

export type JobChangeKind =
  | 'enqueued'
  | 'step-started'
  | 'step-succeeded'
  | 'step-retry-scheduled'
  | 'step-failed'
  | 'succeeded'
  | 'failed'
  | 'retried'
  | 'released';

export interface JobChange {
  kind: JobChangeKind;
  /** The steps the change is about. */
  steps?: string[];
}

/** Called after every transition with the job as stored; may be async, must not throw (errors are logged). */
export type JobProgressListener = (job: Job, change: JobChange) => void | Promise<void>;

export interface RunnerStartOptions {
  pollIntervalMs: number;
  /** How long a claim lasts without renewal; renewed every third of it. */
  leaseMs: number;
  /** Jobs run at once by this runner. */
  concurrency: number;
}
