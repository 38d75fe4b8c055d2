/**
 * ApprovalStore on MongoDB (mongoose), one collection `approvals`. `_id` is derived from (flow,
 * idempotencyKey): the one uniqueness every MongoDB-compatible server enforces (the embedded test
 * store ignores other unique indexes), so a retried create meets the first one (E11000). Every
 * change is ONE findOneAndUpdate on `{ _id, state: 'pending', version }`: no transactions, and a
 * stale version or a request no longer pending matches nothing. One request pending per subject:
 * a claim document per (flow, subjectKey) in `approval_subjects` (its `_id` derived from the pair)
 * names the request that holds the subject; a new ask takes the claim over only from a request
 * that is no longer pending, with a conditional update.
 */
import { Schema, Types, type Connection, type Model } from 'mongoose';
import { approvalKey, type ApprovalStore } from '../../domain/approvals/approval-store.port';
import { APPROVAL_STATES, type ApprovalChange, type ApprovalRequest, type NewApprovalRequest } from '../../domain/approvals/approval.types';
import { isDuplicateKeyError } from './mongo-connection';
import { naturalId } from './natural-id';
import { defineModel } from './model-definition';

type ApprovalDoc = Omit<ApprovalRequest, 'id'> & { _id: Types.ObjectId };

const personSchema = new Schema({ id: { type: String, required: true }, name: { type: String, required: true } }, { _id: false });
const decisionSchema = new Schema({ by: { type: personSchema, required: true }, decision: { type: String, required: true }, comment: String, at: { type: Date, required: true } }, { _id: false });
const approvalSchema = new Schema<ApprovalDoc>(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    flow: { type: String, required: true },
    idempotencyKey: { type: String, required: true },
    subjectKey: { type: String, required: true },
    summary: { type: Schema.Types.Mixed, required: true },
    requester: { type: personSchema, required: true },
    approvers: { type: Schema.Types.Mixed, required: true },
    state: { type: String, enum: APPROVAL_STATES, required: true },
    decisions: { type: [decisionSchema], required: true },
    remindersSent: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    remindAt: { type: Date, default: null },
    endedAt: Date,
    followedUpAt: Date,
    version: { type: Number, required: true },
    payload: { type: Schema.Types.Mixed, required: true },
  },
  // minimize: false keeps an empty payload `{}` as stored, like the in-memory fake.
  { collection: 'approvals', versionKey: false, minimize: false },
);
approvalSchema.index({ flow: 1, subjectKey: 1, state: 1 });
approvalSchema.index({ state: 1, followedUpAt: 1, endedAt: 1 });

interface SubjectClaimDoc {
  _id: Types.ObjectId;
  requestId: string;
  at: Date;
}
const subjectClaimSchema = new Schema<SubjectClaimDoc>(
  { _id: { type: Schema.Types.ObjectId, required: true }, requestId: { type: String, required: true }, at: { type: Date, required: true } },
  { collection: 'approval_subjects', versionKey: false },
);
const CLAIM_ATTEMPTS = 50;
/** A claim whose request is not stored this long after it was taken belongs to an ask that died in between. */
const ORPHAN_CLAIM_MS = 10_000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
approvalSchema.index({ state: 1, remindAt: 1 });
approvalSchema.index({ state: 1, expiresAt: 1 });
// The platform metrics read approvals by creation date.
approvalSchema.index({ createdAt: 1 });
export const approvalModel = defineModel<ApprovalDoc>('Approval', approvalSchema);
export const approvalSubjectModel = defineModel('ApprovalSubject', subjectClaimSchema);

const objectId = (id: string): Types.ObjectId | null => (/^[0-9a-f]{24}$/i.test(id) ? new Types.ObjectId(id) : null);

function toRequest(doc: ApprovalDoc): ApprovalRequest {
  const { _id, ...rest } = doc;
  const request: ApprovalRequest = { id: _id.toHexString(), ...rest, remindAt: rest.remindAt ?? null, decisions: rest.decisions.map(withoutEmptyComment) };
  if (request.endedAt === undefined || request.endedAt === null) delete request.endedAt;
  if (request.followedUpAt === undefined || request.followedUpAt === null) delete request.followedUpAt;
  return request;
}

const withoutEmptyComment = (d: ApprovalRequest['decisions'][number]): ApprovalRequest['decisions'][number] =>
  d.comment === undefined || d.comment === null ? { by: { id: d.by.id, name: d.by.name }, decision: d.decision, at: d.at } : { by: { id: d.by.id, name: d.by.name }, decision: d.decision, comment: d.comment, at: d.at };

function toUpdate(change: ApprovalChange): Record<string, Record<string, unknown>> {
  const $set: Record<string, unknown> = { updatedAt: change.now };
  if (change.state) {
    $set.state = change.state;
    $set.endedAt = change.now;
    $set.remindAt = null;
  }
  if (change.remindersSent !== undefined) $set.remindersSent = change.remindersSent;
  if (change.remindAt !== undefined && !change.state) $set.remindAt = change.remindAt;
  const update: Record<string, Record<string, unknown>> = { $set, $inc: { version: 1 } };
  if (change.addDecision) update.$push = { decisions: change.addDecision };
  return update;
}

export class MongoApprovalStore implements ApprovalStore {
  private readonly model: Model<ApprovalDoc>;
  private readonly claims: Model<SubjectClaimDoc>;

  constructor(conn: Connection) {
    this.model = approvalModel.of(conn);
    this.claims = approvalSubjectModel.of(conn);
  }

  async create(request: NewApprovalRequest): Promise<{ request: ApprovalRequest; created: boolean }> {
    const _id = naturalId(approvalKey(request.flow, request.idempotencyKey));
    const holder = await this.claimSubject(request, _id.toHexString());
    if (holder) return { request: holder, created: false };
    const doc: ApprovalDoc = { ...request, _id, state: 'pending', decisions: [], remindersSent: 0, updatedAt: request.createdAt, version: 1 };
    try {
      await new this.model(doc).save();
      return { request: toRequest(doc), created: true };
    } catch (e) {
      if (!isDuplicateKeyError(e)) throw e;
      const existing = await this.get(_id.toHexString());
      if (!existing) throw e;
      return { request: existing, created: false };
    }
  }

  /** Claims the subject for `requestId`; answers the pending request that holds it instead, if any. */
  private async claimSubject(request: NewApprovalRequest, requestId: string): Promise<ApprovalRequest | null> {
    const _id = naturalId(`approval-subject:${request.flow}:${request.subjectKey}`);
    for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
      try {
        await new this.claims({ _id, requestId, at: new Date() }).save();
        return null;
      } catch (e) {
        if (!isDuplicateKeyError(e)) throw e;
      }
      const claim = await this.claims.findById(_id).lean<SubjectClaimDoc>();
      if (!claim) continue; // never deleted; read again
      if (claim.requestId === requestId) return null; // this ask's own retry
      const holder = await this.get(claim.requestId);
      if (holder?.state === 'pending') return holder;
      if (!holder && Date.now() - claim.at.getTime() < ORPHAN_CLAIM_MS) {
        await pause(20); // the racing ask that holds the claim is storing its request
        continue;
      }
      // The holder is closed (or its ask died before storing it): take the claim over, unless another ask just did.
      const taken = await this.claims.findOneAndUpdate({ _id, requestId: claim.requestId }, { $set: { requestId, at: new Date() } }, { returnDocument: 'after' }).lean<SubjectClaimDoc>();
      if (taken) return null;
    }
    throw new Error(`approval subject ${request.flow}:${request.subjectKey} kept changing hands`);
  }

  async markFollowedUp(id: string, at: Date): Promise<void> {
    const _id = objectId(id);
    if (_id) await this.model.updateOne({ _id, state: 'approved' }, { $set: { followedUpAt: at } });
  }

  async awaitingFollowUp(endedBefore: Date, limit: number): Promise<ApprovalRequest[]> {
    const docs = await this.model.find({ state: 'approved', followedUpAt: { $exists: false }, endedAt: { $lte: endedBefore } }).sort({ endedAt: 1 }).limit(limit).lean<ApprovalDoc[]>();
    return docs.map(toRequest);
  }

  async get(id: string): Promise<ApprovalRequest | null> {
    const _id = objectId(id);
    if (!_id) return null;
    const doc = await this.model.findById(_id).lean<ApprovalDoc>();
    return doc ? toRequest(doc) : null;
  }

  async findPending(flow: string, subjectKey: string): Promise<ApprovalRequest | null> {
    const doc = await this.model.findOne({ flow, subjectKey, state: 'pending' }).sort({ createdAt: -1 }).lean<ApprovalDoc>();
    return doc ? toRequest(doc) : null;
  }

  async transition(id: string, expectedVersion: number, change: ApprovalChange): Promise<ApprovalRequest | null> {
    const _id = objectId(id);
    if (!_id) return null;
    const doc = await this.model.findOneAndUpdate({ _id, state: 'pending', version: expectedVersion }, toUpdate(change), { returnDocument: 'after' }).lean<ApprovalDoc>();
    return doc ? toRequest(doc) : null;
  }

  async dueForReminder(now: Date, limit: number): Promise<ApprovalRequest[]> {
    const docs = await this.model.find({ state: 'pending', remindAt: { $ne: null, $lte: now } }).sort({ remindAt: 1 }).limit(limit).lean<ApprovalDoc[]>();
    return docs.map(toRequest);
  }

  async dueForExpiry(now: Date, limit: number): Promise<ApprovalRequest[]> {
    const docs = await this.model.find({ state: 'pending', expiresAt: { $lte: now } }).sort({ expiresAt: 1 }).limit(limit).lean<ApprovalDoc[]>();
    return docs.map(toRequest);
  }
}
