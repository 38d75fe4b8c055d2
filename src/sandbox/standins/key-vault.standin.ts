/**
 * Stand-in for the Azure Key Vault secrets data plane as @azure/keyvault-secrets 4.11 uses it
 * (api-version 2025-07-01; 7.x clients send the same routes):
 *   PUT    /secrets/{name}                    set (a new version each time)
 *   GET    /secrets/{name}[/{version}]        get (latest when the version is empty)
 *   PATCH  /secrets/{name}/{version}          update properties
 *   GET    /secrets, /secrets/{name}/versions list (paged: maxresults + nextLink)
 *   DELETE /secrets/{name}                    soft delete
 *   GET    /deletedsecrets[/{name}]           read deleted (what the delete poller polls)
 *   DELETE /deletedsecrets/{name}             purge
 *   POST   /deletedsecrets/{name}/recover     recover
 * Auth is the real challenge flow: a request without a token gets 401 + WWW-Authenticate naming
 * the Entra stand-in; tokens are verified with it (audience https://vault.azure.net). Each
 * operation needs its data-plane permission (the REST reference's names, with the RBAC data
 * action in the 403 as Azure RBAC words it); `denyPermissions` takes some away.
 * One stand-in is one vault (`vaultName`), on its own https origin, as each Azure vault is its own host.
 * Secret values are never logged, never in /_standin/state and never in an error message; with
 * `keepStateIn` they are kept (it is the vault) in a file only its owner can read.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { json, StandInServer, type StandInHandler, type StandInRequest, type StandInResponse } from './standin-server';
import type { AccessTokenClaims, EntraIdStandIn } from './entra-id.standin';
import { StateFile } from './state-file';

export const KEY_VAULT_RESOURCE = 'https://vault.azure.net';

/** Data-plane permissions of the secrets API (access-policy names; `update` is RBAC's update/action). */
export type KeyVaultSecretPermission = 'get' | 'list' | 'set' | 'update' | 'delete' | 'recover' | 'purge';

/** The RBAC data action Azure names in a 403 for each permission. */
export const SECRET_DATA_ACTIONS: Record<KeyVaultSecretPermission, string> = {
  get: 'Microsoft.KeyVault/vaults/secrets/getSecret/action',
  list: 'Microsoft.KeyVault/vaults/secrets/readMetadata/action',
  set: 'Microsoft.KeyVault/vaults/secrets/setSecret/action',
  update: 'Microsoft.KeyVault/vaults/secrets/update/action',
  delete: 'Microsoft.KeyVault/vaults/secrets/delete',
  recover: 'Microsoft.KeyVault/vaults/secrets/recover/action',
  purge: 'Microsoft.KeyVault/vaults/secrets/purge/action',
};

export interface KeyVaultStandInOptions {
  entra: EntraIdStandIn;
  /** The vault's name (Azure: the first label of its host), shown in 403s and the state. Default kv-sandbox. */
  vaultName?: string;
  tls: { key: string; cert: string };
  /** Apps allowed to use the vault (RBAC stand-in); default: every app of the tenant. */
  allowedClientIds?: string[];
  recoverableDays?: number;
}

interface SecretVersion {
  version: string;
  value: string;
  contentType?: string;
  tags?: Record<string, string>;
  enabled: boolean;
  nbf?: number;
  exp?: number;
  created: number;
  updated: number;
}

interface StoredSecret {
  name: string;
  /** Oldest first; the last one is "latest". */
  versions: SecretVersion[];
  deleted?: { deletedDate: number; scheduledPurgeDate: number };
}

interface SecretAttributesBody {
  enabled?: boolean;
  nbf?: number;
  exp?: number;
}

const NAME = /^[0-9a-zA-Z-]{1,127}$/;
const MAX_VALUE_BYTES = 25 * 1024;
const MAX_TAGS = 15;
const PAGE_MAX = 25;
const now = () => Math.floor(Date.now() / 1000);
const SAVED_FORMAT = 'idp-sandbox-key-vault/1';

export class KeyVaultStandIn extends StandInServer {
  readonly vaultName: string;
  private allowedClientIds?: Set<string>;
  private denied = new Set<KeyVaultSecretPermission>();
  private readonly secrets = new Map<string, StoredSecret>();
  private readonly entra: EntraIdStandIn;
  private readonly recoverableDays: number;

  constructor(options: KeyVaultStandInOptions) {
    super(options.vaultName ? `key-vault ${options.vaultName}` : 'key-vault', options.tls, () => this.state());
    this.vaultName = options.vaultName ?? 'kv-sandbox';
    this.entra = options.entra;
    this.recoverableDays = options.recoverableDays ?? 90;
    this.setAllowedClientIds(options.allowedClientIds);

    this.route('GET', '/secrets', this.authed('list', (req) => this.page(req, '/secrets', this.live().map((s) => this.item(s, latest(s), false)))));
    this.route('PUT', '/secrets/:name', this.authed('set', (req) => this.set(req)));
    this.route('GET', '/secrets/:name/versions', this.authed('list', (req) => this.withLive(req, (s) => this.page(req, `/secrets/${s.name}/versions`, s.versions.map((v) => this.item(s, v, true))))));
    this.route('GET', '/secrets/:name', this.authed('get', (req) => this.get(req)));
    this.route('GET', '/secrets/:name/:version', this.authed('get', (req) => this.get(req)));
    this.route('PATCH', '/secrets/:name', this.authed('update', (req) => this.update(req)));
    this.route('PATCH', '/secrets/:name/:version', this.authed('update', (req) => this.update(req)));
    this.route('DELETE', '/secrets/:name', this.authed('delete', (req) => this.withLive(req, (s) => this.softDelete(s))));
    // The REST reference: reading deleted secrets needs secrets/list.
    this.route('GET', '/deletedsecrets', this.authed('list', (req) => this.page(req, '/deletedsecrets', this.deletedList().map((s) => this.deletedBundle(s, false)))));
    this.route('GET', '/deletedsecrets/:name', this.authed('list', (req) => this.withDeleted(req, (s) => json(200, this.deletedBundle(s, true)))));
    this.route('DELETE', '/deletedsecrets/:name', this.authed('purge', (req) => this.withDeleted(req, (s) => this.purge(s))));
    this.route('POST', '/deletedsecrets/:name/recover', this.authed('recover', (req) => this.withDeleted(req, (s) => this.recover(s))));
  }

  /** Which apps may use the vault (an RBAC stand-in); undefined = every app of the tenant. */
  setAllowedClientIds(clientIds: string[] | undefined): void {
    this.allowedClientIds = clientIds ? new Set(clientIds) : undefined;
  }

  /** The bot's identity lacks these permissions on this vault (403 for those operations only); undefined = none denied. */
  denyPermissions(permissions: KeyVaultSecretPermission[] | undefined): void {
    this.denied = new Set(permissions ?? []);
  }

  /** Forgets every secret, live and deleted. */
  reset(): void {
    this.secrets.clear();
    this.saveState();
  }

  /** Keeps every secret (values, versions, deleted ones) in `file` across restarts; true when restored. */
  keepStateIn(file: string): boolean {
    return this.persistIn(
      new StateFile(file, 0o600),
      () => ({ format: SAVED_FORMAT, secrets: [...this.secrets.values()] }),
      (saved) => {
        const { format, secrets } = saved as { format: string; secrets: StoredSecret[] };
        if (format !== SAVED_FORMAT) throw new Error(`Not a Key Vault stand-in state file (${format})`);
        this.secrets.clear();
        for (const s of secrets) this.secrets.set(s.name.toLowerCase(), s);
      },
    );
  }

  protected override faultBody(status: number): unknown {
    const code = status === 429 ? 'Throttled' : status >= 500 ? 'ServiceUnavailable' : 'InjectedFault';
    return { error: { code, message: `Injected fault ${status}` } };
  }

  /** The secret value never enters the log: PUT bodies keep everything but `value`. */
  protected override redactForLog(method: string, path: string, body: unknown): unknown {
    if (method === 'PUT' && /^\/secrets\//i.test(path)) {
      if (body && typeof body === 'object') return { ...(body as Record<string, unknown>), value: '[redacted]' };
      return body === '' ? '' : '[redacted]';
    }
    return body;
  }

  /** What the vault holds, without values (tests and people check what the bot did). */
  held() {
    return this.state();
  }

  /** The latest value of a live secret: the vault holds values; a test checks a typed one arrived intact. */
  latestValue(name: string): string | undefined {
    const s = this.secrets.get(name.toLowerCase()) ?? [...this.secrets.values()].find((x) => x.name.toLowerCase() === name.toLowerCase());
    return s && !s.deleted ? s.versions.at(-1)?.value : undefined;
  }

  private state() {
    const describe = (s: StoredSecret) => ({
      name: s.name,
      deleted: s.deleted ? { deletedDate: iso(s.deleted.deletedDate), scheduledPurgeDate: iso(s.deleted.scheduledPurgeDate) } : undefined,
      versions: s.versions.map((v) => ({ version: v.version, enabled: v.enabled, contentType: v.contentType, tags: v.tags ?? {}, created: iso(v.created), expires: v.exp ? iso(v.exp) : undefined })),
    });
    return { vault: this.vaultName, secrets: this.live().map(describe), deletedSecrets: this.deletedList().map(describe) };
  }

  // ---- auth -------------------------------------------------------------------------------

  private authed(permission: KeyVaultSecretPermission, handler: (req: StandInRequest, claims: AccessTokenClaims) => StandInResponse): StandInHandler {
    return (req) => {
      const header = req.headers.authorization;
      if (!header) return this.challenge('AKV10000: Request is missing a Bearer or PoP token.');
      const check = this.entra.verify(header, KEY_VAULT_RESOURCE);
      if (!check.ok) return this.challenge(`AKV10022: Invalid token: ${check.reason}.`);
      if (this.allowedClientIds && !this.allowedClientIds.has(check.claims.appid)) {
        return this.forbidden(check.claims, permission);
      }
      if (this.denied.has(permission)) return this.forbidden(check.claims, permission);
      if (!req.query.get('api-version')) return kvError(400, 'BadParameter', 'The request URI contains an invalid or missing api-version.');
      return handler(req, check.claims);
    };
  }

  /** Azure RBAC's words: the action refused and the vault (never anything from the request body). */
  private forbidden(claims: AccessTokenClaims, permission: KeyVaultSecretPermission): StandInResponse {
    const message =
      `Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\n` +
      `Caller: appid=${claims.appid};oid=${claims.oid}\r\nAction: '${SECRET_DATA_ACTIONS[permission]}'\r\nAssignment: (not found)\r\nDecisionReason: 'DeniedWithNoValidRBAC'\r\nVault: ${this.vaultName};location=westeurope`;
    return kvError(403, 'Forbidden', message, 'ForbiddenByRbac');
  }

  private challenge(message: string): StandInResponse {
    const header = `Bearer authorization="${this.entra.authority}", resource="${KEY_VAULT_RESOURCE}"`;
    return { ...kvError(401, 'Unauthorized', message), headers: { 'www-authenticate': header } };
  }

  // ---- operations -------------------------------------------------------------------------

  private set(req: StandInRequest): StandInResponse {
    const name = req.params.name;
    if (!NAME.test(name)) return kvError(400, 'BadParameter', `The request URI contains an invalid name: ${name}`);
    const body = (req.body && typeof req.body === 'object' ? req.body : {}) as {
      value?: unknown;
      contentType?: string;
      tags?: Record<string, string>;
      attributes?: SecretAttributesBody;
    };
    if (typeof body.value !== 'string') return kvError(400, 'BadParameter', 'Property value is required and must be a string.');
    if (Buffer.byteLength(body.value) > MAX_VALUE_BYTES) return kvError(400, 'BadParameter', 'The secret value exceeds the maximum size of 25 KB.');
    if (body.tags && Object.keys(body.tags).length > MAX_TAGS) return kvError(400, 'BadParameter', `A maximum of ${MAX_TAGS} tags is allowed.`);

    const existing = this.secrets.get(name.toLowerCase());
    if (existing?.deleted) {
      return kvError(409, 'Conflict', `Secret ${existing.name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.`, 'ObjectIsDeletedButRecoverable');
    }
    const t = now();
    const version: SecretVersion = {
      version: randomBytes(16).toString('hex'),
      value: body.value,
      contentType: body.contentType,
      tags: body.tags,
      enabled: body.attributes?.enabled ?? true,
      nbf: body.attributes?.nbf,
      exp: body.attributes?.exp,
      created: t,
      updated: t,
    };
    const secret = existing ?? { name, versions: [] };
    secret.versions.push(version);
    this.secrets.set(name.toLowerCase(), secret);
    return json(200, this.bundle(secret, version, true), requestIdHeaders());
  }

  private get(req: StandInRequest): StandInResponse {
    return this.withVersion(req, (secret, version) => {
      // Disabled is enforced by the service; exp/nbf are not (measured on real vaults: an expired secret still reads).
      if (!version.enabled) return kvError(403, 'Forbidden', 'Operation get is not allowed on a disabled secret.', 'SecretDisabled');
      return json(200, this.bundle(secret, version, true), requestIdHeaders());
    });
  }

  private update(req: StandInRequest): StandInResponse {
    return this.withVersion(req, (secret, version) => {
      const body = (req.body && typeof req.body === 'object' ? req.body : {}) as { contentType?: string; tags?: Record<string, string>; attributes?: SecretAttributesBody };
      if (body.tags && Object.keys(body.tags).length > MAX_TAGS) return kvError(400, 'BadParameter', `A maximum of ${MAX_TAGS} tags is allowed.`);
      if (body.contentType !== undefined) version.contentType = body.contentType;
      if (body.tags !== undefined) version.tags = body.tags;
      if (body.attributes?.enabled !== undefined) version.enabled = body.attributes.enabled;
      if (body.attributes?.nbf !== undefined) version.nbf = body.attributes.nbf;
      if (body.attributes?.exp !== undefined) version.exp = body.attributes.exp;
      version.updated = now();
      return json(200, this.bundle(secret, version, false), requestIdHeaders());
    });
  }

  private softDelete(secret: StoredSecret): StandInResponse {
    const t = now();
    secret.deleted = { deletedDate: t, scheduledPurgeDate: t + this.recoverableDays * 24 * 3600 };
    return json(200, this.deletedBundle(secret, true), requestIdHeaders());
  }

  private purge(secret: StoredSecret): StandInResponse {
    this.secrets.delete(secret.name.toLowerCase());
    return json(204);
  }

  private recover(secret: StoredSecret): StandInResponse {
    secret.deleted = undefined;
    return json(200, this.bundle(secret, latest(secret), false), requestIdHeaders());
  }

  // ---- lookups ----------------------------------------------------------------------------

  private live(): StoredSecret[] {
    return [...this.secrets.values()].filter((s) => !s.deleted);
  }

  private deletedList(): StoredSecret[] {
    return [...this.secrets.values()].filter((s) => s.deleted);
  }

  private withLive(req: StandInRequest, handle: (s: StoredSecret) => StandInResponse): StandInResponse {
    const secret = this.secrets.get(req.params.name.toLowerCase());
    if (!secret || secret.deleted) return notFound(req.params.name);
    return handle(secret);
  }

  private withDeleted(req: StandInRequest, handle: (s: StoredSecret) => StandInResponse): StandInResponse {
    const secret = this.secrets.get(req.params.name.toLowerCase());
    if (!secret?.deleted) return kvError(404, 'SecretNotFound', `Deleted Secret not found: ${req.params.name}`);
    return handle(secret);
  }

  private withVersion(req: StandInRequest, handle: (s: StoredSecret, v: SecretVersion) => StandInResponse): StandInResponse {
    return this.withLive(req, (secret) => {
      const wanted = req.params.version;
      const version = wanted ? secret.versions.find((v) => v.version === wanted.toLowerCase()) : latest(secret);
      return version ? handle(secret, version) : notFound(`${req.params.name}/${wanted}`);
    });
  }

  // ---- wire shapes ------------------------------------------------------------------------

  private attributes(v: SecretVersion) {
    return {
      enabled: v.enabled,
      ...(v.nbf !== undefined ? { nbf: v.nbf } : {}),
      ...(v.exp !== undefined ? { exp: v.exp } : {}),
      created: v.created,
      updated: v.updated,
      recoveryLevel: 'Recoverable+Purgeable',
      recoverableDays: this.recoverableDays,
    };
  }

  /** SecretBundle; the value only on set and get, as the service does. */
  private bundle(s: StoredSecret, v: SecretVersion, withValue: boolean) {
    return {
      ...(withValue ? { value: v.value } : {}),
      ...(v.contentType !== undefined ? { contentType: v.contentType } : {}),
      id: `${this.baseUrl}/secrets/${s.name}/${v.version}`,
      attributes: this.attributes(v),
      ...(v.tags ? { tags: v.tags } : {}),
    };
  }

  /** SecretItem of a list: no value; the id carries the version only when listing versions. */
  private item(s: StoredSecret, v: SecretVersion, withVersion: boolean) {
    return {
      id: withVersion ? `${this.baseUrl}/secrets/${s.name}/${v.version}` : `${this.baseUrl}/secrets/${s.name}`,
      attributes: this.attributes(v),
      ...(v.tags ? { tags: v.tags } : {}),
      ...(v.contentType !== undefined ? { contentType: v.contentType } : {}),
    };
  }

  /** DeletedSecretBundle / DeletedSecretItem (never with the value). */
  private deletedBundle(s: StoredSecret, withVersion: boolean) {
    const v = latest(s);
    return {
      recoveryId: `${this.baseUrl}/deletedsecrets/${s.name}`,
      deletedDate: s.deleted!.deletedDate,
      scheduledPurgeDate: s.deleted!.scheduledPurgeDate,
      ...this.item(s, v, withVersion),
    };
  }

  /** Pages of at most `maxresults` (service maximum 25) with an absolute nextLink, null at the end. */
  private page(req: StandInRequest, path: string, items: unknown[]): StandInResponse {
    const size = Math.min(Math.max(Number(req.query.get('maxresults')) || PAGE_MAX, 1), PAGE_MAX);
    const offset = Number(Buffer.from(req.query.get('$skiptoken') ?? '', 'base64url').toString('utf8')) || 0;
    const value = items.slice(offset, offset + size);
    let nextLink: string | null = null;
    if (offset + size < items.length) {
      const apiVersion = encodeURIComponent(req.query.get('api-version') ?? '');
      const skipToken = Buffer.from(String(offset + size)).toString('base64url');
      nextLink = `${this.baseUrl}${path}?api-version=${apiVersion}&$skiptoken=${skipToken}&maxresults=${size}`;
    }
    return json(200, { value, nextLink }, requestIdHeaders());
  }
}

const latest = (s: StoredSecret) => s.versions[s.versions.length - 1];
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

function requestIdHeaders(): Record<string, string> {
  return { 'x-ms-request-id': randomUUID(), 'x-ms-keyvault-service-version': '1.9.0.0' };
}

/** Key Vault's error body: `{ error: { code, message, innererror? } }`. */
function kvError(status: number, code: string, message: string, innerCode?: string): StandInResponse {
  return json(status, { error: { code, message, ...(innerCode ? { innererror: { code: innerCode } } : {}) } }, requestIdHeaders());
}

function notFound(nameOrId: string): StandInResponse {
  return kvError(
    404,
    'SecretNotFound',
    `A secret with (name/id) ${nameOrId} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
  );
}
