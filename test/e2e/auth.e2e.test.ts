import { gzipSync } from 'node:zlib';
import { BotFrameworkAuthStandIn } from '../../src/sandbox/standins/bot-auth.standin';
import { TestBot, replyCard } from '../helpers/bot-harness';
import { rawRequest, type RawRequest } from '../helpers/raw-http';
import type { ChannelTokenClaims } from '../../src/sandbox/standins/bot-auth.standin';

const APP_ID = '6f1c2d3e-0000-4000-8000-00000000b07';

/** With an app id, every request must carry a valid Bot Framework channel token (JWT). */
describe('inbound authentication', () => {
  const issuer = new BotFrameworkAuthStandIn();
  let bot: TestBot;

  beforeAll(async () => {
    await issuer.start();
    bot = await TestBot.start({
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 'not-used-with-expect-replies',
      BOT_OPENID_METADATA_URL: issuer.openIdMetadataUrl,
      BOT_TOKEN_ISSUER: issuer.issuer,
    });
  });
  afterAll(async () => {
    await bot.stop();
    await issuer.close();
  });

  const send = (claims: Partial<ChannelTokenClaims> | null) => {
    const body = bot.activity('message', {}, { text: 'help' });
    const headers: Record<string, string> = claims === null ? {} : { authorization: issuer.signChannelToken({ appId: APP_ID, serviceUrl: body.serviceUrl!, ...claims }) };
    return bot.post(body, headers);
  };

  test('a valid channel token is accepted', async () => {
    const res = await send({});
    expect(res.status).toBe(200);
    expect(replyCard(res.body.activities[0]).type).toBe('AdaptiveCard');
  });

  test.each<[string, Partial<ChannelTokenClaims> | null]>([
    ['missing', null],
    ['expired', { expiresInSeconds: -3600 }],
    ['wrong audience', { audience: 'some-other-bot' }],
    ['wrong issuer', { issuer: 'https://sts.example/evil' }],
    ['unknown key', { signWithUnknownKey: true }],
    ['bad signature', { tamper: true }],
    ['service url not the one in the activity', { serviceUrl: 'https://evil.example/' }],
  ])('a %s token is answered 401 and nothing runs', async (_name, claims) => {
    const res = await send(claims);
    expect(res.status).toBe(401);
    expect(res.text).not.toMatch(/at .*\.js:\d+/); // no stack trace
    expect(bot.logs.find((l) => l.msg === 'unauthenticated request')).toBeTruthy();
  });

  test('a garbage Authorization header is answered 401', async () => {
    const res = await bot.post(bot.activity('message', {}, { text: 'help' }), { authorization: 'Bearer not.a.jwt' });
    expect(res.status).toBe(401);
  });

  describe('the token is checked before the body is read: a caller without one learns nothing but 401', () => {
    const json = { 'content-type': 'application/json' };
    const bodies: [string, Omit<RawRequest, 'headers'> & { headers: Record<string, string> }][] = [
      ['a 10 MB body', { headers: json, body: JSON.stringify({ type: 'message', text: 'x'.repeat(10 * 1024 * 1024) }) }],
      ['a chunked body past the limit', { headers: json, chunks: { size: 64 * 1024, max: 160 } }],
      ['a form post', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'type=message&from[id]=u' }],
      ['a gzip body', { headers: { ...json, 'content-encoding': 'gzip' }, body: gzipSync('{"type":"message"}') }],
      ['malformed JSON', { headers: json, body: '{"type": ' }],
      ['JSON nested 1000 deep', { headers: json, body: '['.repeat(1000) + ']'.repeat(1000) }],
      ['not an activity', { headers: json, body: '[1,2]' }],
    ];
    const tokens: [string, () => Record<string, string>][] = [
      ['no token', () => ({})],
      ['a garbage token', () => ({ authorization: 'Bearer not.a.jwt' })],
      ['an expired token', () => ({ authorization: issuer.signChannelToken({ appId: APP_ID, serviceUrl: 'http://x', expiresInSeconds: -3600 }) })],
      ['a token for another bot', () => ({ authorization: issuer.signChannelToken({ appId: APP_ID, serviceUrl: 'http://x', audience: 'other-bot' }) })],
      ['a tampered token', () => ({ authorization: issuer.signChannelToken({ appId: APP_ID, serviceUrl: 'http://x', tamper: true }) })],
    ];
    const cases = tokens.flatMap(([t, header]) => bodies.map(([b, request]) => [t, b, header, request] as const));

    test.each(cases)('%s and %s: 401', async (_token, _body, header, request) => {
      const res = await rawRequest(bot.url, '/api/messages', { ...request, headers: { ...request.headers, ...header() } });
      expect(res.status).toBe(401);
      expect(res.json).toEqual({ error: 'Unauthorized' });
    });

    test('with a valid token the body is judged: 415, 413, 400', async () => {
      const authorization = issuer.signChannelToken({ appId: APP_ID, serviceUrl: 'http://x' });
      expect((await rawRequest(bot.url, '/api/messages', { headers: { authorization, 'content-type': 'text/plain' }, body: '{}' })).status).toBe(415);
      expect((await rawRequest(bot.url, '/api/messages', { headers: { authorization, ...json }, chunks: { size: 64 * 1024, max: 160 } })).status).toBe(413);
      expect((await rawRequest(bot.url, '/api/messages', { headers: { authorization, ...json }, body: '[1,2]' })).status).toBe(400);
    });
  });

  test('tokens never reach the logs', async () => {
    await send({});
    expect(bot.logs.text()).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
  });
});

describe('start-up without an app id', () => {
  test('production mode refuses to start without MicrosoftAppId and lists every problem', async () => {
    const { loadConfig, ConfigError } = await import('../../src/config');
    let error: unknown;
    try {
      loadConfig({ BOT_MODE: 'production', KEY_VAULT_URL: 'not a url' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as InstanceType<typeof ConfigError>).problems;
    expect(problems.join('\n')).toMatch(/KEY_VAULT_URL/);
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/^MicrosoftAppId: required/), expect.stringMatching(/^MONGODB_URI: required/)]));
  });
});
