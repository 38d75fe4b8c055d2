import {
  CallerIdConstants,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import {
  AuthenticationConstants,
  AuthenticationError,
  BotFrameworkAuthentication,
  type AuthenticateRequestResult,
  type BotFrameworkClient,
  type ClaimsIdentity,
  type ConnectorClient,
  type ConnectorFactory,
  type UserTokenClient,
} from 'botframework-connector';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { BoundedMap } from './bounded-map';
import { turnLogger } from './turn-logger';
import { userMessageFor } from './messages';

/**
 * A pipeline policy (structurally @azure/core-rest-pipeline's PipelinePolicy; src/bot names no SDK)
 * added to every ConnectorClient the adapter builds: main.ts gives the metrics' timing policy.
 */
export interface ConnectorPolicy {
  name: string;
  sendRequest(request: unknown, next: (request: unknown) => Promise<unknown>): Promise<unknown>;
}

/** ConnectorClient keeps its core-client ServiceClient (and its pipeline) in a private field: reached structurally, skipped if absent. */
function addConnectorPolicy(client: ConnectorClient, policy: ConnectorPolicy | undefined): void {
  if (!policy) return;
  const pipeline = (client as unknown as { client?: { pipeline?: { addPolicy(p: ConnectorPolicy, o: { afterPhase: 'Retry' }): void; getOrderedPolicies(): { name: string }[] } } }).client?.pipeline;
  if (!pipeline || pipeline.getOrderedPolicies().some((p) => p.name === policy.name)) return;
  pipeline.addPolicy(policy, { afterPhase: 'Retry' });
}

/**
 * Delegates to the stock authentication but turns every failure of an inbound token into an
 * AuthenticationError (401). The stock one answers some (a bad signature, an unknown key) with 500.
 */
export class StrictBotFrameworkAuthentication extends BotFrameworkAuthentication {
  private readonly connectors: ConnectorClientCache;
  private readonly userTokenClients = new BoundedMap<string, Promise<UserTokenClient>>(100);

  constructor(
    private readonly inner: BotFrameworkAuthentication,
    private readonly connectorPolicy?: ConnectorPolicy,
  ) {
    super();
    this.connectors = new ConnectorClientCache(connectorPolicy);
  }

  async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    const result = await strict(() => this.inner.authenticateRequest(activity, authHeader));
    if (!result.connectorFactory) return result;
    const appId = String(result.claimsIdentity.getClaimValue('aud') ?? '');
    return { ...result, connectorFactory: this.connectors.wrap(result.connectorFactory, appId) };
  }

  authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    return strict(() => this.inner.authenticateStreamingRequest(authHeader, channelIdHeader));
  }

  /** Proactive messages: the stock factory, each client it makes with the connector policy. */
  createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    const factory = this.inner.createConnectorFactory(claimsIdentity);
    if (!this.connectorPolicy) return factory;
    const policy = this.connectorPolicy;
    const create = async (serviceUrl: string, audience?: string): Promise<ConnectorClient> => {
      const client = await factory.create(serviceUrl, audience);
      addConnectorPolicy(client, policy);
      return client;
    };
    return { create } as ConnectorFactory;
  }

  /** Same reasoning as the connector cache: one token client per app id, not one per turn. */
  createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    const appId = String(claimsIdentity.getClaimValue('aud') ?? claimsIdentity.getClaimValue('appid') ?? '');
    let client = this.userTokenClients.get(appId);
    if (!client) {
      client = this.inner.createUserTokenClient(claimsIdentity);
      client.catch(() => this.userTokenClients.delete(appId));
      this.userTokenClients.set(appId, client);
    }
    return client;
  }

  override createBotFrameworkClient(): BotFrameworkClient {
    return this.inner.createBotFrameworkClient();
  }

  override getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }

  override authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return strict(() => this.inner.authenticateChannelRequest(authHeader));
  }

  /**
   * The token alone (signature, issuer, audience, lifetime; anonymous without an app id), before
   * the body is read: a caller without a valid token learns nothing about its body. The stock
   * check with the activity's channel id and service URL left empty, which skips the two claims
   * that need the activity (key endorsement, serviceurl); processActivity checks them afterwards.
   * (authenticateChannelRequest would check the endorsement for channel "unknown" and fail.)
   */
  async authenticateCaller(authHeader: string): Promise<void> {
    await strict(() => this.inner.authenticateRequest({ channelId: '', serviceUrl: '' } as Activity, authHeader));
  }
}

/**
 * The stock adapter builds a new ConnectorClient (an Azure HTTP pipeline: ~10% of a turn's CPU)
 * on every turn. Clients are stateless apart from their credentials, which cache their token:
 * reuse one per (app id, service URL, audience).
 */
class ConnectorClientCache {
  private readonly clients = new BoundedMap<string, Promise<ConnectorClient>>(1000);

  constructor(private readonly policy?: ConnectorPolicy) {}

  wrap(factory: ConnectorFactory, appId: string): ConnectorFactory {
    const create = (serviceUrl: string, audience?: string): Promise<ConnectorClient> => {
      const key = `${appId}|${serviceUrl}|${audience ?? ''}`;
      let client = this.clients.get(key);
      if (!client) {
        client = factory.create(serviceUrl, audience).then((c) => (addConnectorPolicy(c, this.policy), c));
        client.catch(() => this.clients.delete(key));
        this.clients.set(key, client);
      }
      return client;
    };
    return { create } as ConnectorFactory;
  }
}

/** Runs an authentication step; any failure becomes a 401 AuthenticationError. */
async function strict<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new AuthenticationError(`Unauthorized: ${message}`, 401);
  }
}

/** CloudAdapter with public entry points so the server owns body validation and status codes. */
export class BotHttpAdapter extends CloudAdapter {
  constructor(private readonly auth: StrictBotFrameworkAuthentication) {
    super(auth);
  }

  /** Throws AuthenticationError unless the Authorization header carries a valid token (see above). */
  authenticateCaller(authHeader: string): Promise<void> {
    return this.auth.authenticateCaller(authHeader);
  }

  processIncoming(authHeader: string, activity: Activity, logic: (turn: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}

/**
 * The stock factory treats ANY override as "all parameters are intentional" and drops the other
 * defaults, so every key is given here: public-cloud constants, then our overrides on top.
 */
export function createBotAuthentication(config: Config, connectorPolicy?: ConnectorPolicy): StrictBotFrameworkAuthentication {
  const inner = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.MicrosoftAppId ?? '',
    MicrosoftAppPassword: config.MicrosoftAppPassword ?? '',
    MicrosoftAppType: config.MicrosoftAppType,
    MicrosoftAppTenantId: config.MicrosoftAppTenantId ?? '',
    ValidateAuthority: true,
    ToChannelFromBotLoginUrl: config.BOT_LOGIN_ENDPOINT ?? AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    ToBotFromChannelTokenIssuer: config.BOT_TOKEN_ISSUER ?? AuthenticationConstants.ToBotFromChannelTokenIssuer,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    ToBotFromChannelOpenIdMetadataUrl: config.BOT_OPENID_METADATA_URL ?? AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: config.BOT_OPENID_METADATA_URL ?? AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
  });
  return new StrictBotFrameworkAuthentication(inner, connectorPolicy);
}

export function createBotAdapter(config: Config, logger: Logger, connectorPolicy?: ConnectorPolicy): BotHttpAdapter {
  const adapter = new BotHttpAdapter(createBotAuthentication(config, connectorPolicy));

  adapter.onTurnError = async (turn, error) => {
    const log = turnLogger(turn, logger);
    log.error({ err: error }, 'turn failed');
    try {
      await turn.sendActivity(userMessageFor(error, turn.activity.id ?? 'unknown').text);
    } catch (sendError) {
      log.error({ err: sendError }, 'could not tell the user about the failure');
    }
  };
  return adapter;
}
