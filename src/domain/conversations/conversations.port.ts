import type { StoredConversation } from './conversations.types';

/** Conversation references for proactive messages, shared by every replica. */
export interface ConversationDirectory {
  save(conversation: StoredConversation): Promise<void>;
  findByAadObjectId(aadObjectId: string): Promise<StoredConversation | null>;
  findByConversationId(conversationId: string): Promise<StoredConversation | null>;
  /** A team's General channel recorded at install, by the team's Entra group id or its Teams team (channel) id; null when none. */
  findTeamChannel(query: { aadGroupId?: string; teamId?: string }): Promise<StoredConversation | null>;
  /** Forgets a team's General channel (the bot was removed from the team, or Teams refuses it for good); true when one was stored. */
  removeTeamChannel(teamId: string): Promise<boolean>;
}
