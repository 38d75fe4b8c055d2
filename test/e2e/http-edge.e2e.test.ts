import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { TestBot } from '../helpers/bot-harness';
import { rawRequest } from '../helpers/raw-http';

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

  const valid = { type: 'message', text: 'hi', serviceUrl: 'http://x', conversation: { id: 'c' }, from: { id: 'u' }, recipient: { id: 'b' } };
  test.each<[string, unknown, RegExp]>([
    ['serviceUrl not a URL', { ...valid, serviceUrl: 'not a url' }, /"serviceUrl" is not an http\(s\) URL/],
    ['serviceUrl not http(s)', { ...valid, serviceUrl: 'file:///etc/passwd' }, /"serviceUrl" is not an http\(s\) URL/],
    ['no recipient', { ...valid, recipient: undefined }, /no "recipient.id"/],
    ['recipient.id not a string', { ...valid, recipient: { id: 7 } }, /no "recipient.id"/],
    ['from.aadObjectId not a string', { ...valid, from: { id: 'u', aadObjectId: { x: 1 } } }, /"from.aadObjectId" is not a string/],
    ['membersAdded not an array', { ...valid, type: 'conversationUpdate', membersAdded: { id: 'u' } }, /"membersAdded" is not a list/],
    ['membersAdded entry without string id', { ...valid, type: 'conversationUpdate', membersAdded: [{ id: 'u' }, { name: 'x' }] }, /"membersAdded" is not a list/],
    ['membersRemoved not an array', { ...valid, type: 'conversationUpdate', membersRemoved: 'u' }, /"membersRemoved" is not a list/],
    ['entities not an array', { ...valid, entities: { type: 'mention' } }, /"entities" is not an array/],
    ['an entity that is not an object', { ...valid, entities: ['mention'] }, /"entities" holds something that is not an object/],
    ['a mention without mentioned', { ...valid, entities: [{ type: 'mention', text: '<at>x</at>' }] }, /mention entity has no "mentioned"/],
    ['a mention whose mentioned.id is not a string', { ...valid, entities: [{ type: 'mention', mentioned: { id: 1 } }] }, /mention entity has no "mentioned"/],
    ['channelData not an object', { ...valid, channelData: 'tenant' }, /"channelData" is not an object/],
    ['channelData an array', { ...valid, channelData: [] }, /"channelData" is not an object/],
    ['adaptiveCard/action value not an object', { ...valid, type: 'invoke', name: 'adaptiveCard/action', value: 'approve' }, /"value" of an adaptiveCard\/action invoke is not an object/],
  ])('a malformed activity (%s): 400 with the reason, no turn error', async (_name, body, reason) => {
    const res = await bot.post(body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'BadRequest', message: expect.stringMatching(reason) });
    expect(bot.logs.find((l) => l.msg === 'turn failed')).toBeUndefined();
  });

  test('the same activity well formed is served', async () => {
    expect((await bot.post(bot.activity('message', {}, { text: 'help', entities: [{ type: 'mention', mentioned: { id: 'b' } }] }))).status).toBe(200);
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

  const errorLines = () => bot.logs.lines.filter((l) => Number(l.level) >= 50);

  test('HEAD /api/messages (a client probe): 200, no error logged', async () => {
    const before = bot.logs.lines.length;
    const res = await fetch(`${bot.url}/api/messages`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(bot.logs.lines.slice(before).filter((l) => Number(l.level) >= 40)).toEqual([]);
  });

  test('GET /api/messages: 405 with Allow, no error logged', async () => {
    const before = bot.logs.lines.length;
    const res = await fetch(`${bot.url}/api/messages`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST, HEAD');
    expect(((await res.json()) as { error: string }).error).toBe('MethodNotAllowed');
    expect(bot.logs.lines.slice(before).filter((l) => Number(l.level) >= 50)).toEqual([]);
  });

  describe('only plain JSON bodies', () => {
    const activityJson = () => JSON.stringify(bot.activity('message', {}, { text: 'help' }));

    test.each([
      ['a form post with nested keys (no CORS preflight)', 'application/x-www-form-urlencoded', 'type=message&text=help&serviceUrl=http%3A%2F%2Fx&from[id]=u&conversation[id]=c&recipient[id]=b'],
      ['multipart', 'multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="type"\r\n\r\nmessage\r\n--x--'],
      ['text/plain', 'text/plain', '{"type":"message"}'],
      ['JSON in another charset', 'application/json; charset=iso-8859-1', '{"type":"message"}'],
      ['a JSON look-alike', 'application/jsonp', '{"type":"message"}'],
    ])('%s: 415 with the reason', async (_name, type, body) => {
      const res = await rawRequest(bot.url, '/api/messages', { headers: { 'content-type': type }, body });
      expect(res.status).toBe(415);
      expect(res.json).toEqual({ error: 'UnsupportedMediaType', message: expect.stringContaining('application/json') });
    });

    test('no content-type at all: 415', async () => {
      const res = await rawRequest(bot.url, '/api/messages', { headers: {}, body: activityJson() });
      expect(res.status).toBe(415);
    });

    test('application/json with charset utf-8 (as Teams sends it) is served', async () => {
      const res = await rawRequest(bot.url, '/api/messages', { headers: { 'content-type': 'application/json; charset=UTF-8' }, body: activityJson() });
      expect(res.status).toBe(200);
      expect(res.json.activities).toHaveLength(1);
    });

    test.each(['gzip', 'deflate', 'br', 'gzip, identity'])('content-encoding %s: 415, even when small', async (encoding) => {
      const res = await rawRequest(bot.url, '/api/messages', { headers: { 'content-type': 'application/json', 'content-encoding': encoding }, body: gzipSync(activityJson()) });
      expect(res.status).toBe(415);
      expect(res.json.message).toMatch(/content-encoding/);
    });

    test('a gzip bomb (250 KB that inflates to 245 MB) is refused unread', async () => {
      // 245 gzip members of 1 MB of spaces each: one valid gzip stream, ~250 KB on the wire.
      const member = gzipSync(Buffer.alloc(1024 * 1024, 0x20), { level: 9 });
      const bomb = Buffer.concat(Array.from({ length: 245 }, () => member));
      expect(bomb.length).toBeLessThan(256 * 1024);
      const res = await rawRequest(bot.url, '/api/messages', { headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: bomb });
      expect(res.status).toBe(415);
    });

    test('a chunked body without content-length is cut at MAX_BODY_BYTES: 413, reading stops, the server keeps serving', async () => {
      const res = await rawRequest(bot.url, '/api/messages', { headers: { 'content-type': 'application/json' }, chunks: { size: 64 * 1024, max: 64 } });
      expect(res.status).toBe(413);
      expect(res.json.error).toBe('PayloadTooLarge');
      expect(res.headers.connection).toBe('close');
      // The client was still sending: the server stopped reading long before 4 MB.
      expect(res.bytesSent).toBeLessThan(4 * 1024 * 1024);
      expect(await bot.say('help')).toHaveLength(1);
    });

    test('JSON nested deeper than 64 levels: 400 before it is parsed; 60 levels is fine', async () => {
      const nest = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
      const deep = await bot.post(undefined, {}, activityJson().replace(/}$/, `,"value":${nest(64)}}`));
      expect(deep.status).toBe(400);
      expect(deep.body.message).toMatch(/nested deeper than 64/);
      const fine = await bot.post(undefined, {}, activityJson().replace(/}$/, `,"value":${nest(60)}}`));
      expect(fine.status).toBe(200);
    });

    test('brackets inside strings do not count as nesting', async () => {
      const res = await bot.post(bot.activity('message', {}, { text: `help ${'['.repeat(200)}` }));
      expect(res.status).toBe(200);
    });

    test('bytes that are not UTF-8: 400', async () => {
      const res = await rawRequest(bot.url, '/api/messages', { headers: { 'content-type': 'application/json' }, body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) });
      expect(res.status).toBe(400);
      expect(res.json.message).toMatch(/UTF-8/);
    });

    test('none of these refusals logged an error', () => {
      expect(errorLines()).toEqual([]);
    });
  });

  describe('catalog webhooks take the same bodies only', () => {
    const token = 'Bearer sandbox-webhook-token';
    const fact = JSON.stringify({ service: 'payments-api', environment: 'prod', version: '1.0.0', status: 'succeeded' });

    test('form post: 415; gzip: 415; chunked past the limit: 413', async () => {
      const form = await rawRequest(bot.url, '/api/catalog/deployments', { headers: { authorization: token, 'content-type': 'application/x-www-form-urlencoded' }, body: 'service=payments-api' });
      expect(form.status).toBe(415);
      const gzip = await rawRequest(bot.url, '/api/catalog/deployments', { headers: { authorization: token, 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync(fact) });
      expect(gzip.status).toBe(415);
      const big = await rawRequest(bot.url, '/api/catalog/deployments', { headers: { authorization: token, 'content-type': 'application/json' }, chunks: { size: 64 * 1024, max: 64 } });
      expect(big.status).toBe(413);
    });

    test('without the token: 401 whatever the body', async () => {
      const form = await rawRequest(bot.url, '/api/catalog/deployments', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'service=payments-api' });
      expect(form.status).toBe(401);
      const big = await rawRequest(bot.url, '/api/catalog/oncall', { headers: { authorization: 'Bearer wrong', 'content-type': 'application/json' }, chunks: { size: 64 * 1024, max: 64 } });
      expect(big.status).toBe(401);
    });

    test('facts only for kinds that deploy: a System is 400 with the reason, a Component or Resource is recorded', async () => {
      const post = (service: string) => rawRequest(bot.url, '/api/catalog/deployments', { headers: { authorization: token, 'content-type': 'application/json' }, body: fact.replace('payments-api', service) });
      const system = await post('payments');
      expect(system.status).toBe(400);
      expect(system.json.message).toBe('service: payments (System) is not a kind that deploys; facts are accepted for Component, Resource');
      const onCall = await rawRequest(bot.url, '/api/catalog/oncall', { headers: { authorization: token, 'content-type': 'application/json' }, body: JSON.stringify({ service: 'system:payments', current: { name: 'Alice Developer' } }) });
      expect(onCall.status).toBe(400);
      expect(onCall.json.message).toMatch(/not a kind that deploys/);
      expect((await post('payments-api')).status).toBe(201);
      expect((await post('payments-db')).status).toBe(201);
    });
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
