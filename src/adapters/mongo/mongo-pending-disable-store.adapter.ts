/** Rotation grace periods in MongoDB (`secret_pending_disables`), one document per rotation (its request key). */
import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { PendingDisable, PendingDisableStore } from '../../domain/secrets/pending-disable-store.port';
import { naturalId } from './natural-id';
import { defineModel } from './model-definition';

interface PendingDoc extends PendingDisable {
  _id: Types.ObjectId;
}

const pendingSchema = new Schema<PendingDoc>(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    id: { type: String, required: true },
    vault: { type: String, required: true },
    vaultName: { type: String, required: true },
    name: { type: String, required: true },
    versions: { type: [String], required: true },
    keep: { type: String, required: true },
    dueAt: { type: Date, required: true },
    service: { type: String, required: true },
    env: { type: String, required: true },
    requestedBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    doneAt: Date,
    disabled: { type: [String], default: undefined },
    gone: { type: [String], default: undefined },
  },
  { collection: 'secret_pending_disables', versionKey: false },
);
// The sweep's query: the undone ones by due time.
pendingSchema.index({ doneAt: 1, dueAt: 1 });
export const secretPendingDisableModel = defineModel('SecretPendingDisable', pendingSchema);

const fromDoc = ({ _id, ...rest }: PendingDoc): PendingDisable => Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined && v !== null)) as unknown as PendingDisable;

export class MongoPendingDisableStore implements PendingDisableStore {
  private readonly model: Model<PendingDoc>;

  constructor(conn: Connection) {
    this.model = secretPendingDisableModel.of(conn);
  }

  async add(pending: PendingDisable): Promise<void> {
    // The id is the natural key: a re-run meets the first record ($setOnInsert keeps it).
    const doc = Object.fromEntries(Object.entries(pending).filter(([, v]) => v !== undefined));
    await this.model.collection.updateOne({ _id: naturalId(`pending-disable:${pending.id}`) }, { $setOnInsert: doc }, { upsert: true });
  }

  async get(id: string): Promise<PendingDisable | null> {
    const doc = await this.model.findById(naturalId(`pending-disable:${id}`)).lean<PendingDoc>();
    return doc ? fromDoc(doc) : null;
  }

  async due(now: Date, limit: number): Promise<PendingDisable[]> {
    const docs = await this.model.find({ doneAt: { $exists: false }, dueAt: { $lte: now } }).sort({ dueAt: 1 }).limit(limit).lean<PendingDoc[]>();
    return docs.map(fromDoc);
  }

  async markDone(id: string, outcome: { at: Date; disabled: string[]; gone: string[] }): Promise<void> {
    await this.model.collection.updateOne({ _id: naturalId(`pending-disable:${id}`), doneAt: { $exists: false } }, { $set: { doneAt: outcome.at, disabled: outcome.disabled, gone: outcome.gone } });
  }
}
