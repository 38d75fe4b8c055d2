import { Schema, type Connection, type Model } from 'mongoose';
import type { FeedbackStore } from '../../domain/feedback/feedback.port';
import type { FeedbackRecord } from '../../domain/feedback/feedback.types';
import { isDuplicateKeyError } from './mongo-connection';
import { defineModel } from './model-definition';

const feedbackSchema = new Schema<FeedbackRecord>(
  {
    text: { type: String, required: true },
    urgency: { type: String, required: true },
    from: { id: String, name: String },
    conversationId: String,
    idempotencyKey: { type: String, required: true },
    reference: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'feedback', versionKey: false },
);
feedbackSchema.index({ idempotencyKey: 1 }, { unique: true });
export const feedbackModel = defineModel('Feedback', feedbackSchema);

export class MongoFeedbackStore implements FeedbackStore {
  private readonly model: Model<FeedbackRecord>;

  constructor(conn: Connection) {
    this.model = feedbackModel.of(conn);
  }

  async insertOnce(record: FeedbackRecord): Promise<FeedbackRecord> {
    try {
      // $setOnInsert: a retry with the same key returns the first record and changes nothing.
      const doc = await this.model
        .findOneAndUpdate({ idempotencyKey: record.idempotencyKey }, { $setOnInsert: record }, { upsert: true, returnDocument: 'after', projection: { _id: 0 } })
        .lean<FeedbackRecord>();
      return doc ?? record;
    } catch (e) {
      if (!isDuplicateKeyError(e)) throw e;
      const existing = await this.model.findOne({ idempotencyKey: record.idempotencyKey }, { _id: 0 }).lean<FeedbackRecord>();
      if (!existing) throw e;
      return existing;
    }
  }

  countAll(): Promise<number> {
    return this.model.countDocuments();
  }
}
