import { TurnContext } from 'botbuilder';
import { BoundedMap } from './bounded-map';
import type { ConversationDirectory } from '../domain/conversations/conversations.port';
import type { StoredConversation } from '../domain/conversations/conversations.types';

const CACHE_LIMIT = 10_000;

/**
 * Stores the conversation reference of every conversation the bot sees, for proactive messages.
 * A per-process cache skips the write when nothing changed (the store stays the source of truth;
 * a new replica simply writes once more).
 */
export class ConversationRecorder {
  private readonly seen = new BoundedMap<string, string>(CACHE_LIMIT);

  constructor(private readonly directory: ConversationDirectory) {}

  async record(turn: TurnContext): Promise<void> {
    const a = turn.activity;
    if (!a.conversation?.id || !a.serviceUrl) return;
    const type = normalizeType(a.conversation.conversationType);
    const key = type === 'personal' ? `user:${a.from?.aadObjectId ?? a.from?.id}` : `conversation:${a.conversation.id}`;
    const fingerprint = `${a.conversation.id}|${a.serviceUrl}`;
    if (this.seen.get(key) === fingerprint) return;

    const reference = TurnContext.getConversationReference(a);
    const stored: StoredConversation = {
      key,
      conversationId: a.conversation.id,
      conversationType: type,
      userId: type === 'personal' ? a.from?.id : undefined,
      aadObjectId: type === 'personal' ? a.from?.aadObjectId : undefined,
      tenantId: a.conversation.tenantId,
      serviceUrl: a.serviceUrl,
      reference: JSON.parse(JSON.stringify(reference)) as Record<string, unknown>,
    };
    await this.directory.save(stored);
    this.seen.set(key, fingerprint);
  }
}

function normalizeType(type: string | undefined): StoredConversation['conversationType'] {
  if (type === 'personal' || type === 'groupChat' || type === 'channel') return type;
  return type ? 'unknown' : 'personal'; // the Emulator and Web Chat send no type: a 1:1 chat
}
