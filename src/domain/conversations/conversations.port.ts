import type { StoredConversation } from './conversations.types';

/** Conversation references for proactive messages, shared by every replica. */
export interface ConversationDirectory {
  save(conversation: StoredConversation): Promise<void>;
  findByAadObjectId(aadObjectId: string): Promise<StoredConversation | null>;
  findByConversationId(conversationId: string): Promise<StoredConversation | null>;
}
