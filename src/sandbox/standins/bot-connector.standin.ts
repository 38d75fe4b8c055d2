/**
 * Stand-in for the Bot Framework Connector REST API (the Teams flavour): what botbuilder's
 * ConnectorClient and TeamsConnectorClient call to send, reply, update and delete activities,
 * read members and team details, and create conversations. It keeps every activity per
 * conversation (updates and deletes applied) so a test or a person can see what the bot said:
 *   GET /_standin/conversations                     ids and activity counts
 *   GET /_standin/conversations/:id/activities      the activities of one conversation
 *
 * Members: a conversation created here has the members it was created with; a team's General
 * channel (or a thread in it) has the team's members; any other conversation has the whole
 * demo tenant. Conversation ids are kept verbatim: a channel thread ("19:x@thread.tacv2;messageid=1")
 * is a conversation of its own, as in Teams.
 *
 * The bot's 1:1 chat with a person (a Graph chat id, "19:<bot>_<user>@unq.gbl.spaces") exists only
 * while the bot's app is installed for that person, which the Graph stand-in (another server)
 * knows. Linked to it (`linkPersonalChats`, done by the sandbox and by tests that need it), posts
 * to such a chat are refused with 403 BotNotInConversationRoster until the app is installed, as
 * Teams refuses them; unlinked, every conversation is accepted, as before.
 *
 * The playground is a view over this service: `onChange` tells it of every activity posted,
 * updated or deleted, and `recordIncoming` keeps what a person writes to the bot, as Teams keeps
 * both sides of a chat (the bot itself never reads those back).
 */
import { DEMO_TEAMS, DEMO_TENANT_ID, DEMO_USERS, type DemoTeam, type DemoUser } from '../seed/demo-org';
import { isPersonalChatId } from './graph-teamwork';
import { json, StandInServer, type StandInHandler, type StandInRequest, type StandInResponse } from './standin-server';
import { StateFile } from './state-file';

/** The wire shape of a Teams channel account (TeamsChannelAccount). */
export interface ConnectorMember {
  id: string;
  name: string;
  aadObjectId: string;
  userPrincipalName: string;
  email: string;
  tenantId: string;
  givenName?: string;
  surname?: string;
  userRole: 'user';
}

/** An activity as stored: what the bot posted, plus the id and timestamp this service assigned. */
export interface StoredActivity {
  id: string;
  type?: string;
  text?: string;
  replyToId?: string;
  conversation?: { id: string; [key: string]: unknown };
  attachments?: { contentType: string; content?: unknown; [key: string]: unknown }[];
  [key: string]: unknown;
}

export interface BotConnectorStandInOptions {
  /** When set, a request whose Authorization header it rejects gets 401 (the header may be undefined). */
  requireAuth?: (header: string | undefined) => boolean;
  members?: DemoUser[];
  teams?: DemoTeam[];
  tenantId?: string;
}

interface Conversation {
  id: string;
  activities: StoredActivity[];
  /** Set for conversations created through POST /v3/conversations. */
  members?: ConnectorMember[];
}

/** One change to a conversation, as the playground shows it live. */
export type ConversationChange =
  | { kind: 'created' | 'updated'; conversationId: string; activity: StoredActivity }
  | { kind: 'deleted'; conversationId: string; activityId: string };

interface Waiter {
  conversationId: string;
  count: number;
  resolve: (activities: StoredActivity[]) => void;
}

const errorBody = (code: string, message: string) => ({ error: { code, message } });
const DEFAULT_PAGE_SIZE = 200;
const SAVED_FORMAT = 'idp-sandbox-bot-connector/1';

export function toConnectorMember(user: DemoUser, tenantId = DEMO_TENANT_ID): ConnectorMember {
  const [givenName, ...rest] = user.displayName.split(' ');
  return {
    id: user.teamsId,
    name: user.displayName,
    aadObjectId: user.id,
    userPrincipalName: user.userPrincipalName,
    email: user.userPrincipalName,
    tenantId,
    givenName,
    surname: rest.join(' ') || undefined,
    userRole: 'user',
  };
}

export class BotConnectorStandIn extends StandInServer {
  private readonly conversations = new Map<string, Conversation>();
  private readonly roster: ConnectorMember[];
  private readonly teams: DemoTeam[];
  private readonly tenantId: string;
  private readonly requireAuth?: (header: string | undefined) => boolean;
  private waiters: Waiter[] = [];
  private lastId = 0;
  private personalChatOpen?: (chatId: string) => boolean;
  private listeners = new Set<(change: ConversationChange) => void>();

  constructor(options: BotConnectorStandInOptions = {}) {
    super('bot-connector', undefined, () => this.summary());
    this.tenantId = options.tenantId ?? DEMO_TENANT_ID;
    this.roster = (options.members ?? DEMO_USERS).map((u) => toConnectorMember(u, this.tenantId));
    this.teams = options.teams ?? DEMO_TEAMS;
    this.requireAuth = options.requireAuth;

    this.route('GET', '/_standin/conversations', () => json(200, this.summary()));
    this.route('GET', '/_standin/conversations/:id/activities', (req) => json(200, this.activities(req.params.id)));

    const api = (method: string, pattern: string, handler: StandInHandler) => this.route(method, pattern, this.guarded(handler));
    api('POST', '/v3/conversations', (req) => this.createConversation(req));
    api('POST', '/v3/conversations/:conversationId/activities/history', (req) => this.sendHistory(req));
    api('POST', '/v3/conversations/:conversationId/activities', (req) => this.post(req));
    api('POST', '/v3/conversations/:conversationId/activities/:activityId', (req) => this.post(req, req.params.activityId));
    api('PUT', '/v3/conversations/:conversationId/activities/:activityId', (req) => this.update(req));
    api('DELETE', '/v3/conversations/:conversationId/activities/:activityId', (req) => this.remove(req));
    api('GET', '/v3/conversations/:conversationId/activities/:activityId/members', (req) => json(200, this.membersOf(req.params.conversationId)));
    api('GET', '/v3/conversations/:conversationId/members', (req) => json(200, this.membersOf(req.params.conversationId)));
    api('GET', '/v3/conversations/:conversationId/members/:memberId', (req) => this.member(req));
    api('GET', '/v3/conversations/:conversationId/pagedmembers', (req) => this.pagedMembers(req));
    api('GET', '/v3/teams/:teamId', (req) => this.teamDetails(req));
    api('GET', '/v3/teams/:teamId/conversations', (req) => this.teamChannels(req));
  }

  /** Activities of one conversation, oldest first (copies). */
  activities(conversationId: string): StoredActivity[] {
    return (this.conversations.get(conversationId)?.activities ?? []).map((a) => structuredClone(a));
  }

  /** Every conversation id with its activities, oldest first (copies). */
  allConversations(): { id: string; activities: StoredActivity[] }[] {
    return [...this.conversations.keys()].map((id) => ({ id, activities: this.activities(id) }));
  }

  /** Calls `listener` on every change until the returned function is called. */
  onChange(listener: (change: ConversationChange) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /**
   * Keeps a person's message in its conversation with the id Teams would give it, and returns it;
   * `newThread` starts a channel thread whose conversation id carries that id, as Teams does.
   */
  recordIncoming(conversationId: string, activity: Record<string, unknown>, options: { newThread?: boolean } = {}): StoredActivity {
    if (!options.newThread) {
      const stored = this.store(conversationId, activity);
      this.saveState();
      return structuredClone(stored);
    }
    const rootId = this.nextId();
    const threadId = `${conversationId};messageid=${rootId}`;
    const stored: StoredActivity = { ...activity, id: rootId, timestamp: new Date().toISOString(), conversation: { ...((activity.conversation as object | undefined) ?? {}), id: threadId } };
    this.conversation(threadId).activities.push(stored);
    this.changed({ kind: 'created', conversationId: threadId, activity: stored });
    this.saveState();
    return structuredClone(stored);
  }

  /** A group chat with these members exists (created once, kept across restarts). */
  ensureGroupChat(conversationId: string, memberIds: readonly string[]): void {
    if (this.conversations.get(conversationId)?.members) return;
    this.conversation(conversationId).members = memberIds.flatMap((id) => this.roster.filter((m) => m.aadObjectId === id));
    this.saveState();
  }

  /** Resolves once the conversation holds at least `count` activities; rejects after `timeoutMs`. */
  waitForActivities(conversationId: string, count: number, timeoutMs = 5000): Promise<StoredActivity[]> {
    if (this.activities(conversationId).length >= count) return Promise.resolve(this.activities(conversationId));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        conversationId,
        count,
        resolve: (activities) => {
          clearTimeout(timer);
          resolve(activities);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        const got = this.activities(conversationId).length;
        reject(new Error(`bot-connector: ${got}/${count} activities in "${conversationId}" after ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /**
   * From now on, posts to this conversation are refused as Teams refuses them: 403
   * BotNotInConversationRoster (the bot was removed from the team or chat) or 404
   * ConversationNotFound (it was deleted). `clearFaults()` lifts it.
   */
  refuseConversation(conversationId: string, status: 403 | 404 = 403, times?: number): void {
    const escaped = conversationId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    this.addFault({ method: 'POST', path: `^/v3/conversations/${escaped}/activities(/|$)`, kind: 'status', status, ...(times !== undefined ? { times } : {}) });
  }

  /** From now on, a 1:1 chat with the bot ("...@unq.gbl.spaces") is accepted only while `isOpen` says the app is installed for that person. */
  linkPersonalChats(isOpen: (chatId: string) => boolean): void {
    this.personalChatOpen = isOpen;
  }

  /** Injected faults answer with the Connector's own error bodies (what the bot's client parses). */
  protected override faultBody(status: number): unknown {
    if (status === 403) return errorBody('BotNotInConversationRoster', 'The bot is not part of the conversation roster.');
    if (status === 404) return errorBody('ConversationNotFound', 'Conversation not found.');
    if (status === 429) return errorBody('Throttled', 'Too many requests.');
    return super.faultBody(status);
  }

  /** Forget every conversation (members and teams stay seeded). */
  reset(): void {
    this.conversations.clear();
    this.saveState();
  }

  /** Keeps every conversation (activities as updated, members) in `file` across restarts; true when restored. */
  keepStateIn(file: string): boolean {
    return this.persistIn(
      new StateFile(file),
      () => ({ format: SAVED_FORMAT, lastId: this.lastId, conversations: [...this.conversations.values()] }),
      (raw) => {
        const saved = raw as { format: string; lastId: number; conversations: Conversation[] };
        if (saved.format !== SAVED_FORMAT) throw new Error(`Not a Bot Connector stand-in state file (${saved.format})`);
        this.lastId = saved.lastId;
        this.conversations.clear();
        for (const c of saved.conversations) this.conversations.set(c.id, c);
      },
    );
  }

  private guarded(handler: StandInHandler): StandInHandler {
    return (req) => {
      const header = req.headers.authorization;
      if (this.requireAuth && !this.requireAuth(header)) {
        return json(401, errorBody('Unauthorized', 'Authorization has been denied for this request.'));
      }
      return handler(req);
    };
  }

  private conversation(id: string): Conversation {
    let conversation = this.conversations.get(id);
    if (!conversation) {
      conversation = { id, activities: [] };
      this.conversations.set(id, conversation);
    }
    return conversation;
  }

  private nextId(): string {
    // Teams activity ids are numeric strings; keep them unique and increasing.
    this.lastId = Math.max(this.lastId + 1, Date.now() * 1000);
    return String(this.lastId);
  }

  private store(conversationId: string, activity: Record<string, unknown>, replyToId?: string): StoredActivity {
    const stored: StoredActivity = {
      ...activity,
      id: this.nextId(),
      timestamp: new Date().toISOString(),
      conversation: { ...((activity.conversation as object | undefined) ?? {}), id: conversationId },
      ...(replyToId ? { replyToId } : {}),
    };
    this.conversation(conversationId).activities.push(stored);
    this.notify(conversationId);
    this.changed({ kind: 'created', conversationId, activity: stored });
    return stored;
  }

  private changed(change: ConversationChange): void {
    for (const listener of this.listeners) listener(structuredClone(change));
  }

  private notify(conversationId: string): void {
    const length = this.conversations.get(conversationId)?.activities.length ?? 0;
    const ready = this.waiters.filter((w) => w.conversationId === conversationId && length >= w.count);
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve(this.activities(conversationId));
  }

  private post(req: StandInRequest, replyToId?: string): StandInResponse {
    if (!isObject(req.body)) return json(400, errorBody('BadArgument', 'The body must be an activity.'));
    if (this.isClosedPersonalChat(req.params.conversationId)) return json(403, errorBody('BotNotInConversationRoster', 'The bot is not part of the conversation roster.'));
    const stored = this.store(req.params.conversationId, req.body, replyToId);
    return json(200, { id: stored.id });
  }

  private isClosedPersonalChat(conversationId: string): boolean {
    return this.personalChatOpen !== undefined && isPersonalChatId(conversationId) && !this.personalChatOpen(conversationId);
  }

  private update(req: StandInRequest): StandInResponse {
    if (!isObject(req.body)) return json(400, errorBody('BadArgument', 'The body must be an activity.'));
    if (this.isClosedPersonalChat(req.params.conversationId)) return json(403, errorBody('BotNotInConversationRoster', 'The bot is not part of the conversation roster.'));
    const { conversationId, activityId } = req.params;
    const list = this.conversations.get(conversationId)?.activities ?? [];
    const index = list.findIndex((a) => a.id === activityId);
    if (index < 0) return json(404, errorBody('ActivityNotFound', `No activity ${activityId} in ${conversationId}.`));
    const previous = list[index];
    list[index] = {
      ...req.body,
      id: activityId,
      timestamp: previous.timestamp,
      lastModified: new Date().toISOString(),
      conversation: { ...((req.body.conversation as object | undefined) ?? {}), id: conversationId },
      ...(previous.replyToId ? { replyToId: previous.replyToId } : {}),
    };
    this.changed({ kind: 'updated', conversationId, activity: list[index] });
    return json(200, { id: activityId });
  }

  private remove(req: StandInRequest): StandInResponse {
    const { conversationId, activityId } = req.params;
    const conversation = this.conversations.get(conversationId);
    const before = conversation?.activities.length ?? 0;
    if (conversation) conversation.activities = conversation.activities.filter((a) => a.id !== activityId);
    if ((conversation?.activities.length ?? 0) === before) {
      return json(404, errorBody('ActivityNotFound', `No activity ${activityId} in ${conversationId}.`));
    }
    this.changed({ kind: 'deleted', conversationId, activityId });
    return json(200);
  }

  private sendHistory(req: StandInRequest): StandInResponse {
    const activities = isObject(req.body) && Array.isArray(req.body.activities) ? req.body.activities : undefined;
    if (!activities) return json(400, errorBody('BadArgument', 'The body must be a transcript { activities }.'));
    for (const a of activities) if (isObject(a)) this.store(req.params.conversationId, { ...a, isHistory: true });
    return json(200, { id: this.nextId() });
  }

  private createConversation(req: StandInRequest): StandInResponse {
    const body = isObject(req.body) ? req.body : undefined;
    if (!body || !isObject(body.bot)) return json(400, errorBody('BadArgument', 'ConversationParameters.bot is required.'));
    const requested = Array.isArray(body.members) ? body.members.filter(isObject) : [];
    const members: ConnectorMember[] = [];
    for (const m of requested) {
      const found = this.findMember(this.roster, String(m.id ?? m.aadObjectId ?? ''));
      if (!found) return json(404, errorBody('MemberNotFound', `No member ${String(m.id)} in tenant ${this.tenantId}.`));
      members.push(found);
    }
    const channelId = isObject(body.channelData) && isObject(body.channelData.channel) ? body.channelData.channel.id : undefined;

    let id: string;
    if (typeof channelId === 'string') {
      // Posting into a channel starts a new thread: its id carries the root message id.
      const rootId = this.nextId();
      id = `${channelId};messageid=${rootId}`;
      const conversation = this.conversation(id);
      if (isObject(body.activity)) {
        const root: StoredActivity = { ...body.activity, id: rootId, timestamp: new Date().toISOString(), conversation: { id } };
        conversation.activities.push(root);
        this.notify(id);
        this.changed({ kind: 'created', conversationId: id, activity: root });
      }
      return json(201, { id, serviceUrl: this.baseUrl, activityId: isObject(body.activity) ? rootId : undefined });
    }
    if (!body.isGroup && members.length === 1) {
      // Teams returns the same 1:1 chat every time for the same user and bot.
      id = `a:1on1-${members[0].aadObjectId}`;
    } else {
      id = `19:${this.nextId()}@thread.v2`;
    }
    const conversation = this.conversation(id);
    conversation.members = members;
    const first = isObject(body.activity) ? this.store(id, body.activity) : undefined;
    return json(201, { id, serviceUrl: this.baseUrl, activityId: first?.id });
  }

  private membersOf(conversationId: string): ConnectorMember[] {
    const explicit = this.conversations.get(conversationId)?.members;
    if (explicit) return explicit;
    const team = this.teamOf(conversationId.split(';')[0]);
    if (team) return this.roster.filter((m) => team.memberIds.includes(m.aadObjectId));
    return this.roster;
  }

  private findMember(members: ConnectorMember[], idOrAad: string): ConnectorMember | undefined {
    const key = idOrAad.toLowerCase();
    return members.find((m) => m.id.toLowerCase() === key || m.aadObjectId.toLowerCase() === key || m.userPrincipalName.toLowerCase() === key);
  }

  private member(req: StandInRequest): StandInResponse {
    const found = this.findMember(this.membersOf(req.params.conversationId), req.params.memberId);
    if (!found) return json(404, errorBody('MemberNotFound', 'The specified user was not found in the conversation.'));
    return json(200, found);
  }

  private pagedMembers(req: StandInRequest): StandInResponse {
    const all = this.membersOf(req.params.conversationId);
    const pageSize = Math.max(1, Number(req.query.get('pageSize')) || DEFAULT_PAGE_SIZE);
    const start = Number(req.query.get('continuationToken') ?? 0) || 0;
    const members = all.slice(start, start + pageSize);
    const next = start + pageSize;
    return json(200, { members, ...(next < all.length ? { continuationToken: String(next) } : {}) });
  }

  /** A team is addressed by its General channel id (what activities carry) or its group id. */
  private teamOf(teamId: string): DemoTeam | undefined {
    return this.teams.find((t) => t.channelId === teamId || t.id === teamId);
  }

  private teamDetails(req: StandInRequest): StandInResponse {
    const team = this.teamOf(req.params.teamId);
    if (!team) return json(404, errorBody('NotFound', `No team ${req.params.teamId}.`));
    return json(200, {
      id: team.channelId,
      name: team.displayName,
      aadGroupId: team.id,
      channelCount: 1,
      memberCount: team.memberIds.length,
      type: 'standard',
    });
  }

  private teamChannels(req: StandInRequest): StandInResponse {
    const team = this.teamOf(req.params.teamId);
    if (!team) return json(404, errorBody('NotFound', `No team ${req.params.teamId}.`));
    // Teams leaves the General channel's name out.
    return json(200, { conversations: [{ id: team.channelId }] });
  }

  private summary(): { conversations: { id: string; activityCount: number; members?: number }[] } {
    return {
      conversations: [...this.conversations.values()].map((c) => ({ id: c.id, activityCount: c.activities.length, members: c.members?.length })),
    };
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
