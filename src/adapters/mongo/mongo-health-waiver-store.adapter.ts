/** Snoozes and "not applicable" marks in MongoDB (`health_waivers`), one document per (entity, rule). */
import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { HealthWaiverStore } from '../../domain/catalog-health/health-waiver-store.port';
import { waiverKey, type HealthRuleId, type HealthWaiver } from '../../domain/catalog-health/health.types';
import { naturalId } from './natural-id';
import { defineModel } from './model-definition';

interface WaiverDoc extends HealthWaiver {
  _id: Types.ObjectId;
}

const waiverSchema = new Schema<WaiverDoc>(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    ref: { type: String, required: true },
    ruleId: { type: String, required: true },
    kind: { type: String, required: true },
    until: Date,
    reason: String,
    by: { id: String, name: String },
    at: { type: Date, required: true },
  },
  { collection: 'health_waivers', versionKey: false },
);
waiverSchema.index({ ref: 1 });
waiverSchema.index({ kind: 1, until: 1 });
export const healthWaiverModel = defineModel('HealthWaiver', waiverSchema);

const waiverId = (ref: string, ruleId: HealthRuleId) => naturalId(`health-waiver:${waiverKey(ref, ruleId)}`);

export class MongoHealthWaiverStore implements HealthWaiverStore {
  private readonly model: Model<WaiverDoc>;

  constructor(conn: Connection) {
    this.model = healthWaiverModel.of(conn);
  }

  async put(waiver: HealthWaiver): Promise<void> {
    const doc: WaiverDoc = { ...waiver, _id: waiverId(waiver.ref, waiver.ruleId) };
    await this.model.collection.replaceOne({ _id: doc._id }, strip(doc), { upsert: true });
  }

  async remove(ref: string, ruleId: HealthRuleId): Promise<boolean> {
    const r = await this.model.deleteOne({ _id: waiverId(ref, ruleId) });
    return r.deletedCount > 0;
  }

  async active(now: Date): Promise<HealthWaiver[]> {
    const docs = await this.model.find({ $or: [{ kind: 'not-applicable' }, { until: { $gt: now } }] }, { _id: 0 }).lean<HealthWaiver[]>();
    return docs.map(normalise);
  }

  async forEntities(refs: string[]): Promise<HealthWaiver[]> {
    if (!refs.length) return [];
    const docs = await this.model.find({ ref: { $in: refs } }, { _id: 0 }).lean<HealthWaiver[]>();
    return docs.map(normalise);
  }
}

/** Absent optional fields stay absent (a replaced waiver does not keep the old one's reason). */
function strip<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function normalise(doc: HealthWaiver): HealthWaiver {
  const w: HealthWaiver = { ref: doc.ref, ruleId: doc.ruleId, kind: doc.kind, by: { id: doc.by.id, name: doc.by.name }, at: new Date(doc.at) };
  if (doc.until) w.until = new Date(doc.until);
  if (doc.reason !== undefined && doc.reason !== null) w.reason = doc.reason;
  return w;
}
