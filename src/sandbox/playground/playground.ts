/**
 * The playground's server side: a view over the Bot Connector stand-in. The page reads the
 * conversations a person sees, records what they write (Teams keeps both sides of a chat), and
 * follows every post, update and delete of the bot live. It then talks to the bot itself, over
 * POST /api/messages, exactly as Teams would. Sandbox only.
 */
import type { BotConnectorStandIn, ConversationChange, StoredActivity } from '../standins/bot-connector.standin';
import type { TeamsAppInstallations } from '../standins/graph-teamwork';
import { DEMO_TEAMS_APP } from '../seed/demo-org';
import { INCIDENT_GROUP_CHAT, PLAYGROUND_BOT, PLAYGROUND_TENANT_ID, playgroundConversations, playgroundPeople, type PlaygroundConversation } from './playground-people';
import { userBySlug } from '../seed/demo-org';

export interface PlaygroundDeps {
  connector: BotConnectorStandIn;
  teamwork: TeamsAppInstallations;
  /** Graph keeps installations in its state file: saved after the playground installs the app. */
  saveGraphState: () => void;
}

/** What a person posts: the activity fields the page fills (text, attachments, value). */
export interface IncomingPost {
  conversationId: string;
  fromId: string;
  text?: string;
  attachments?: unknown[];
  value?: unknown;
  /** Channels: a new post starts a thread; a reply names the thread's conversation id instead. */
  newThread?: boolean;
}

export type RecordResult =
  | { ok: true; activity: StoredActivity; conversation: PlaygroundConversation; installedNow: boolean }
  | { ok: false; status: 400 | 403 | 404; message: string };

const MAX_TEXT = 30_000;

export class Playground {
  private readonly people = playgroundPeople();
  private readonly conversations = playgroundConversations();

  constructor(private readonly deps: PlaygroundDeps) {
    deps.connector.ensureGroupChat(INCIDENT_GROUP_CHAT.id, INCIDENT_GROUP_CHAT.memberSlugs.map((s) => userBySlug(s).id));
  }

  /** Everything the page needs to draw itself: the bot, the people, their conversations, what was said. */
  state(serviceUrl: string) {
    return {
      bot: { id: PLAYGROUND_BOT.id, name: PLAYGROUND_BOT.name },
      tenantId: PLAYGROUND_TENANT_ID,
      serviceUrl,
      people: this.people,
      conversations: this.conversations,
      activities: Object.fromEntries(this.deps.connector.allConversations().map((c) => [c.id, c.activities])),
    };
  }

  onChange(listener: (change: ConversationChange) => void): () => void {
    return this.deps.connector.onChange(listener);
  }

  /**
   * Keeps what the person wrote in the conversation, as Teams would, with the id Teams gives it.
   * A 1:1 chat exists once the bot's app is installed for the person: opening it installs it
   * (`installedNow`: the page then tells the bot, as Teams does, with a conversationUpdate).
   */
  record(post: IncomingPost): RecordResult {
    const person = this.people.find((p) => p.aadObjectId === post.fromId);
    if (!person) return { ok: false, status: 404, message: `No demo person ${post.fromId}.` };
    const baseId = post.conversationId.split(';')[0]!;
    const conversation = this.conversations.find((c) => c.id === baseId);
    if (!conversation) return { ok: false, status: 404, message: `No playground conversation ${post.conversationId}.` };
    if (!conversation.memberIds.includes(person.aadObjectId)) return { ok: false, status: 403, message: `${person.name} is not in ${conversation.title}.` };
    if (post.text !== undefined && (typeof post.text !== 'string' || post.text.length > MAX_TEXT)) return { ok: false, status: 400, message: 'text must be a string of at most 30,000 characters.' };
    if (conversation.kind === 'channel' && post.newThread && post.conversationId !== baseId) return { ok: false, status: 400, message: 'A new thread is posted to the channel, not to a thread.' };

    let installedNow = false;
    if (conversation.kind === 'personal' && !this.deps.teamwork.isChatOpen(conversation.id)) {
      this.deps.teamwork.install(person.aadObjectId, DEMO_TEAMS_APP.catalogId);
      this.deps.saveGraphState();
      installedNow = true;
    }
    const activity = this.deps.connector.recordIncoming(
      post.conversationId,
      {
        type: 'message',
        from: { id: person.teamsId, name: person.name, aadObjectId: person.aadObjectId },
        ...(post.text !== undefined ? { text: post.text } : {}),
        ...(Array.isArray(post.attachments) ? { attachments: post.attachments } : {}),
        ...(post.value !== undefined ? { value: post.value } : {}),
      },
      { newThread: conversation.kind === 'channel' && post.newThread === true },
    );
    return { ok: true, activity, conversation, installedNow };
  }
}
