import { BotFrameworkAuthStandIn } from '../../src/sandbox/standins/bot-auth.standin';
import { TestBot, replyCard } from '../helpers/bot-harness';
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
