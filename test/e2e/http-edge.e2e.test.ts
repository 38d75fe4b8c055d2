import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TestBot } from '../helpers/bot-harness';

describe('HTTP edge: probes, sandbox description, bad requests', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await TestBot.start();
  });
  afterAll(() => bot.stop());

  test('GET /healthz and /readyz', async () => {
    expect((await bot.get('/healthz')).status).toBe(200);
    const ready = await bot.get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', checks: { store: true, adapters: true } });
  });

  test('GET /sandbox lists stand-ins and seeded identities', async () => {
    const res = await bot.get('/sandbox');
    expect(res.status).toBe(200);
    expect(res.body.mode).toBe('sandbox');
    expect(res.body.users.map((u: { userPrincipalName: string }) => u.userPrincipalName)).toContain('alice@contoso.example');
    expect(res.body.teams.find((t: { name: string }) => t.name === 'team-payments').manager).toBe('bob@contoso.example');
    expect(res.body.projects.map((p: { name: string }) => p.name)).toEqual(['Payments', 'Search', 'Platform']);
    expect(res.body.tryIt.curl).toContain('/api/messages');
  });

  test('malformed JSON: 400 and a log line; the server keeps serving', async () => {
    const res = await bot.post(undefined, {}, '{"type": "message", ');
    expect(res.status).toBe(400);
    expect(bot.logs.find((l) => l.msg === 'request rejected' && l.status === 400)).toBeTruthy();
    expect(await bot.say('help')).toHaveLength(1);
  });

  test.each([
    ['an array', [1, 2]],
    ['no type', { text: 'hi', serviceUrl: 'http://x', conversation: { id: 'c' }, from: { id: 'u' } }],
    ['no conversation', { type: 'message', text: 'hi', serviceUrl: 'http://x', from: { id: 'u' } }],
    ['text not a string', { type: 'message', text: { a: 1 }, serviceUrl: 'http://x', conversation: { id: 'c' }, from: { id: 'u' } }],
  ])('a body that is not an activity (%s): 400 with the reason', async (_name, body) => {
    const res = await bot.post(body);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^Not a Bot Framework activity: /);
  });

  test('an oversized body (> 256 KB): 413; the server keeps serving', async () => {
    const body = bot.activity('message', {}, { text: 'x'.repeat(300 * 1024) });
    const res = await bot.post(body);
    expect(res.status).toBe(413);
    expect(bot.logs.find((l) => l.msg === 'request rejected' && l.status === 413)).toBeTruthy();
    expect(await bot.say('help')).toHaveLength(1);
  });

  test('GET /api/messages is not allowed', async () => {
    const res = await fetch(`${bot.url}/api/messages`);
    expect(res.status).toBe(405);
  });
});

describe('graceful shutdown', () => {
  test('stop() stops accepting, finishes the turn in flight, then closes', async () => {
    // A connector that takes 600 ms to accept the reply keeps the turn in flight.
    const received: string[] = [];
    const slowConnector = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () =>
        setTimeout(() => {
          received.push(body);
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{"id":"1"}');
        }, 600),
      );
    });
    await new Promise<void>((r) => slowConnector.listen(0, '127.0.0.1', () => r()));
    const serviceUrl = `http://127.0.0.1:${(slowConnector.address() as AddressInfo).port}`;

    const bot = await TestBot.start();
    const inFlight = bot.post(bot.activity('message', { deliveryMode: 'normal' }, { text: 'help', serviceUrl }));
    await new Promise((r) => setTimeout(r, 150));
    expect(bot.running.server.inFlight()).toBe(1);
    const stopped = bot.stop();
    await new Promise((r) => setTimeout(r, 50));
    const ready = await fetch(`${bot.url}/readyz`).then((r) => r.status).catch(() => 'refused');
    expect([503, 'refused']).toContain(ready);

    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(received).toHaveLength(1);
    await stopped;
    await expect(fetch(`${bot.url}/healthz`)).rejects.toThrow();
    expect(bot.running.connection.readyState).toBe(0);
    slowConnector.close();
  });
});
