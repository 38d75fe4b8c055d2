/**
 * What we keep to message someone later (proactively). `reference` is the channel's
 * conversation reference, stored opaque: the domain never interprets it.
 */
export interface StoredConversation {
  /** Channel user id of the person (for personal chats) or the conversation id (teams, group chats). */
  key: string;
  conversationId: string;
  conversationType: 'personal' | 'groupChat' | 'channel' | 'unknown';
  userId?: string;
  aadObjectId?: string;
  tenantId?: string;
  serviceUrl: string;
  reference: Record<string, unknown>;
  updatedAt?: Date;
}
