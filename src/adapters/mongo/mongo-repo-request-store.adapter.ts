/**
 * RepoRequestStore on MongoDB (mongoose), collection `repo_requests`. Status changes are one
 * conditional findOneAndUpdate (`{ _id, status: from }`), so two clicks racing (Confirm and
 * Cancel, or two Confirms) have exactly one winner on real MongoDB and the embedded store alike.
 */
import { Schema, Types, type Connection, type Model } from 'mongoose';
import type { NewPendingRepoRequest, PendingRepoRequest, PendingRequestStatus, RepoRequestStore } from '../../domain/repos/repo-request-store.port';

type RequestDoc = Omit<PendingRepoRequest, 'id'> & { _id: Types.ObjectId };

const requestSchema = new Schema<RequestDoc>(
  {
    status: { type: String, enum: ['pending', 'confirmed', 'cancelled'], required: true },
    request: { type: Schema.Types.Mixed, required: true },
    owner: { type: Schema.Types.Mixed, required: true },
    requesterChannelId: String,
    preview: { type: Schema.Types.Mixed, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    decidedBy: String,
  },
  { collection: 'repo_requests', versionKey: false, minimize: false },
);

const objectId = (id: string): Types.ObjectId | null => (/^[0-9a-f]{24}$/i.test(id) ? new Types.ObjectId(id) : null);

function toRequest(doc: RequestDoc): PendingRepoRequest {
  const { _id, ...rest } = doc;
  return { id: _id.toHexString(), ...rest };
}

export class MongoRepoRequestStore implements RepoRequestStore {
  private readonly model: Model<RequestDoc>;

  constructor(conn: Connection) {
    this.model = conn.models.RepoRequest ?? conn.model<RequestDoc>('RepoRequest', requestSchema);
  }

  async insert(request: NewPendingRepoRequest): Promise<PendingRepoRequest> {
    const saved = await new this.model({ ...request, _id: new Types.ObjectId() }).save();
    return toRequest(saved.toObject());
  }

  async get(id: string): Promise<PendingRepoRequest | null> {
    const _id = objectId(id);
    if (!_id) return null;
    const doc = await this.model.findById(_id).lean<RequestDoc>();
    return doc ? toRequest(doc) : null;
  }

  async transition(id: string, from: PendingRequestStatus, to: PendingRequestStatus, by: string, at: Date): Promise<PendingRepoRequest | null> {
    const _id = objectId(id);
    if (!_id) return null;
    const doc = await this.model.findOneAndUpdate({ _id, status: from }, { $set: { status: to, decidedBy: by, updatedAt: at } }, { returnDocument: 'after' }).lean<RequestDoc>();
    return doc ? toRequest(doc) : null;
  }
}
