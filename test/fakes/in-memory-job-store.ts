/**
 * JobStore in memory. Each method runs without an await, so it is as atomic as one conditional
 * MongoDB update; the job-store contract checks it behaves as MongoJobStore does.
 */
import { createHash } from 'node:crypto';
import type { ClaimRequest, JobCount, JobExpectation, JobPatch, JobStore, NewJob } from '../../src/domain/jobs/job-store.port';
import type { Job, JobStatus, JobStep } from '../../src/domain/jobs/jobs.types';

/** Same scheme as the Mongo adapter: the id follows from (type, key). */
const idFor = (type: string, key: string): string => createHash('sha256').update(`job:${type}:${key}`).digest('hex').slice(0, 24);

const copy = (job: Job): Job => structuredClone(job);

export class InMemoryJobStore implements JobStore {
  private readonly jobs = new Map<string, Job>();

  async insertIfAbsent(job: NewJob): Promise<{ job: Job; created: boolean }> {
    const id = idFor(job.type, job.idempotencyKey);
    const existing = this.jobs.get(id);
    if (existing) return { job: copy(existing), created: false };
    const created = structuredClone({ ...job, id });
    this.jobs.set(id, created);
    return { job: copy(created), created: true };
  }

  async get(id: string): Promise<Job | null> {
    const job = this.jobs.get(id);
    return job ? copy(job) : null;
  }

  async findByKey(type: string, idempotencyKey: string): Promise<Job | null> {
    return this.get(idFor(type, idempotencyKey));
  }

  async claimNext(claim: ClaimRequest): Promise<Job | null> {
    const due = [...this.jobs.values()]
      .filter(
        (j) =>
          claim.types.includes(j.type) &&
          !claim.excludeIds.includes(j.id) &&
          (j.status === 'pending' || j.status === 'running') &&
          j.nextRunAt <= claim.now &&
          leaseFree(j, claim.now),
      )
      .sort((a, b) => a.nextRunAt.getTime() - b.nextRunAt.getTime());
    const job = due[0];
    if (!job) return null;
    job.status = 'running';
    job.lease = { owner: claim.owner, token: claim.token, until: new Date(claim.leaseUntil) };
    job.version += 1;
    job.updatedAt = new Date(claim.now);
    return copy(job);
  }

  async renewLease(id: string, token: string, until: Date): Promise<boolean> {
    const job = this.jobs.get(id);
    if (!job?.lease || job.lease.token !== token) return false;
    job.lease.until = new Date(until);
    return true;
  }

  async updateLeased(id: string, token: string, patch: JobPatch): Promise<Job | null> {
    const job = this.jobs.get(id);
    if (!job?.lease || job.lease.token !== token) return null;
    return copy(apply(job, patch));
  }

  async countByStatus(statuses: readonly JobStatus[]): Promise<JobCount[]> {
    const counts = new Map<string, JobCount>();
    for (const job of this.jobs.values()) {
      if (!statuses.includes(job.status)) continue;
      const key = `${job.type}\u0000${job.status}`;
      const row = counts.get(key) ?? { type: job.type, status: job.status, count: 0 };
      row.count += 1;
      counts.set(key, row);
    }
    return [...counts.values()];
  }

  async updateIf(id: string, expect: JobExpectation, patch: JobPatch): Promise<Job | null> {
    const job = this.jobs.get(id);
    if (!job || job.version !== expect.version) return null;
    return copy(apply(job, patch));
  }

  /** Test helper: every job, oldest first. */
  all(): Job[] {
    return [...this.jobs.values()].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).map(copy);
  }
}

const leaseFree = (job: Job, at: Date): boolean => !job.lease || job.lease.until <= at;

function apply(job: Job, patch: JobPatch): Job {
  const p = structuredClone(patch);
  if (p.status) job.status = p.status;
  if (p.nextRunAt) job.nextRunAt = p.nextRunAt;
  if (p.lease === null) delete job.lease;
  if (p.finishedAt === null) delete job.finishedAt;
  else if (p.finishedAt) job.finishedAt = p.finishedAt;
  if (p.lastRetry) job.lastRetry = p.lastRetry;
  for (const { index, set } of p.steps ?? []) {
    const step: JobStep | undefined = job.steps[index];
    if (!step) throw new Error(`No step ${index}`);
    if (set.status) step.status = set.status;
    if (set.attempts !== undefined) step.attempts = set.attempts;
    if (set.addAttempt) step.attempts += 1;
    if (set.startedAt) step.startedAt = set.startedAt;
    if (set.finishedAt === null) delete step.finishedAt;
    else if (set.finishedAt) step.finishedAt = set.finishedAt;
    if (set.output) step.output = set.output;
    if (set.error === null) delete step.error;
    else if (set.error) step.error = set.error;
  }
  job.version += 1;
  job.updatedAt = p.now;
  return job;
}
