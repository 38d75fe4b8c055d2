/**
 * `platform metrics` through /api/messages on the sandbox, over a seeded month (the bot's own
 * store, the sandbox's Azure DevOps stand-in): a platform engineer gets the card with its chart,
 * anyone else a refusal; and the same figures as JSON at GET /api/platform/metrics, with and
 * without the bearer token. A server without PLATFORM_METRICS_TOKEN has no such route (404).
 */
import restify from 'restify';
import type { AddressInfo } from 'node:net';
import { registerPlatformMetricsRoute } from '../../src/http/platform-metrics.routes';
import { createLogger } from '../../src/logger';
import { TestBot, replyText } from '../helpers/bot-harness';
import { adoHistory } from '../helpers/ado-activity-world';
import { HOUR, seedPlatformHistory } from '../helpers/platform-history-seed';

const TOKEN = 'platform-metrics-e2e-token';

describe('platform metrics e2e', () => {
  let bot: TestBot;

  beforeAll(async () => {
    bot = await TestBot.start({ PLATFORM_METRICS_TOKEN: TOKEN });
    await bot.waitUntilReady();
    // Hour 0 one hour before the 28-day period starts: every seeded request keeps its week.
    await seedPlatformHistory(bot.running.connection, adoHistory(bot.running.sandbox!.azureDevOps), 'Payments', new Date(Date.now() - 28 * 24 * HOUR - HOUR));
  }, 60_000);
  afterAll(() => bot?.stop());

  const card = (replies: { attachments?: { content?: unknown }[] }[]) => JSON.stringify(replies[0]?.attachments?.[0]?.content ?? null);

  it('a platform engineer gets the card: lead times, time to first commit, the chart', async () => {
    const replies = await bot.say('platform metrics', { as: 'carol' });
    const json = card(replies);
    expect(json).toContain('Platform metrics');
    expect(json).toContain('median 1.8 h, p90 3 h (n = 4)'); // create repo: [1, 1.5, 2, 3] h
    expect(json).toContain('median 15 h, p90 24 h (n = 2)'); // time to first commit, read from the stand-in
    expect(json).toContain('median 7.5 h, p90 10 h (n = 2)'); // onboarding
    expect(json).toMatch(/data:image\/png;base64,[A-Za-z0-9+/=]{100,}/);
  });

  it('anyone else is refused in words, with no card', async () => {
    const replies = await bot.say('platform metrics last 90 days', { as: 'alice' });
    expect(replies.some((r) => r.attachments?.length)).toBe(false);
    expect(replies.map(replyText).join('\n')).toContain('platform team only');
  });

  it('GET /api/platform/metrics: 401 without the token, the same figures with it, 400 for a bad period', async () => {
    const url = `${bot.url}/api/platform/metrics?days=28`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const res = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { period: { days: number }; flows: { flow: string; leadTime: unknown; failures: unknown }[]; firstCommit: unknown };
    expect(body.period.days).toBe(28);
    expect(body.flows.find((f) => f.flow === 'create-repo')).toEqual(expect.objectContaining({ leadTime: { count: 4, medianMs: 1.75 * HOUR, p90Ms: 3 * HOUR }, failures: { count: 1, of: 5, rate: 0.2 } }));
    expect(body.firstCommit).toEqual({ measured: true, leadTime: { count: 2, medianMs: 15 * HOUR, p90Ms: 24 * HOUR }, waiting: 1, unreadable: 1 });
    expect((await fetch(`${bot.url}/api/platform/metrics?days=0`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(400);
    expect((await fetch(`${bot.url}/api/platform/metrics?days=abc`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(400);
    expect(bot.logs.text()).not.toContain(TOKEN);
  });

  it('without PLATFORM_METRICS_TOKEN the route does not exist (404)', async () => {
    const server = restify.createServer();
    let computed = 0;
    registerPlatformMetricsRoute(server, { metrics: { compute: async () => (computed++, ({}) as never) }, logger: createLogger('silent') });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      expect((await fetch(`http://127.0.0.1:${port}/api/platform/metrics`, { headers: { authorization: 'Bearer anything' } })).status).toBe(404);
      expect(computed).toBe(0);
    } finally {
      server.close();
    }
  });
});
