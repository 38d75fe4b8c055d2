/**
 * The bot's 1:1 chat with a person, for proactive messages (an approval card, a joiner's welcome):
 * the personal conversation recorded when they last talked to the bot, else the chat Teams opens
 * when the bot's app is installed for them through Graph (a joiner who never opened Teams, an
 * approver who never opened the bot). A chat reached through Graph is remembered in the
 * ConversationDirectory under the same key the recorder uses, so the next message needs no Graph
 * call, and the person's first message to the bot replaces it with the reference Teams sends.
 */
import type { ConversationReference } from 'botbuilder';
import type { AppInstallation } from '../domain/conversations/app-installation.port';
import type { ConversationDirectory } from '../domain/conversations/conversations.port';
import type { StoredConversation } from '../domain/conversations/conversations.types';
import { isDomainError } from '../domain/domain-error';

export interface PersonalChatsOptions {
  conversations: ConversationDirectory;
  /** Absent (no Graph configured): only recorded chats are reachable. */
  installation?: AppInstallation;
  /** The Bot Connector endpoint for chats the bot opened itself (Teams: https://smba.trafficmanager.net/teams/; the sandbox: its connector). */
  serviceUrl: string;
  tenantId: string;
  /** The bot's Microsoft App ID; Teams addresses the bot as `28:<id>`. */
  botAppId: string;
  botName?: string;
}

export type PersonalChat = { reference: Partial<ConversationReference>; installedNow: boolean } | { unreachable: string };

/** What AppInstallation refuses for good: the person cannot be reached this way, and a retry gets the same. */
export const UNREACHABLE_CODES = ['CONVERSATION.APP_NOT_IN_CATALOG', 'CONVERSATION.INSTALL_FORBIDDEN', 'CONVERSATION.USER_NOT_FOUND'] as const;

/** Graph is not configured, and the person never talked to the bot 1:1. */
export const NO_PERSONAL_CHAT = 'CONVERSATION.NO_PERSONAL_CHAT';

export class PersonalChats {
  constructor(private readonly options: PersonalChatsOptions) {}

  /**
   * The reference to message the person (Entra object id) 1:1, or why they cannot be reached (a
   * DomainError code with words in src/bot/messages.ts). Outages and throttling (UPSTREAM.*) are
   * thrown: they pass, so the caller retries later.
   */
  async referenceFor(userId: string): Promise<PersonalChat> {
    const recorded = await this.options.conversations.findByAadObjectId(userId);
    if (recorded?.conversationType === 'personal') return { reference: recorded.reference as Partial<ConversationReference>, installedNow: false };
    if (!this.options.installation) return { unreachable: NO_PERSONAL_CHAT };

    let chat;
    try {
      chat = await this.options.installation.ensureInstalledFor(userId);
    } catch (e) {
      if (isDomainError(e) && (UNREACHABLE_CODES as readonly string[]).includes(e.code)) return { unreachable: e.code };
      throw e;
    }
    const stored = this.storedChat(userId, chat.chatId);
    await this.options.conversations.save(stored);
    return { reference: stored.reference as Partial<ConversationReference>, installedNow: chat.installedNow };
  }

  private storedChat(userId: string, chatId: string): StoredConversation {
    const { serviceUrl, tenantId, botAppId, botName } = this.options;
    const reference: Partial<ConversationReference> = {
      channelId: 'msteams',
      serviceUrl,
      conversation: { id: chatId, conversationType: 'personal', isGroup: false, tenantId, name: '' },
      // No `user`: the channel user id ("29:...") is unknown until the person writes; Teams needs only the chat id.
      bot: { id: `28:${botAppId}`, name: botName ?? '' },
    };
    return {
      key: `user:${userId}`,
      conversationId: chatId,
      conversationType: 'personal',
      aadObjectId: userId,
      tenantId,
      serviceUrl,
      reference: JSON.parse(JSON.stringify(reference)) as Record<string, unknown>,
    };
  }
}
