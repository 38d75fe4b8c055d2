/** ConversationDirectory in memory: the same answers as MongoConversationDirectory (contract suite). */
import type { ConversationDirectory } from '../../src/domain/conversations/conversations.port';
import { teamChannelKey, type StoredConversation } from '../../src/domain/conversations/conversations.types';

export class InMemoryConversationDirectory implements ConversationDirectory {
  private readonly byKey = new Map<string, StoredConversation>();

  async save(conversation: StoredConversation): Promise<void> {
    this.byKey.set(conversation.key, structuredClone({ ...this.byKey.get(conversation.key), ...conversation, updatedAt: new Date() }));
  }

  async findByAadObjectId(aadObjectId: string): Promise<StoredConversation | null> {
    return this.first((c) => c.aadObjectId === aadObjectId && c.conversationType === 'personal');
  }

  async findByConversationId(conversationId: string): Promise<StoredConversation | null> {
    return this.first((c) => c.conversationId === conversationId);
  }

  async findTeamChannel(query: { aadGroupId?: string; teamId?: string }): Promise<StoredConversation | null> {
    const group = query.aadGroupId?.toLowerCase();
    if (!group && !query.teamId) return null;
    const found = [...this.byKey.values()]
      .filter((c) => c.key.startsWith('team:') && ((group !== undefined && c.aadGroupId === group) || (query.teamId !== undefined && c.teamId === query.teamId)))
      .sort((a, b) => (b.updatedAt?.getTime() ?? 0) - (a.updatedAt?.getTime() ?? 0));
    return found[0] ? structuredClone(found[0]) : null;
  }

  async removeTeamChannel(teamId: string): Promise<boolean> {
    return this.byKey.delete(teamChannelKey(teamId));
  }

  private first(match: (c: StoredConversation) => boolean): StoredConversation | null {
    const found = [...this.byKey.values()].find(match);
    return found ? structuredClone(found) : null;
  }
}
