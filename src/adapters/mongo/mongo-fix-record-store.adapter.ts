/** Pull requests opened from digest cards, in MongoDB (`catalog_fixes`), one document per (entity, rule). */
import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { FixRecord } from '../../domain/catalog-digest/digest.types';
import type { FixRecordStore } from '../../domain/catalog-digest/fix-record-store.port';
import type { HealthRuleId } from '../../domain/catalog-health/health.types';
import { naturalId } from './natural-id';
import { defineModel } from './model-definition';

interface FixDoc extends FixRecord {
  _id: Types.ObjectId;
}

const fixSchema = new Schema<FixDoc>(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    ref: { type: String, required: true },
    ruleId: { type: String, required: true },
    team: { type: String, required: true },
    pullRequestId: { type: Number, required: true },
    url: { type: String, required: true },
    branch: { type: String, required: true },
    by: { id: String, name: String },
    at: { type: Date, required: true },
  },
  { collection: 'catalog_fixes', versionKey: false },
);
fixSchema.index({ ref: 1 });
export const catalogFixModel = defineModel('CatalogFix', fixSchema);

const fixId = (ref: string, ruleId: string) => naturalId(`catalog-fix:${ref}#${ruleId}`);

const toDomain = (d: FixDoc): FixRecord => ({ ref: d.ref, ruleId: d.ruleId, team: d.team, pullRequestId: d.pullRequestId, url: d.url, branch: d.branch, by: { id: d.by.id, name: d.by.name }, at: new Date(d.at) });

export class MongoFixRecordStore implements FixRecordStore {
  private readonly model: Model<FixDoc>;

  constructor(conn: Connection) {
    this.model = catalogFixModel.of(conn);
  }

  async put(record: FixRecord): Promise<void> {
    const _id = fixId(record.ref, record.ruleId);
    await this.model.collection.replaceOne({ _id }, { ...record, _id }, { upsert: true });
  }

  async get(ref: string, ruleId: HealthRuleId): Promise<FixRecord | null> {
    const doc = await this.model.findOne({ _id: fixId(ref, ruleId) }).lean<FixDoc>();
    return doc ? toDomain(doc) : null;
  }

  async forEntities(refs: string[]): Promise<FixRecord[]> {
    if (!refs.length) return [];
    const docs = await this.model.find({ ref: { $in: refs } }).lean<FixDoc[]>();
    return docs.map(toDomain);
  }
}
