import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import { Schema, type Connection, type Model } from 'mongoose';
import { defineModel } from './model-definition';

interface BotStateDoc {
  key: string;
  /** The state as JSON text: bot state may hold keys Mongo refuses (`$type`, dotted names). */
  json: string;
  eTag: string;
  updatedAt: Date;
}

const botStateSchema = new Schema<BotStateDoc>(
  {
    key: { type: String, required: true },
    json: { type: String, required: true },
    eTag: { type: String, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'bot_state', versionKey: false },
);
botStateSchema.index({ key: 1 }, { unique: true });
export const botStateModel = defineModel('BotState', botStateSchema);

export class StorageConflictError extends Error {
  constructor(key: string) {
    super(`Bot state for "${key}" was changed by another turn (eTag mismatch).`);
    this.name = 'StorageConflictError';
  }
}

/**
 * botbuilder `Storage` (dialog, conversation and user state) in MongoDB, so any replica can
 * continue any conversation. Optimistic concurrency by eTag: a write with a stale eTag fails.
 */
export class MongoBotStorage implements Storage {
  private readonly model: Model<BotStateDoc>;

  constructor(conn: Connection) {
    this.model = botStateModel.of(conn);
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (keys.length === 0) return {};
    const docs = await this.model.find({ key: { $in: keys } }, { key: 1, json: 1, eTag: 1 }).lean();
    const items: StoreItems = {};
    for (const doc of docs) items[doc.key] = { ...JSON.parse(doc.json), eTag: doc.eTag };
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    await Promise.all(Object.entries(changes).map(([key, item]) => this.writeOne(key, item)));
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length) await this.model.deleteMany({ key: { $in: keys } });
  }

  private async writeOne(key: string, item: Record<string, unknown>): Promise<void> {
    const { eTag, ...state } = item as { eTag?: string };
    const update = { $set: { json: JSON.stringify(state), eTag: randomUUID(), updatedAt: new Date() } };
    if (!eTag || eTag === '*') {
      // Create path (or last-writer-wins when the caller asked for it with '*').
      await this.model.updateOne({ key }, update, { upsert: true });
      return;
    }
    const result = await this.model.updateOne({ key, eTag }, update);
    if (result.matchedCount === 0) throw new StorageConflictError(key);
  }
}
