/**
 * Stand-in for the Bot Framework token service as a bot sees it: the OpenID metadata document and
 * the signing keys (JWKS, each key with its channel endorsements), plus a signer for channel
 * tokens like the ones Teams sends on every request to /api/messages.
 *
 * Point the bot at it with BOT_OPENID_METADATA_URL = `${baseUrl}/v1/.well-known/openidconfiguration`
 * (ToBotFromChannelOpenIdMetadataUrl + ToBotFromEmulatorOpenIdMetadataUrl) AND BOT_TOKEN_ISSUER =
 * `issuer` (the real https://api.botframework.com): once one override is set, the connector uses
 * none of its built-in defaults, and an unset issuer rejects every token.
 *
 * What botframework-connector 4.23 checks on a channel token (parameterizedBotFrameworkAuthentication,
 * jwtTokenExtractor): "Bearer <jwt>"; iss is ToBotFromChannelTokenIssuer (else: no identity);
 * kid is a key in the JWKS with n/e; RS256/384/512 signature; exp and nbf with 300 s clock
 * tolerance; the key's endorsements include activity.channelId; aud equals MicrosoftAppId;
 * serviceurl equals activity.serviceUrl. Note the validator caches keys per metadata URL for the
 * life of the process (and refreshes at most hourly on an unknown kid): one stand-in per URL.
 */
import { createSign, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { json, StandInServer } from './standin-server';

export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';
export const DEFAULT_ENDORSEMENTS = ['msteams', 'emulator', 'webchat', 'directline', 'test'];
export const OPENID_CONFIGURATION_PATH = '/v1/.well-known/openidconfiguration';
export const JWKS_PATH = '/v1/.well-known/keys';

export interface ChannelTokenClaims {
  appId: string;
  serviceUrl: string;
  issuer?: string;
  /** Default: appId. */
  audience?: string;
  /** Lifetime from now; negative gives an already expired token (beyond the 300 s tolerance: < -300). */
  expiresInSeconds?: number;
  /** Overrides the kid header (a kid the JWKS does not list = "unknown key"). */
  keyId?: string;
  /** nbf as seconds since the epoch. Default: five minutes ago, as Bot Framework does. */
  notBefore?: number;
  /** Signs with a key the JWKS does not publish (under its own kid unless keyId is given). */
  signWithUnknownKey?: boolean;
  /** Changes the payload after signing: the signature no longer matches. */
  tamper?: boolean;
}

export interface BotFrameworkAuthStandInOptions {
  /** Endorsements listed on the published key. */
  endorsements?: string[];
  issuer?: string;
}

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  jwk: { kty: string; n: string; e: string };
}

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

function newSigningKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' }) as { kty: string; n: string; e: string };
  return { kid, privateKey, jwk };
}

export class BotFrameworkAuthStandIn extends StandInServer {
  readonly issuer: string;
  readonly endorsements: string[];
  private readonly key: SigningKey;
  private unknownKey?: SigningKey;

  constructor(options: BotFrameworkAuthStandInOptions = {}) {
    super('bot-auth', undefined, () => ({ issuer: this.issuer, keys: this.jwks().keys.map((k) => ({ kid: k.kid, endorsements: k.endorsements })) }));
    this.issuer = options.issuer ?? BOT_FRAMEWORK_ISSUER;
    this.endorsements = options.endorsements ?? DEFAULT_ENDORSEMENTS;
    this.key = newSigningKey(`standin-${randomUUID()}`);

    this.route('GET', OPENID_CONFIGURATION_PATH, () => json(200, this.openIdConfiguration()));
    this.route('GET', JWKS_PATH, () => json(200, this.jwks()));
  }

  get keyId(): string {
    return this.key.kid;
  }

  /** What BOT_OPENID_METADATA_URL should be. */
  get openIdMetadataUrl(): string {
    return `${this.baseUrl}${OPENID_CONFIGURATION_PATH}`;
  }

  openIdConfiguration(): Record<string, unknown> {
    return {
      issuer: this.issuer,
      authorization_endpoint: `${this.baseUrl}/v1/invalid`,
      jwks_uri: `${this.baseUrl}${JWKS_PATH}`,
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
    };
  }

  jwks(): { keys: { kty: string; use: string; kid: string; n: string; e: string; endorsements: string[] }[] } {
    return { keys: [{ kty: this.key.jwk.kty, use: 'sig', kid: this.key.kid, n: this.key.jwk.n, e: this.key.jwk.e, endorsements: [...this.endorsements] }] };
  }

  /** A channel token as Teams sends it, as an Authorization header value ("Bearer <jwt>"). */
  signChannelToken(claims: ChannelTokenClaims): string {
    const now = Math.floor(Date.now() / 1000);
    const key = claims.signWithUnknownKey ? (this.unknownKey ??= newSigningKey(`unknown-${randomUUID()}`)) : this.key;
    const header = { alg: 'RS256', typ: 'JWT', kid: claims.keyId ?? key.kid };
    const payload = {
      serviceurl: claims.serviceUrl,
      nbf: claims.notBefore ?? now - 300,
      exp: now + (claims.expiresInSeconds ?? 3600),
      iss: claims.issuer ?? this.issuer,
      aud: claims.audience ?? claims.appId,
    };
    const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
    const signature = createSign('RSA-SHA256').update(signingInput).sign(key.privateKey).toString('base64url');
    const [encodedHeader, encodedPayload] = signingInput.split('.');
    // Tampering keeps the header and signature but swaps the payload (a longer lifetime, say).
    const finalPayload = claims.tamper ? b64url(JSON.stringify({ ...payload, exp: payload.exp + 86_400 })) : encodedPayload;
    return `Bearer ${encodedHeader}.${finalPayload}.${signature}`;
  }
}
