/**
 * ApprovalStore on MongoDB (mongoose), one collection `approvals`. `_id` is derived from (flow,
 * idempotencyKey): the one uniqueness every MongoDB-compatible server enforces (the embedded test
 * store ignores other unique indexes), so a retried create meets the first one (E11000). Every
 * change is ONE findOneAndUpdate on `{ _id, state: 'pending', version }`: no transactions, and a
 * stale version or a request no longer pending matches nothing.
 */
import { Schema, Types, type Connection, type Model } from 'mongoose';
import { approvalKey, type ApprovalStore } from '../../domain/approvals/approval-store.port';
import { APPROVAL_STATES, type ApprovalChange, type ApprovalRequest, type NewApprovalRequest } from '../../domain/approvals/approval.types';
import { isDuplicateKeyError } from './mongo-connection';
import { naturalId } from './natural-id';

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
    version: { type: Number, required: true },
    payload: { type: Schema.Types.Mixed, required: true },
  },
  // minimize: false keeps an empty payload `{}` as stored, like the in-memory fake.
  { collection: 'approvals', versionKey: false, minimize: false },
);
approvalSchema.index({ flow: 1, subjectKey: 1, state: 1 });
approvalSchema.index({ state: 1, remindAt: 1 });
approvalSchema.index({ state: 1, expiresAt: 1 });

const objectId = (id: string): Types.ObjectId | null => (/^[0-9a-f]{24}$/i.test(id) ? new Types.ObjectId(id) : null);

function toRequest(doc: ApprovalDoc): ApprovalRequest {
  const { _id, ...rest } = doc;
  const request: ApprovalRequest = { id: _id.toHexString(), ...rest, remindAt: rest.remindAt ?? null, decisions: rest.decisions.map(withoutEmptyComment) };
  if (request.endedAt === undefined || request.endedAt === null) delete request.endedAt;
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

  constructor(conn: Connection) {
    this.model = conn.models.Approval ?? conn.model<ApprovalDoc>('Approval', approvalSchema);
  }

  async create(request: NewApprovalRequest): Promise<{ request: ApprovalRequest; created: boolean }> {
    const _id = naturalId(approvalKey(request.flow, request.idempotencyKey));
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
