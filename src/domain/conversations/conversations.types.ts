import { isDomainError, type DomainError } from '../domain-error';

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
  /** A team's General channel, recorded when the bot is installed in the team: the Teams team id (= that channel's id). */
  teamId?: string;
  /** The Entra group behind that team (channelData.team.aadGroupId): what a catalog Group's profile.aadObjectId names. */
  aadGroupId?: string;
  updatedAt?: Date;
}

/** The key a team's General channel is stored under (one per team, replaced on reinstall). */
export const teamChannelKey = (teamId: string): string => `team:${teamId}`;

/**
 * What the messenger raises when the Bot Connector refuses a conversation for good: 403 (the bot is
 * no longer in it: removed from the team, uninstalled, blocked) or 404 (no such conversation). A
 * retry would be refused the same way, unlike 429 / 5xx.
 */
export const CONVERSATION_GONE_CODES = ['CONVERSATION.BOT_NOT_MEMBER', 'CONVERSATION.NOT_FOUND'] as const;

export const isConversationGone = (err: unknown): err is DomainError => isDomainError(err) && (CONVERSATION_GONE_CODES as readonly string[]).includes(err.code);

/**
 * Where a job reports its progress: the conversation (as plain fields, enough to continue it from
 * any replica) and the message holding its card, when the client gave one. Stored with the job.
 */
export interface NotifyTarget {
  serviceUrl: string;
  channelId: string;
  conversationId: string;
  conversationType?: string;
  tenantId?: string;
  botId: string;
  botName?: string;
  userId?: string;
  userName?: string;
  /** The message to update in place; absent: one new message when the job ends. */
  cardActivityId?: string;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** The target stored with a job, checked field by field (null when it is not one). */
export function parseNotifyTarget(context: unknown): NotifyTarget | null {
  const c = (context ?? {}) as Record<string, unknown>;
  const serviceUrl = text(c.serviceUrl);
  const channelId = text(c.channelId);
  const conversationId = text(c.conversationId);
  const botId = text(c.botId);
  if (!serviceUrl || !channelId || !conversationId || !botId) return null;
  const optional = { conversationType: text(c.conversationType), tenantId: text(c.tenantId), botName: text(c.botName), userId: text(c.userId), userName: text(c.userName), cardActivityId: text(c.cardActivityId) };
  return { serviceUrl, channelId, conversationId, botId, ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)) };
}
