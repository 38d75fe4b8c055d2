/** Activities from a demo user and their POST to the running bot, for the flow benchmarks. */
import { randomUUID } from 'node:crypto';
import type { Activity } from 'botbuilder';
import type { RunningBot } from '../../src/main';
import { DEMO_TENANT_ID, type DemoUser } from '../../src/sandbox/seed/demo-org';

/** A Teams activity from `user` in their 1:1 chat `conversationId`, as the Bot Connector stand-in would relay it. */
export function activityFrom(bot: RunningBot, user: DemoUser, conversationId: string, type: string, fields: Partial<Activity>): Partial<Activity> {
  return {
    type,
    id: randomUUID(),
    timestamp: new Date(),
    channelId: 'msteams',
    serviceUrl: bot.sandbox!.connector.baseUrl,
    from: { id: user.teamsId, aadObjectId: user.id, name: user.displayName },
    recipient: { id: '28:idp-bot', name: 'IDP Bot' },
    conversation: { id: conversationId, conversationType: 'personal', tenantId: DEMO_TENANT_ID, isGroup: false } as Activity['conversation'],
    channelData: { tenant: { id: DEMO_TENANT_ID } },
    locale: 'en-US',
    ...fields,
  };
}

/** POST /api/messages; the parsed answer (invoke responses, expectReplies), or an error for anything but 200. */
export async function postActivity(bot: RunningBot, body: unknown): Promise<unknown> {
  const res = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`POST /api/messages answered ${res.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}
