/**
 * The playground's server side in sandbox mode: the page and its assets come from this origin
 * only (CSP), the people and conversations come from the demo organisation, what a person writes
 * is kept in the Bot Connector stand-in only where they belong, every change reaches the page as a
 * server-sent event, and the sandbox writes the Agents Playground's config with the demo people.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { DEMO_TEAMS, userBySlug } from '../../src/sandbox/seed/demo-org';
import { INCIDENT_GROUP_CHAT, personalConversationId } from '../../src/sandbox/playground/playground-people';
import { TestBot } from '../helpers/bot-harness';

/* eslint-disable @typescript-eslint/no-explicit-any */
describe('the playground routes', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await TestBot.start();
  }, 60_000);
  afterAll(() => bot.stop());

  const post = (body: unknown) => fetch(`${bot.url}/playground/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('serves the page with a policy that lets nothing load from elsewhere, and the renderer from node_modules', async () => {
    const page = await fetch(`${bot.url}/playground`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'self'");
    const html = await page.text();
    expect(html).not.toMatch(/https?:\/\//);
    for (const asset of ['playground.js', 'playground.css', 'teams-host-config.json', 'adaptivecards.min.js', 'markdown-it.min.js']) {
      const res = await fetch(`${bot.url}/playground/assets/${asset}`);
      expect([asset, res.status]).toEqual([asset, 200]);
    }
    expect((await fetch(`${bot.url}/playground/assets/..%2Fplayground.ts`)).status).toBe(404);
    const config: any = await (await fetch(`${bot.url}/playground/assets/teams-host-config.json`)).json();
    expect(config.actions.maxActions).toBe(5);
  });

  it('lists every demo person with a role, and each one sees only their conversations', async () => {
    const state: any = await (await fetch(`${bot.url}/playground/api/state`)).json();
    expect(state.serviceUrl).toBe(bot.running.sandbox!.urls.botConnector);
    const roles = Object.fromEntries(state.people.map((p: any) => [p.userPrincipalName.split('@')[0], p.role]));
    expect(roles).toMatchObject({ alice: 'developer', bob: 'manager', carol: 'platform', grace: 'on-call', henry: 'joiner', ivan: 'left' });
    const alice = userBySlug('alice');
    const visible = state.conversations.filter((c: any) => c.memberIds.includes(alice.id)).map((c: any) => c.id);
    expect(visible).toEqual(expect.arrayContaining([personalConversationId(alice.id), DEMO_TEAMS[0]!.channelId, INCIDENT_GROUP_CHAT.id]));
    expect(visible).not.toContain(DEMO_TEAMS[1]!.channelId);
  });

  it('refuses a post from someone outside the conversation, an unknown person or conversation, and non-JSON', async () => {
    const dave = userBySlug('dave');
    expect((await post({ conversationId: DEMO_TEAMS[0]!.channelId, fromId: dave.id, text: 'hi', newThread: true })).status).toBe(403);
    expect((await post({ conversationId: DEMO_TEAMS[0]!.channelId, fromId: 'nobody', text: 'hi' })).status).toBe(404);
    expect((await post({ conversationId: '19:elsewhere@thread.v2', fromId: dave.id, text: 'hi' })).status).toBe(404);
    const form = await fetch(`${bot.url}/playground/api/messages`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'conversationId=x' });
    expect(form.status).toBe(415);
    expect(JSON.stringify(bot.running.sandbox!.connector.allConversations())).not.toContain(dave.teamsId);
  });

  it('a new channel post starts a thread; opening a 1:1 chat installs the app; every change is an event', async () => {
    const events = await fetch(`${bot.url}/playground/api/events`);
    expect(events.headers.get('content-type')).toContain('text/event-stream');
    const reader = events.body!.getReader();
    const received: any[] = [];
    const next = async (): Promise<any> => {
      let buffer = '';
      for (;;) {
        const { value } = await reader.read();
        buffer += new TextDecoder().decode(value);
        const data = buffer.split('\n').find((l) => l.startsWith('data: '));
        if (data) return JSON.parse(data.slice(6));
      }
    };
    const alice = userBySlug('alice');
    const channel = DEMO_TEAMS[0]!.channelId;
    const res = await post({ conversationId: channel, fromId: alice.id, text: '<at>IDP bot</at> hello', newThread: true });
    const { activity } = (await res.json()) as any;
    expect(activity.conversation.id).toBe(`${channel};messageid=${activity.id}`);
    received.push(await next());
    expect(received[0]).toMatchObject({ kind: 'created', conversationId: activity.conversation.id, activity: { id: activity.id, from: { aadObjectId: alice.id } } });

    const henry = userBySlug('henry'); // the joiner who never opened Teams: no app, no chat yet
    const chat = personalConversationId(henry.id);
    const first: any = await (await post({ conversationId: chat, fromId: henry.id, text: 'help' })).json();
    expect(first.installedNow).toBe(true);
    expect(bot.running.sandbox!.graph.teamwork.isChatOpen(chat)).toBe(true);
    const again: any = await (await post({ conversationId: chat, fromId: henry.id, text: 'help' })).json();
    expect(again.installedNow).toBe(false);
    await reader.cancel();
  });

  it('writes the Agents Playground config with five demo people', () => {
    const file = path.join(bot.running.config.dataDir, '.m365agentsplayground.yml');
    const config = parse(readFileSync(file, 'utf8'));
    expect(config.version).toBe('0.1.1');
    expect(config.users).toHaveLength(5);
    expect(config.users[0]).toMatchObject({ userPrincipleName: 'alice@contoso.example', aadObjectId: userBySlug('alice').id });
  });
});
