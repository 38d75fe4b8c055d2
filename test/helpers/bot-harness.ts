/**
 * Starts the whole bot (sandbox mode: every stand-in, the shared test store) on a free port and
 * talks to it over HTTP as a chosen demo user, exactly as Teams would: message activities with
 * `deliveryMode: expectReplies`, card invokes, conversation updates.
 * When a bot stops, every line it logged is searched for its credentials and for anything that
 * looks like a bearer token or JWT: stop() fails if one is found (see credentialLeaks).
 */
import { randomUUID } from 'node:crypto';
import type { Activity } from 'botbuilder';
import { loadConfig } from '../../src/config';
import { startBot, type RunningBot } from '../../src/main';
import { DEMO_TENANT_ID, userBySlug, type DemoUser } from '../../src/sandbox/seed/demo-org';
import { credentialLeaks, secretsOf } from './credential-scan';
import { LogCapture } from './log-capture';
import { testEnv } from './test-env';

export const BOT_ID = '28:idp-bot';

export interface ConversationSpec {
  id: string;
  conversationType: 'personal' | 'groupChat' | 'channel';
  teamId?: string;
}

export const personalChat = (user: DemoUser): ConversationSpec => ({ id: `a:personal-${user.teamsId}`, conversationType: 'personal' });
export const channelChat = (channelId = '19:payments-general@thread.tacv2'): ConversationSpec => ({
  id: `${channelId};messageid=${Date.now()}`,
  conversationType: 'channel',
  teamId: channelId,
});

export interface SendOptions {
  as?: string | DemoUser;
  conversation?: ConversationSpec;
  headers?: Record<string, string>;
  /** Default expectReplies; 'normal' sends replies to the connector stand-in. */
  deliveryMode?: 'expectReplies' | 'normal';
  extra?: Partial<Activity>;
}

export interface HttpResult {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
}

export class TestBot {
  constructor(
    readonly running: RunningBot,
    readonly logs: LogCapture,
  ) {}

  get url(): string {
    return this.running.url;
  }

  static async start(env: Record<string, string | undefined> = {}): Promise<TestBot> {
    const logs = new LogCapture();
    const running = await startBot(loadConfig(testEnv(env)), { logDestination: logs });
    const bot = new TestBot(running, logs);
    await bot.waitUntilReady();
    return bot;
  }

  /** As a load balancer would: no traffic before /readyz says 200 (store, adapters, catalog index). */
  async waitUntilReady(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await fetch(`${this.url}/readyz`).catch(() => undefined);
      if (res?.status === 200) return;
      if (Date.now() > deadline) throw new Error(`bot not ready after ${timeoutMs} ms: ${await res?.text()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Stops the bot, then fails if any of its log lines holds a credential. */
  async stop(): Promise<void> {
    await this.running.stop();
    const leaks = this.credentialLeaks();
    if (leaks.length) throw new Error(`credentials in the logs of this bot:\n  ${leaks.join('\n  ')}`);
  }

  /** Which log lines hold which credential (by name, never the value). */
  credentialLeaks(): string[] {
    return credentialLeaks(this.logs.raw, secretsOf(this.running));
  }

  activity(type: string, options: SendOptions = {}, fields: Partial<Activity> = {}): Partial<Activity> {
    const user = typeof options.as === 'string' ? userBySlug(options.as) : (options.as ?? userBySlug('alice'));
    const conversation = options.conversation ?? personalChat(user);
    const serviceUrl = this.running.sandbox?.urls.botConnector ?? 'http://127.0.0.1:9';
    return {
      type,
      id: randomUUID(),
      timestamp: new Date(),
      channelId: 'msteams',
      serviceUrl,
      from: { id: user.teamsId, aadObjectId: user.id, name: user.displayName },
      recipient: { id: BOT_ID, name: 'IDP Bot' },
      conversation: { id: conversation.id, conversationType: conversation.conversationType, tenantId: DEMO_TENANT_ID, isGroup: conversation.conversationType !== 'personal' } as Activity['conversation'],
      channelData: { tenant: { id: DEMO_TENANT_ID }, ...(conversation.teamId ? { team: { id: conversation.teamId }, channel: { id: conversation.teamId } } : {}) },
      locale: 'en-US',
      ...(options.deliveryMode === 'normal' ? {} : { deliveryMode: 'expectReplies' }),
      ...fields,
      ...options.extra,
    };
  }

  async post(body: unknown, headers: Record<string, string> = {}, rawBody?: string): Promise<HttpResult> {
    const res = await fetch(`${this.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: rawBody ?? JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed, text };
  }

  /** Sends a message and returns the bot's replies (expectReplies). */
  async say(text: string, options: SendOptions = {}): Promise<Partial<Activity>[]> {
    const mention = options.conversation && options.conversation.conversationType !== 'personal';
    const body = this.activity('message', options, {
      text: mention ? `<at>IDP Bot</at> ${text}` : text,
      ...(mention
        ? { entities: [{ type: 'mention', mentioned: { id: BOT_ID, name: 'IDP Bot' }, text: '<at>IDP Bot</at>' }] }
        : {}),
    });
    const res = await this.post(body, options.headers);
    if (res.status !== 200) throw new Error(`POST /api/messages answered ${res.status}: ${res.text}`);
    return (res.body?.activities ?? []) as Partial<Activity>[];
  }

  /** An Action.Execute click (adaptiveCard/action invoke); returns the invoke response body. */
  async execute(verb: string, data: Record<string, unknown> = {}, options: SendOptions = {}): Promise<HttpResult> {
    const body = this.activity('invoke', { ...options, deliveryMode: 'normal' }, {
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
    });
    return this.post(body, options.headers);
  }

  async conversationUpdate(membersAdded: { id: string; name: string }[], options: SendOptions = {}): Promise<Partial<Activity>[]> {
    const res = await this.post(this.activity('conversationUpdate', options, { membersAdded }), options.headers);
    if (res.status !== 200) throw new Error(`conversationUpdate answered ${res.status}: ${res.text}`);
    return (res.body?.activities ?? []) as Partial<Activity>[];
  }

  async get(path: string): Promise<HttpResult> {
    const res = await fetch(`${this.url}${path}`);
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, text };
  }
}

/** Text of a reply, or the Adaptive Card inside it. */
export const replyText = (a: Partial<Activity>): string => a.text ?? '';
export const replyCard = (a: Partial<Activity>): any => a.attachments?.[0]?.content; // eslint-disable-line @typescript-eslint/no-explicit-any
export const cardText = (card: unknown): string => JSON.stringify(card);
