/**
 * JobStore on MongoDB (mongoose), one collection `jobs`. Every method is one single-document
 * operation: no transactions, no positional `$` updates (steps are addressed by index,
 * `steps.2.status`), which the embedded test store supports as real MongoDB does.
 *
 * Idempotent create: `_id` is derived from (type, idempotencyKey), so a second insert fails with
 * E11000 on `_id` and we return the first job. `_id` uniqueness holds on real MongoDB and on the
 * embedded store (which ignores every other unique index); the unique (type, idempotencyKey) index
 * is a second guard for production. On a sharded collection (Cosmos DB), shard `jobs` by `_id`.
 */
import { createHash } from 'node:crypto';
import { Schema, Types, type Connection, type Model } from 'mongoose';
import type { ClaimRequest, JobCount, JobExpectation, JobPatch, JobStore, NewJob } from '../../domain/jobs/job-store.port';
import { JOB_STATUSES, STEP_STATUSES, type Job, type JobStatus } from '../../domain/jobs/jobs.types';
import { isDuplicateKeyError } from './mongo-connection';
import { defineModel } from './model-definition';

type JobDoc = Omit<Job, 'id'> & { _id: Types.ObjectId };

const idFor = (type: string, key: string): Types.ObjectId => new Types.ObjectId(createHash('sha256').update(`job:${type}:${key}`).digest().subarray(0, 12));
const objectId = (id: string): Types.ObjectId | null => (/^[0-9a-f]{24}$/i.test(id) ? new Types.ObjectId(id) : null);

const actorSchema = new Schema({ by: { type: String, required: true }, at: { type: Date, required: true } }, { _id: false });
const stepSchema = new Schema(
  {
    name: { type: String, required: true },
    status: { type: String, enum: STEP_STATUSES, required: true },
    attempts: { type: Number, required: true },
    startedAt: Date,
    finishedAt: Date,
    output: Schema.Types.Mixed,
    error: new Schema({ code: String, message: String, retryAfterSeconds: Number, params: Schema.Types.Mixed }, { _id: false }),
  },
  { _id: false, minimize: false },
);
const jobSchema = new Schema<JobDoc>(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    type: { type: String, required: true },
    idempotencyKey: { type: String, required: true },
    status: { type: String, enum: JOB_STATUSES, required: true },
    steps: { type: [stepSchema], required: true },
    input: { type: Schema.Types.Mixed, required: true },
    context: { type: Schema.Types.Mixed, required: true },
    requestedBy: { type: String, required: true },
    lease: new Schema({ owner: String, token: String, until: Date }, { _id: false }),
    nextRunAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    finishedAt: Date,
    version: { type: Number, required: true },
    lastRetry: actorSchema,
  },
  // minimize: false keeps `{}` input/context/output as stored, like the in-memory fake.
  { collection: 'jobs', versionKey: false, minimize: false },
);
jobSchema.index({ type: 1, idempotencyKey: 1 }, { unique: true });
jobSchema.index({ status: 1, nextRunAt: 1 });
// The platform metrics read jobs by creation date.
jobSchema.index({ createdAt: 1 });
export const jobModel = defineModel<JobDoc>('Job', jobSchema);

function toJob(doc: JobDoc): Job {
  const { _id, ...rest } = doc;
  return { id: _id.toHexString(), ...rest };
}

/** A JobPatch as update operators; every patch bumps `version`. */
function toUpdate(patch: JobPatch): Record<string, Record<string, unknown>> {
  const $set: Record<string, unknown> = { updatedAt: patch.now };
  const $unset: Record<string, ''> = {};
  const $inc: Record<string, number> = { version: 1 };
  const put = (path: string, value: unknown) => {
    if (value === null) $unset[path] = '';
    else if (value !== undefined) $set[path] = value;
  };
  put('status', patch.status);
  put('nextRunAt', patch.nextRunAt);
  put('lease', patch.lease);
  put('finishedAt', patch.finishedAt);
  put('lastRetry', patch.lastRetry);
  for (const { index, set } of patch.steps ?? []) {
    const at = `steps.${index}.`;
    if (set.addAttempt && set.attempts !== undefined) throw new Error('A step patch either sets or adds attempts');
    if (set.addAttempt) $inc[`${at}attempts`] = 1;
    put(`${at}attempts`, set.attempts);
    put(`${at}status`, set.status);
    put(`${at}startedAt`, set.startedAt);
    put(`${at}finishedAt`, set.finishedAt);
    put(`${at}output`, set.output);
    put(`${at}error`, set.error);
  }
  return Object.keys($unset).length ? { $set, $unset, $inc } : { $set, $inc };
}

const leaseFreeAt = (at: Date) => ({ $or: [{ lease: null }, { 'lease.until': { $lte: at } }] });

export class MongoJobStore implements JobStore {
  private readonly model: Model<JobDoc>;

  constructor(conn: Connection) {
    this.model = jobModel.of(conn);
  }

  async insertIfAbsent(job: NewJob): Promise<{ job: Job; created: boolean }> {
    const _id = idFor(job.type, job.idempotencyKey);
    try {
      const saved = await new this.model({ ...job, _id }).save();
      return { job: toJob(saved.toObject()), created: true };
    } catch (e) {
      if (!isDuplicateKeyError(e)) throw e;
      const existing = await this.findByKey(job.type, job.idempotencyKey);
      if (!existing) throw e;
      return { job: existing, created: false };
    }
  }

  async get(id: string): Promise<Job | null> {
    const _id = objectId(id);
    if (!_id) return null;
    const doc = await this.model.findById(_id).lean<JobDoc>();
    return doc ? toJob(doc) : null;
  }

  async findByKey(type: string, idempotencyKey: string): Promise<Job | null> {
    const doc = await this.model.findById(idFor(type, idempotencyKey)).lean<JobDoc>();
    return doc ? toJob(doc) : null;
  }

  async claimNext(claim: ClaimRequest): Promise<Job | null> {
    const excluded = claim.excludeIds.map(objectId).filter((id): id is Types.ObjectId => id !== null);
    const doc = await this.model
      .findOneAndUpdate(
        {
          type: { $in: claim.types },
          ...(excluded.length ? { _id: { $nin: excluded } } : {}),
          status: { $in: ['pending', 'running'] },
          nextRunAt: { $lte: claim.now },
          ...leaseFreeAt(claim.now),
        },
        { $set: { status: 'running', lease: { owner: claim.owner, token: claim.token, until: claim.leaseUntil }, updatedAt: claim.now }, $inc: { version: 1 } },
        { sort: { nextRunAt: 1 }, returnDocument: 'after' },
      )
      .lean<JobDoc>();
    return doc ? toJob(doc) : null;
  }

  async renewLease(id: string, token: string, until: Date): Promise<boolean> {
    const result = await this.model.updateOne({ _id: objectId(id), 'lease.token': token }, { $set: { 'lease.until': until } });
    return result.matchedCount === 1;
  }

  async updateLeased(id: string, token: string, patch: JobPatch): Promise<Job | null> {
    const doc = await this.model.findOneAndUpdate({ _id: objectId(id), 'lease.token': token }, toUpdate(patch), { returnDocument: 'after' }).lean<JobDoc>();
    return doc ? toJob(doc) : null;
  }

  async countByStatus(statuses: readonly JobStatus[]): Promise<JobCount[]> {
    if (!statuses.length) return [];
    const rows = await this.model.aggregate<{ _id: { type: string; status: JobStatus }; count: number }>([
      { $match: { status: { $in: [...statuses] } } },
      { $group: { _id: { type: '$type', status: '$status' }, count: { $sum: 1 } } },
    ]);
    return rows.map((r) => ({ type: r._id.type, status: r._id.status, count: r.count }));
  }

  async updateIf(id: string, expect: JobExpectation, patch: JobPatch): Promise<Job | null> {
    const doc = await this.model.findOneAndUpdate({ _id: objectId(id), version: expect.version }, toUpdate(patch), { returnDocument: 'after' }).lean<JobDoc>();
    return doc ? toJob(doc) : null;
  }
}
