import { Schema, type Connection, type Model } from 'mongoose';
import type { ConversationDirectory } from '../../domain/conversations/conversations.port';
import { teamChannelKey, type StoredConversation } from '../../domain/conversations/conversations.types';
import { defineModel } from './model-definition';

type Doc = Omit<StoredConversation, 'reference'> & { reference: string };

const conversationSchema = new Schema<Doc>(
  {
    key: { type: String, required: true },
    conversationId: { type: String, required: true },
    conversationType: { type: String, required: true },
    userId: String,
    aadObjectId: String,
    tenantId: String,
    serviceUrl: { type: String, required: true },
    // Stored as JSON text: channel data may hold keys Mongo refuses.
    reference: { type: String, required: true },
    teamId: String,
    aadGroupId: String,
    updatedAt: Date,
  },
  { collection: 'conversations', versionKey: false },
);
conversationSchema.index({ key: 1 }, { unique: true });
conversationSchema.index({ aadObjectId: 1 });
conversationSchema.index({ conversationId: 1 });
conversationSchema.index({ aadGroupId: 1 });
conversationSchema.index({ teamId: 1 });
export const conversationModel = defineModel('Conversation', conversationSchema);

const toDomain = ({ reference, ...rest }: Doc): StoredConversation => ({ ...rest, reference: JSON.parse(reference) });

/** Conversation references, keyed per person (personal chat) or per conversation (team, group). */
export class MongoConversationDirectory implements ConversationDirectory {
  private readonly model: Model<Doc>;

  constructor(conn: Connection) {
    this.model = conversationModel.of(conn);
  }

  async save(conversation: StoredConversation): Promise<void> {
    const { key, ...rest } = conversation;
    await this.model.updateOne(
      { key },
      { $set: { ...rest, reference: JSON.stringify(rest.reference), updatedAt: new Date() } },
      { upsert: true },
    );
  }

  async findByAadObjectId(aadObjectId: string): Promise<StoredConversation | null> {
    const doc = await this.model.findOne({ aadObjectId, conversationType: 'personal' }, { _id: 0 }).lean<Doc>();
    return doc ? toDomain(doc) : null;
  }

  async findByConversationId(conversationId: string): Promise<StoredConversation | null> {
    const doc = await this.model.findOne({ conversationId }, { _id: 0 }).lean<Doc>();
    return doc ? toDomain(doc) : null;
  }

  async findTeamChannel(query: { aadGroupId?: string; teamId?: string }): Promise<StoredConversation | null> {
    // Entra ids are GUIDs written in either case; team ids are Teams' own (stored as sent).
    const or = [...(query.aadGroupId ? [{ aadGroupId: query.aadGroupId.toLowerCase() }] : []), ...(query.teamId ? [{ teamId: query.teamId }] : [])];
    if (!or.length) return null;
    const doc = await this.model.findOne({ $or: or, key: /^team:/ }, { _id: 0 }).sort({ updatedAt: -1 }).lean<Doc>();
    return doc ? toDomain(doc) : null;
  }

  async removeTeamChannel(teamId: string): Promise<boolean> {
    const { deletedCount } = await this.model.deleteOne({ key: teamChannelKey(teamId) });
    return deletedCount > 0;
  }
}
