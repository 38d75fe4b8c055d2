/**
 * PendingRequestStore on MongoDB (mongoose), one collection per kind of request. Status changes
 * are one conditional findOneAndUpdate (`{ _id, status: from }`), so two clicks racing (Confirm and
 * Cancel, or two Confirms) have exactly one winner on real MongoDB and the embedded store alike.
 * The request's own fields are stored as they are (the domain validated them).
 */
import { Schema, Types, type Connection, type Model } from 'mongoose';
import type { PendingRecord, PendingRequestStatus, PendingRequestStore } from '../../domain/requests/pending-request-store.port';
import type { ModelDefinition } from './model-definition';

/** Stored as given plus `_id`; typed loosely here (mongoose's generics over R cost the type checker gigabytes). */
export type StoredDoc = { _id: Types.ObjectId } & Record<string, unknown>;

const objectId = (id: string): Types.ObjectId | null => (/^[0-9a-f]{24}$/i.test(id) ? new Types.ObjectId(id) : null);

/** The schema of one kind of request (its own collection): the status fields every kind shares. */
export function pendingRequestSchema(collection: string): Schema<StoredDoc> {
  const schema = new Schema<StoredDoc>(
    {
      status: { type: String, enum: ['pending', 'confirmed', 'cancelled'], required: true },
      createdAt: { type: Date, required: true },
      updatedAt: { type: Date, required: true },
      decidedBy: String,
    },
    { collection, versionKey: false, minimize: false, strict: false },
  );
  // The platform metrics read requests by creation date.
  schema.index({ createdAt: 1 });
  return schema;
}

export class MongoPendingRequestStore<R extends PendingRecord> implements PendingRequestStore<R> {
  private readonly model: Model<StoredDoc>;

  constructor(conn: Connection, definition: ModelDefinition<StoredDoc>) {
    this.model = definition.of(conn);
  }

  async insert(request: Omit<R, 'id'>): Promise<R> {
    const _id = new Types.ObjectId();
    await this.model.collection.insertOne({ ...(request as object), _id });
    return { ...(request as object), id: _id.toHexString() } as R;
  }

  async get(id: string): Promise<R | null> {
    const _id = objectId(id);
    if (!_id) return null;
    const doc = await this.model.findById(_id).lean<StoredDoc>();
    return doc ? toRecord<R>(doc) : null;
  }

  async transition(id: string, from: PendingRequestStatus, to: PendingRequestStatus, by: string, at: Date): Promise<R | null> {
    const _id = objectId(id);
    if (!_id) return null;
    const doc = await this.model.findOneAndUpdate({ _id, status: from }, { $set: { status: to, decidedBy: by, updatedAt: at } }, { returnDocument: 'after' }).lean<StoredDoc>();
    return doc ? toRecord<R>(doc) : null;
  }
}

function toRecord<R extends PendingRecord>(doc: StoredDoc): R {
  const { _id, ...rest } = doc;
  return { id: _id.toHexString(), ...rest } as unknown as R;
}
