/**
 * Expiry reminders in MongoDB (`secret_expiry_reminders`), one document per reminder key whose
 * `_id` is derived from the key: `_id` is the one uniqueness every MongoDB-compatible server
 * enforces, so of two replicas claiming the same reminder one insert wins and the other gets E11000.
 */
import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { expiryReminderKeyString, type ExpiryReminder, type ExpiryReminderKey, type ExpiryReminderStore } from '../../domain/secrets/expiry-reminder-store.port';
import { isDuplicateKeyError } from './mongo-connection';
import { naturalId } from './natural-id';
import { defineModel } from './model-definition';

interface ReminderDoc extends ExpiryReminder {
  _id: Types.ObjectId;
  owner?: string;
}

const reminderSchema = new Schema<ReminderDoc>(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    vault: { type: String, required: true },
    name: { type: String, required: true },
    version: { type: String, required: true },
    expiresOn: { type: String, required: true },
    threshold: { type: Number, required: true },
    state: { type: String, required: true },
    owner: String,
    claimedAt: Date,
    sentAt: Date,
    conversationIds: [String],
    snoozedBy: { _id: false, id: String, name: String },
    snoozedAt: Date,
  },
  { collection: 'secret_expiry_reminders', versionKey: false },
);
export const secretExpiryReminderModel = defineModel('SecretExpiryReminder', reminderSchema);

const idOf = (key: ExpiryReminderKey) => naturalId(`secret-expiry:${expiryReminderKeyString(key)}`);
const keyFields = (k: ExpiryReminderKey): ExpiryReminderKey => ({ vault: k.vault, name: k.name, version: k.version, expiresOn: k.expiresOn, threshold: k.threshold });

export class MongoExpiryReminderStore implements ExpiryReminderStore {
  private readonly model: Model<ReminderDoc>;

  constructor(conn: Connection) {
    this.model = secretExpiryReminderModel.of(conn);
  }

  async claim(key: ExpiryReminderKey, owner: string, now: Date, staleBefore: Date): Promise<boolean> {
    const _id = idOf(key);
    try {
      await this.model.collection.insertOne({ _id, ...keyFields(key), state: 'claimed', owner, claimedAt: now });
      return true;
    } catch (e) {
      if (!isDuplicateKeyError(e)) throw e;
    }
    // A claim left by a replica that died before sending: one conditional update takes it over.
    const taken = await this.model.collection.findOneAndUpdate({ _id, state: 'claimed', claimedAt: { $lt: staleBefore } }, { $set: { owner, claimedAt: now } });
    return taken !== null;
  }

  async markSent(key: ExpiryReminderKey, owner: string, sent: { conversationIds: string[]; at: Date }): Promise<void> {
    await this.model.collection.updateOne({ _id: idOf(key), owner, state: 'claimed' }, { $set: { state: 'sent', sentAt: sent.at, conversationIds: sent.conversationIds } });
  }

  async release(key: ExpiryReminderKey, owner: string): Promise<void> {
    await this.model.collection.deleteOne({ _id: idOf(key), owner, state: 'claimed' });
  }

  async snooze(key: ExpiryReminderKey, by: { id: string; name: string }, at: Date): Promise<void> {
    // Upsert on `_id` only: a new record is snoozed; a sent (or claimed) one keeps its state.
    await this.model.collection.updateOne({ _id: idOf(key) }, { $setOnInsert: { ...keyFields(key), state: 'snoozed' }, $set: { snoozedBy: { id: by.id, name: by.name }, snoozedAt: at } }, { upsert: true });
  }

  async get(key: ExpiryReminderKey): Promise<ExpiryReminder | null> {
    const doc = await this.model.collection.findOne({ _id: idOf(key) });
    if (!doc) return null;
    const { _id, owner, ...rest } = doc as unknown as ReminderDoc;
    void _id;
    void owner;
    return rest;
  }
}
