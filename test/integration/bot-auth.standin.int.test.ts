import { ConfigurationBotFrameworkAuthentication, type Activity } from 'botbuilder';
import { AuthenticationError } from 'botframework-connector';
import { createBotAdapter, StrictBotFrameworkAuthentication } from '../../src/bot/bot-adapter';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { BotFrameworkAuthStandIn, type ChannelTokenClaims } from '../../src/sandbox/standins/bot-auth.standin';

// Inbound JWT validation with the real botframework-connector code against the OpenID/JWKS stand-in.
const APP_ID = '6f1d2c3b-0000-4000-8000-00000000b07a';
const SERVICE_URL = 'https://smba.trafficmanager.net/emea/';

const activity = (overrides: Partial<Activity> = {}): Activity =>
  ({
    type: 'message',
    id: 'act-1',
    channelId: 'msteams',
    serviceUrl: SERVICE_URL,
    from: { id: '29:demo-alice', name: 'Alice' },
    recipient: { id: `28:${APP_ID}`, name: 'bot' },
    conversation: { id: 'a:personal-alice' },
    text: 'help',
    ...overrides,
  }) as Activity;

describe('Bot Framework channel tokens from BotFrameworkAuthStandIn', () => {
  const standIn = new BotFrameworkAuthStandIn();
  let auth: StrictBotFrameworkAuthentication;
  let stock: ConfigurationBotFrameworkAuthentication;
  const baseSettings = () => ({
    MicrosoftAppId: APP_ID,
    MicrosoftAppPassword: 'not-used-inbound',
    MicrosoftAppType: 'MultiTenant',
    ToBotFromChannelOpenIdMetadataUrl: standIn.openIdMetadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: standIn.openIdMetadataUrl,
  });
  const token = (claims: Partial<ChannelTokenClaims> = {}) => standIn.signChannelToken({ appId: APP_ID, serviceUrl: SERVICE_URL, ...claims });

  beforeAll(async () => {
    await standIn.start();
    // The settings createBotAdapter passes for BOT_OPENID_METADATA_URL and BOT_TOKEN_ISSUER.
    stock = new ConfigurationBotFrameworkAuthentication({ ...baseSettings(), ToBotFromChannelTokenIssuer: standIn.issuer });
    auth = new StrictBotFrameworkAuthentication(stock);
  });
  afterAll(() => standIn.close());
  // The connector logs every rejected token with console.error; keep the output readable.
  beforeEach(() => jest.spyOn(console, 'error').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  const rejects401 = async (header: string, act: Activity = activity()) => {
    const error = await auth.authenticateRequest(act, header).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).statusCode).toBe(401);
    return error as AuthenticationError;
  };

  it('serves the OpenID metadata and a JWKS with endorsements', async () => {
    const metadata = (await (await fetch(standIn.openIdMetadataUrl)).json()) as { issuer: string; jwks_uri: string };
    expect(metadata.issuer).toBe('https://api.botframework.com');
    const jwks = (await (await fetch(metadata.jwks_uri)).json()) as { keys: { kid: string; kty: string; n: string; e: string; endorsements: string[] }[] };
    expect(jwks.keys).toEqual([expect.objectContaining({ kty: 'RSA', kid: standIn.keyId, endorsements: expect.arrayContaining(['msteams', 'emulator']) })]);
  });

  it('accepts a valid token and exposes its claims', async () => {
    const result = await auth.authenticateRequest(activity(), token());
    expect(result.claimsIdentity.isAuthenticated).toBe(true);
    expect(result.claimsIdentity.getClaimValue('aud')).toBe(APP_ID);
    expect(result.claimsIdentity.getClaimValue('serviceurl')).toBe(SERVICE_URL);
  });

  it('rejects an expired token (beyond the 5 minute clock tolerance)', async () => {
    expect((await rejects401(token({ expiresInSeconds: -600 }))).message).toMatch(/expired/);
  });

  it('tolerates a token expired less than 5 minutes ago, as the connector does', async () => {
    await expect(auth.authenticateRequest(activity(), token({ expiresInSeconds: -60 }))).resolves.toBeDefined();
  });

  it('rejects a token not valid yet', async () => {
    await rejects401(token({ notBefore: Math.floor(Date.now() / 1000) + 3600 }));
  });

  it('rejects a token for another bot (wrong audience)', async () => {
    expect((await rejects401(token({ audience: 'another-bot' }))).message).toMatch(/Invalid AppId/);
  });

  it('rejects a token from another issuer', async () => {
    await rejects401(token({ issuer: 'https://evil.example.com' }));
  });

  it('rejects a token signed with an unknown key id', async () => {
    expect((await rejects401(token({ keyId: 'no-such-key' }))).message).toMatch(/Signing Key could not be retrieved/);
  });

  it('rejects a token signed by a key the JWKS does not publish', async () => {
    await rejects401(token({ signWithUnknownKey: true }));
  });

  it('rejects a known key id with a foreign signature', async () => {
    await rejects401(token({ signWithUnknownKey: true, keyId: standIn.keyId }));
  });

  it('rejects a tampered payload with 401, where the stock authentication answers 500', async () => {
    const tampered = token({ tamper: true });
    await rejects401(tampered);
    const stockError = await stock.authenticateRequest(activity(), tampered).then(
      () => undefined,
      (e: unknown) => e as { statusCode?: number; message: string },
    );
    expect(stockError?.message).toMatch(/invalid signature/);
    expect(stockError?.statusCode).not.toBe(401);
  });

  it('rejects a token whose serviceurl differs from the activity', async () => {
    await rejects401(token(), activity({ serviceUrl: 'https://attacker.example.com/' }));
  });

  it('rejects a channel the key is not endorsed for', async () => {
    expect((await rejects401(token(), activity({ channelId: 'slack' }))).message).toMatch(/endorsement/);
  });

  it('needs the issuer set too: one override makes the connector drop every built-in default', async () => {
    // BotFrameworkAuthenticationFactory.create: any override selects a fully parameterized
    // configuration, so an unset ToBotFromChannelTokenIssuer means "no issuer is valid".
    const metadataOnly = new StrictBotFrameworkAuthentication(new ConfigurationBotFrameworkAuthentication(baseSettings()));
    const error = await metadataOnly.authenticateRequest(activity(), token()).catch((e: AuthenticationError) => e);
    expect(error).toMatchObject({ statusCode: 401, message: expect.stringMatching(/No valid identity/) });
  });

  it('rejects a missing or non-Bearer header', async () => {
    await rejects401('');
    await rejects401(token().replace('Bearer ', 'Basic '));
  });

  describe('authenticateCaller: the token alone, before the body is read', () => {
    const callerRejects401 = async (header: string) => {
      const error = await auth.authenticateCaller(header).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AuthenticationError);
      expect((error as AuthenticationError).statusCode).toBe(401);
    };

    it('accepts a valid token whatever service URL it names (the activity is checked later)', async () => {
      await expect(auth.authenticateCaller(token())).resolves.toBeUndefined();
      await expect(auth.authenticateCaller(token({ serviceUrl: 'https://elsewhere.example/' }))).resolves.toBeUndefined();
    });

    it.each<[string, () => string]>([
      ['missing', () => ''],
      ['garbage', () => 'Bearer not.a.jwt'],
      ['not Bearer', () => token().replace('Bearer ', 'Basic ')],
      ['expired', () => token({ expiresInSeconds: -600 })],
      ['not valid yet', () => token({ notBefore: Math.floor(Date.now() / 1000) + 3600 })],
      ['for another bot', () => token({ audience: 'another-bot' })],
      ['from another issuer', () => token({ issuer: 'https://evil.example.com' })],
      ['signed by an unpublished key', () => token({ signWithUnknownKey: true })],
      ['tampered', () => token({ tamper: true })],
    ])('rejects a %s token with 401', async (_name, header) => {
      await callerRejects401(header());
    });

    it('is anonymous without an app id, as processActivity is', async () => {
      const open = new StrictBotFrameworkAuthentication(new ConfigurationBotFrameworkAuthentication({}));
      await expect(open.authenticateCaller('')).resolves.toBeUndefined();
    });
  });
});

describe('createBotAdapter wired to the stand-in by configuration', () => {
  const standIn = new BotFrameworkAuthStandIn();
  beforeAll(() => standIn.start());
  afterAll(() => standIn.close());
  beforeEach(() => jest.spyOn(console, 'error').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('runs the turn for a valid token and refuses a bad one with 401 before any logic runs', async () => {
    const config = loadConfig({
      BOT_MODE: 'test',
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 'not-used-inbound',
      BOT_OPENID_METADATA_URL: standIn.openIdMetadataUrl,
      BOT_TOKEN_ISSUER: standIn.issuer,
    });
    const adapter = createBotAdapter(config, createLogger('silent'));
    const seen: string[] = [];
    const logic = async (turn: { activity: Activity }) => {
      seen.push(turn.activity.text);
    };

    await adapter.processIncoming(standIn.signChannelToken({ appId: APP_ID, serviceUrl: SERVICE_URL }), activity(), logic);
    expect(seen).toEqual(['help']);

    const bad = standIn.signChannelToken({ appId: APP_ID, serviceUrl: SERVICE_URL, tamper: true });
    await expect(adapter.processIncoming(bad, activity({ text: 'never' }), logic)).rejects.toMatchObject({ statusCode: 401 });
    expect(seen).toEqual(['help']);
  });
});
