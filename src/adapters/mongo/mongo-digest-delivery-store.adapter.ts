/** Digest deliveries in MongoDB (`digest_deliveries`), one document per (occurrence, team, conversation). */
import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { DigestDelivery, DigestDeliveryStore } from '../../domain/catalog-digest/digest-delivery-store.port';
import { naturalId } from './natural-id';
import { defineModel } from './model-definition';

interface DeliveryDoc extends DigestDelivery {
  _id: Types.ObjectId;
}

const deliverySchema = new Schema<DeliveryDoc>(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    occurrence: { type: String, required: true },
    team: { type: String, required: true },
    conversationId: { type: String, required: true },
    activityId: String,
    at: { type: Date, required: true },
  },
  { collection: 'digest_deliveries', versionKey: false },
);
deliverySchema.index({ occurrence: 1, team: 1 });
export const digestDeliveryModel = defineModel('DigestDelivery', deliverySchema);

export class MongoDigestDeliveryStore implements DigestDeliveryStore {
  private readonly model: Model<DeliveryDoc>;

  constructor(conn: Connection) {
    this.model = digestDeliveryModel.of(conn);
  }

  async record(delivery: DigestDelivery): Promise<void> {
    // The id is the natural key: a second record of the same delivery meets the first ($setOnInsert keeps it).
    const _id = naturalId(`digest-delivery:${delivery.occurrence}|${delivery.team}|${delivery.conversationId}`);
    const doc = Object.fromEntries(Object.entries(delivery).filter(([, v]) => v !== undefined));
    await this.model.collection.updateOne({ _id }, { $setOnInsert: doc }, { upsert: true });
  }

  async deliveredTo(occurrence: string, team: string): Promise<string[]> {
    const docs = await this.model.find({ occurrence, team }, { conversationId: 1, _id: 0 }).lean<{ conversationId: string }[]>();
    return docs.map((d) => d.conversationId);
  }
}
