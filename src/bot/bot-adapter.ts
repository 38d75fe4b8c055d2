import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import {
  AuthenticationError,
  BotFrameworkAuthentication,
  type AuthenticateRequestResult,
  type BotFrameworkClient,
  type ClaimsIdentity,
  type ConnectorFactory,
  type UserTokenClient,
} from 'botframework-connector';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { turnLogger } from './turn-logger';
import { userMessageFor } from './user-messages';

/**
 * Delegates to the stock authentication but turns every failure of an inbound token into an
 * AuthenticationError (401). The stock one answers some (a bad signature, an unknown key) with 500.
 */
export class StrictBotFrameworkAuthentication extends BotFrameworkAuthentication {
  constructor(private readonly inner: BotFrameworkAuthentication) {
    super();
  }

  async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    try {
      return await this.inner.authenticateRequest(activity, authHeader);
    } catch (e) {
      throw asAuthError(e);
    }
  }

  async authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    try {
      return await this.inner.authenticateStreamingRequest(authHeader, channelIdHeader);
    } catch (e) {
      throw asAuthError(e);
    }
  }

  createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.inner.createConnectorFactory(claimsIdentity);
  }

  createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.inner.createUserTokenClient(claimsIdentity);
  }

  override createBotFrameworkClient(): BotFrameworkClient {
    return this.inner.createBotFrameworkClient();
  }

  override getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }

  override async authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    try {
      return await this.inner.authenticateChannelRequest(authHeader);
    } catch (e) {
      throw asAuthError(e);
    }
  }
}

function asAuthError(e: unknown): AuthenticationError {
  const message = e instanceof Error ? e.message : String(e);
  return new AuthenticationError(`Unauthorized: ${message}`, 401);
}

/** CloudAdapter with a public entry point so the server owns body validation and status codes. */
export class BotHttpAdapter extends CloudAdapter {
  processIncoming(authHeader: string, activity: Activity, logic: (turn: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}

export function createBotAdapter(config: Config, logger: Logger): BotHttpAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.MicrosoftAppId ?? '',
    MicrosoftAppPassword: config.MicrosoftAppPassword ?? '',
    MicrosoftAppType: config.MicrosoftAppType,
    MicrosoftAppTenantId: config.MicrosoftAppTenantId ?? '',
    ...(config.BOT_OPENID_METADATA_URL
      ? { ToBotFromChannelOpenIdMetadataUrl: config.BOT_OPENID_METADATA_URL, ToBotFromEmulatorOpenIdMetadataUrl: config.BOT_OPENID_METADATA_URL }
      : {}),
    ...(config.BOT_TOKEN_ISSUER ? { ToBotFromChannelTokenIssuer: config.BOT_TOKEN_ISSUER } : {}),
    ...(config.BOT_LOGIN_ENDPOINT ? { ToChannelFromBotLoginUrl: config.BOT_LOGIN_ENDPOINT } : {}),
  });
  const adapter = new BotHttpAdapter(new StrictBotFrameworkAuthentication(auth));

  adapter.onTurnError = async (turn, error) => {
    const log = turnLogger(turn, logger);
    log.error({ err: error }, 'turn failed');
    try {
      await turn.sendActivity(userMessageFor(error, turn.activity.id ?? 'unknown'));
    } catch (sendError) {
      log.error({ err: sendError }, 'could not tell the user about the failure');
    }
  };
  return adapter;
}
