import { Schema, type Connection, type Model } from 'mongoose';
import type { AuditLog, RecordedAuditEntry } from '../../domain/audit/audit.port';
import type { AuditEntry, AuditQuery } from '../../domain/audit/audit.types';
import { defineModel } from './model-definition';

const auditSchema = new Schema<RecordedAuditEntry>(
  {
    actor: { type: String, required: true },
    actorName: String,
    action: { type: String, required: true },
    target: { type: String, required: true },
    result: { type: String, required: true, enum: ['success', 'failure', 'denied'] },
    activityId: String,
    details: Schema.Types.Mixed,
    at: { type: Date, required: true },
  },
  { collection: 'audit', versionKey: false },
);
auditSchema.index({ at: -1 });
auditSchema.index({ actor: 1, at: -1 });
auditSchema.index({ target: 1, at: -1 });
export const auditModel = defineModel('AuditEntry', auditSchema);

export class MongoAuditLog implements AuditLog {
  private readonly model: Model<RecordedAuditEntry>;

  constructor(conn: Connection) {
    this.model = auditModel.of(conn);
  }

  async record(entry: AuditEntry): Promise<void> {
    await this.model.create({ ...entry, at: entry.at ?? new Date() });
  }

  async find(query: AuditQuery): Promise<RecordedAuditEntry[]> {
    const filter: Record<string, string> = {};
    if (query.actor) filter.actor = query.actor;
    if (query.action) filter.action = query.action;
    if (query.target) filter.target = query.target;
    const docs = await this.model.find(filter, { _id: 0 }).sort({ at: -1 }).limit(query.limit ?? 100).lean();
    return docs as RecordedAuditEntry[];
  }
}
