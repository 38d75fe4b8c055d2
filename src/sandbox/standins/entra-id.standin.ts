/**
 * Stand-in for Microsoft Entra ID (login.microsoftonline.com) as @azure/identity's
 * ClientSecretCredential uses it with `authorityHost` = this URL and `disableInstanceDiscovery`:
 * MSAL first GETs `/{tenant}/v2.0/.well-known/openid-configuration`, then POSTs the
 * client_credentials grant to the token_endpoint it names. Access tokens are RS256 JWTs signed by
 * a key this process generates; `verify()` is how the Key Vault and Graph stand-ins check them.
 * Client secrets never reach the request log or the state snapshot.
 */
import { createHash, generateKeyPairSync, randomUUID, timingSafeEqual, type KeyObject } from 'node:crypto';
import { json, StandInServer, type StandInRequest, type StandInResponse } from './standin-server';
import { jwkOf, signJwt, verifyJwtSignature, type JwtClaims } from './jwt-rs256';

export interface EntraApp {
  clientId: string;
  clientSecret: string;
  displayName?: string;
  /** Object id of the app's service principal (the token's oid/sub). Default: derived from clientId. */
  objectId?: string;
  /** Application permissions granted to the app (the token's `roles`), e.g. `User.Read.All`. */
  roles?: string[];
}

export interface EntraIdStandInOptions {
  tenantId: string;
  apps: EntraApp[];
  tls: { key: string; cert: string };
  tokenLifetimeSeconds?: number;
}

export interface AccessTokenClaims extends JwtClaims {
  aud: string;
  iss: string;
  tid: string;
  oid: string;
  appid: string;
  roles?: string[];
  exp: number;
  nbf: number;
}

export type TokenCheck = { ok: true; claims: AccessTokenClaims } | { ok: false; reason: string };

interface IssuedToken {
  clientId: string;
  audience: string;
  at: string;
}

const SECRET_FIELDS = ['client_secret', 'client_assertion', 'password', 'refresh_token', 'code'];

export class EntraIdStandIn extends StandInServer {
  readonly tenantId: string;
  private readonly apps = new Map<string, EntraApp>();
  private readonly issued: IssuedToken[] = [];
  private readonly signingKey: { privateKey: KeyObject; publicKey: KeyObject; kid: string };
  private readonly tokenLifetimeSeconds: number;

  constructor(options: EntraIdStandInOptions) {
    super('entra-id', options.tls, () => this.state());
    this.tenantId = options.tenantId;
    this.tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 3600;
    for (const app of options.apps) this.registerApp(app);
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.signingKey = { ...pair, kid: createHash('sha256').update(pair.publicKey.export({ type: 'spki', format: 'der' })).digest('base64url').slice(0, 27) };

    this.route('GET', '/:tenant/v2.0/.well-known/openid-configuration', (req) => this.withTenant(req, (t) => json(200, this.openIdConfiguration(t, 'v2.0'))));
    this.route('GET', '/:tenant/.well-known/openid-configuration', (req) => this.withTenant(req, (t) => json(200, this.openIdConfiguration(t, 'v1'))));
    this.route('GET', '/:tenant/discovery/v2.0/keys', (req) => this.withTenant(req, () => json(200, this.jwks())));
    this.route('GET', '/:tenant/discovery/keys', (req) => this.withTenant(req, () => json(200, this.jwks())));
    this.route('POST', '/:tenant/oauth2/v2.0/token', (req) => this.withTenant(req, () => this.token(req)));
    // v1 endpoint: `resource` instead of `scope` (older clients, az CLI).
    this.route('POST', '/:tenant/oauth2/token', (req) => this.withTenant(req, () => this.token(req)));
  }

  /** The issuer of the tokens this stand-in signs (v2.0 style, on this host). */
  get issuer(): string {
    return `${this.baseUrl}/${this.tenantId}/v2.0`;
  }

  /** The `authorization` value resource servers put in their WWW-Authenticate challenge. */
  get authority(): string {
    return `${this.baseUrl}/${this.tenantId}`;
  }

  registerApp(app: EntraApp): void {
    this.apps.set(app.clientId, { ...app, objectId: app.objectId ?? uuidFrom(`sp:${app.clientId}`) });
  }

  /** Signs a token directly (tests that need an expired or foreign-audience token use this). */
  issueToken(clientId: string, audience: string, lifetimeSeconds = this.tokenLifetimeSeconds): string {
    const app = this.apps.get(clientId);
    if (!app) throw new Error(`No app ${clientId} registered in the Entra stand-in`);
    const now = Math.floor(Date.now() / 1000);
    const claims: AccessTokenClaims = {
      aud: audience,
      iss: this.issuer,
      iat: now,
      nbf: now - 300,
      exp: now + lifetimeSeconds,
      tid: this.tenantId,
      oid: app.objectId!,
      sub: app.objectId!,
      appid: app.clientId,
      azp: app.clientId,
      idtyp: 'app',
      ver: '2.0',
      uti: randomUUID(),
      ...(app.roles?.length ? { roles: [...app.roles] } : {}),
    };
    this.issued.push({ clientId, audience, at: new Date().toISOString() });
    return signJwt(claims, this.signingKey.privateKey, this.signingKey.kid);
  }

  /**
   * Checks a bearer token as a resource server would: our signature, our issuer and tenant, not
   * expired, and (when given) the audience. Accepts the raw token or an Authorization header value.
   */
  verify(token: string | undefined, audience?: string | string[]): TokenCheck {
    const raw = token?.replace(/^Bearer\s+/i, '').trim();
    if (!raw) return { ok: false, reason: 'missing token' };
    const claims = verifyJwtSignature(raw, this.signingKey.publicKey, this.signingKey.kid) as AccessTokenClaims | undefined;
    if (!claims) return { ok: false, reason: 'invalid signature' };
    const now = Math.floor(Date.now() / 1000);
    if (claims.iss !== this.issuer || claims.tid !== this.tenantId) return { ok: false, reason: 'invalid issuer' };
    if (typeof claims.exp !== 'number' || claims.exp <= now) return { ok: false, reason: 'token expired' };
    if (typeof claims.nbf === 'number' && claims.nbf > now + 300) return { ok: false, reason: 'token not yet valid' };
    const audiences = audience === undefined ? undefined : ([] as string[]).concat(audience).map(trimSlash);
    if (audiences && !audiences.includes(trimSlash(claims.aud))) return { ok: false, reason: 'invalid audience' };
    return { ok: true, claims };
  }

  protected override redactForLog(method: string, path: string, body: unknown): unknown {
    if (method !== 'POST' || !/\/token$/i.test(path) || typeof body !== 'string') return body;
    const form = Object.fromEntries(new URLSearchParams(body));
    for (const field of SECRET_FIELDS) if (field in form) form[field] = '[redacted]';
    return form;
  }

  private state() {
    return {
      tenantId: this.tenantId,
      issuer: this.baseUrl ? this.issuer : undefined,
      apps: [...this.apps.values()].map((a) => ({ clientId: a.clientId, displayName: a.displayName, objectId: a.objectId, roles: a.roles ?? [] })),
      tokensIssued: this.issued,
    };
  }

  private withTenant(req: StandInRequest, handle: (tenant: string) => StandInResponse): StandInResponse {
    const tenant = req.params.tenant;
    if (tenant.toLowerCase() !== this.tenantId.toLowerCase()) {
      return aadError(400, 'invalid_request', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
    }
    return handle(this.tenantId);
  }

  private openIdConfiguration(tenant: string, version: 'v1' | 'v2.0') {
    const base = `${this.baseUrl}/${tenant}`;
    const oauth = version === 'v2.0' ? `${base}/oauth2/v2.0` : `${base}/oauth2`;
    return {
      token_endpoint: `${oauth}/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: version === 'v2.0' ? `${base}/discovery/v2.0/keys` : `${base}/discovery/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: version === 'v2.0' ? this.issuer : `${base}/`,
      request_uri_parameter_supported: false,
      authorization_endpoint: `${oauth}/authorize`,
      device_authorization_endpoint: `${oauth}/devicecode`,
      end_session_endpoint: `${oauth}/logout`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'tid', 'oid', 'roles', 'appid', 'azp'],
      tenant_region_scope: 'EU',
      cloud_instance_name: 'microsoftonline.com',
      msgraph_host: 'graph.microsoft.com',
    };
  }

  private jwks() {
    return { keys: [jwkOf(this.signingKey.publicKey, this.signingKey.kid)] };
  }

  private token(req: StandInRequest): StandInResponse {
    const form = new URLSearchParams(req.rawBody.toString('utf8'));
    const basic = parseBasicAuth(req.headers.authorization);
    const clientId = form.get('client_id') ?? basic?.id ?? '';
    const secret = form.get('client_secret') ?? basic?.secret ?? '';
    const grant = form.get('grant_type');

    if (grant !== 'client_credentials') {
      return aadError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant ?? ''}'.`);
    }
    const app = this.apps.get(clientId);
    if (!app) {
      return aadError(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${this.tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`);
    }
    if (!secret) return aadError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    if (!sameSecret(secret, app.clientSecret)) {
      return aadError(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`);
    }
    const resource = form.get('resource');
    const scopes = (form.get('scope') ?? (resource ? `${trimSlash(resource)}/.default` : '')).split(' ').filter(Boolean);
    const resourceScope = scopes.find((s) => s.endsWith('/.default'));
    if (!resourceScope || scopes.some((s) => s !== resourceScope && !['openid', 'profile', 'offline_access'].includes(s))) {
      return aadError(400, 'invalid_scope', 1002012, `The provided value for scope ${scopes.join(' ')} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
    }
    const audience = resourceScope.slice(0, -'/.default'.length);
    return json(200, {
      token_type: 'Bearer',
      expires_in: this.tokenLifetimeSeconds,
      ext_expires_in: this.tokenLifetimeSeconds,
      access_token: this.issueToken(app.clientId, audience),
    });
  }
}

/** Entra's OAuth error body: error, error_description (AADSTS code + trace), error_codes, ids. */
function aadError(status: number, error: string, code: number, message: string): StandInResponse {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  return json(status, {
    error,
    error_description: `AADSTS${code}: ${message} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
  });
}

function parseBasicAuth(header: string | undefined): { id: string; secret: string } | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  const [id, ...rest] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
  return { id: decodeURIComponent(id), secret: decodeURIComponent(rest.join(':')) };
}

/** Constant-time comparison, so the stand-in does not teach timing tricks. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

const trimSlash = (s: string) => s.replace(/\/+$/, '');

/** A stable UUID-shaped id derived from a seed. */
function uuidFrom(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
