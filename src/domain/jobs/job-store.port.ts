import type { Actor, Job, JobStatus, JsonObject, StepError, StepStatus } from './jobs.types';

/** A job as the runner creates it; the store gives it its id. */
export type NewJob = Omit<Job, 'id'>;

export interface ClaimRequest {
  owner: string;
  token: string;
  now: Date;
  leaseUntil: Date;
  /** Only job types this runner knows (replicas of different versions can share a store). */
  types: string[];
  /** Jobs this runner is already working on (a late renewal must not let it claim one twice). */
  excludeIds: string[];
}

/** Changes to one step; `null` removes a field. */
export interface StepPatch {
  status?: StepStatus;
  /** Adds one start. */
  addAttempt?: boolean;
  attempts?: number;
  startedAt?: Date;
  finishedAt?: Date | null;
  output?: JsonObject;
  error?: StepError | null;
}

/** One atomic change to a job. Every patch bumps `version` and sets `updatedAt` to `now`. */
export interface JobPatch {
  now: Date;
  status?: JobStatus;
  nextRunAt?: Date;
  /** Null releases the lease. */
  lease?: null;
  finishedAt?: Date | null;
  lastRetry?: Actor;
  steps?: { index: number; set: StepPatch }[];
}

/** How many jobs of one type are in one status (the queue-depth metric). */
export interface JobCount {
  type: string;
  status: JobStatus;
  count: number;
}

/** Preconditions of an update by someone who holds no lease (a user retry). */
export interface JobExpectation {
  version: number;
}

/**
 * Where jobs live. Each method is ONE atomic single-document operation (no transactions, no
 * positional updates: the embedded test store has neither), so replicas can share the store.
 */
export interface JobStore {
  /**
   * Creates the job unless (type, idempotencyKey) already has one; either way returns the stored
   * job. Safe under concurrency: concurrent calls create one job.
   */
  insertIfAbsent(job: NewJob): Promise<{ job: Job; created: boolean }>;
  get(id: string): Promise<Job | null>;
  findByKey(type: string, idempotencyKey: string): Promise<Job | null>;
  /**
   * Claims the due job (status pending or running, no live lease, nextRunAt <= now) with the
   * earliest nextRunAt: sets status running and the lease, bumps version. Null when none is due.
   */
  claimNext(claim: ClaimRequest): Promise<Job | null>;
  /** Extends the lease; false when the claim `token` no longer holds it. */
  renewLease(id: string, token: string, until: Date): Promise<boolean>;
  /** Applies the patch if the claim `token` still holds the lease; the job after, or null. */
  updateLeased(id: string, token: string, patch: JobPatch): Promise<Job | null>;
  /** Applies the patch if the job is as expected; the job after, or null. */
  updateIf(id: string, expect: JobExpectation, patch: JobPatch): Promise<Job | null>;
  /** Jobs per (type, status) among `statuses`, every type; a pair with no job is left out. One aggregate query. */
  countByStatus(statuses: readonly JobStatus[]): Promise<JobCount[]>;
}
