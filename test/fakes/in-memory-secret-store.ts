/**
 * SecretStore in memory, answering as KeyVaultSecretStore does against Key Vault (the contract
 * suite checks both): vaults by URL (an unknown one is unreachable), names in any case, versions
 * with creation times in whole seconds, soft delete that holds the name until recovered, an
 * idempotent delete and recover. It is the vault, so it keeps each value, as a SecretValue only.
 * Faults as the adapter shows them: `forbid` a permission on a vault, `throttle` (a short
 * Retry-After is ridden out within the adapter's retries, a long one or too many surface as
 * UPSTREAM.THROTTLED), `fail` with 503s, `failNext` with any error. `calls` records what was asked.
 */
import { randomBytes } from 'node:crypto';
import { DomainError } from '../../src/domain/domain-error';
import type { SecretValue } from '../../src/domain/secrets/secret-value';
import type { DeletedSecret, NewSecretVersion, SecretProperties, SecretStore } from '../../src/domain/secrets/secret-store.port';
import { DEFAULT_KEY_VAULT_RETRY } from '../../src/adapters/key-vault/key-vault-secret-store.adapter';
import { PERMISSIONS, type SecretPermission } from '../../src/adapters/key-vault/key-vault-failures';

type Method = keyof SecretStore;

interface Version {
  version: string;
  value: SecretValue;
  enabled: boolean;
  created: number;
  updated: number;
  expiresOn?: Date;
  notBefore?: Date;
  contentType?: string;
  tags: Record<string, string>;
}

interface Stored {
  name: string;
  /** Oldest first. */
  versions: Version[];
  deleted?: { deletedOn: Date; scheduledPurgeDate: Date };
}

const RETENTION_DAYS = 90;
const NAME = /^[0-9a-zA-Z-]{1,127}$/;
const MAX_TAGS = 15;
/** Key Vault keeps times in whole seconds. */
const nowSeconds = () => Math.floor(Date.now() / 1000) * 1000;

export class InMemorySecretStore implements SecretStore {
  readonly calls: { method: Method; vault: string; name?: string }[] = [];
  private readonly vaults = new Map<string, Map<string, Stored>>();
  private readonly forbidden = new Map<string, Set<SecretPermission>>();
  private readonly throttles = new Map<string, { times: number; retryAfterSeconds: number }>();
  private readonly outages = new Map<string, number>();
  private readonly failures: { method?: Method; error: unknown; times: number }[] = [];

  private readonly retry: { maxRetries: number; maxRetryAfterMs: number };

  constructor(options: { vaults: string[]; retry?: { maxRetries: number; maxRetryAfterMs: number } }) {
    for (const v of options.vaults) this.vaults.set(key(v), new Map());
    this.retry = options.retry ?? DEFAULT_KEY_VAULT_RETRY;
  }

  /** The bot's identity lacks `permission` on `vault` (undefined: give every permission back). */
  forbid(vault: string, permission: SecretPermission | undefined): void {
    if (!permission) this.forbidden.delete(key(vault));
    else this.forbidden.set(key(vault), new Set([...(this.forbidden.get(key(vault)) ?? []), permission]));
  }

  /** The next `times` requests to `vault` are answered 429 with this Retry-After. */
  throttle(vault: string, fault: { times: number; retryAfterSeconds: number }): void {
    this.throttles.set(key(vault), { ...fault });
  }

  /** The next `times` requests to `vault` are answered 503. */
  fail(vault: string, times: number): void {
    this.outages.set(key(vault), times);
  }

  /** Every permission back, no throttling, no outage, no injected failure. */
  clearFaults(): void {
    this.forbidden.clear();
    this.throttles.clear();
    this.outages.clear();
    this.failures.length = 0;
  }

  /** The next `times` calls (of `method`, or any) reject with `error` and change nothing. */
  failNext(error: unknown, options: { method?: Method; times?: number } = {}): void {
    this.failures.push({ error, method: options.method, times: options.times ?? 1 });
  }

  /** How many values the vault holds (every version), for tests; never the values. */
  versionCount(vault: string, name: string): number {
    return this.vaults.get(key(vault))?.get(name.toLowerCase())?.versions.length ?? 0;
  }

  async setSecret(vault: string, name: string, secret: NewSecretVersion): Promise<SecretProperties> {
    const secrets = this.enter('setSecret', vault, 'secrets/set', name);
    if (!NAME.test(name)) throw new DomainError('UPSTREAM.FAILED', `Key Vault ${vault} refused secrets/set on ${name}: The request URI contains an invalid name: ${name}`, { service: 'key-vault', vault, name, status: 400 });
    if (Object.keys(secret.tags).length > MAX_TAGS) throw new DomainError('UPSTREAM.FAILED', `Key Vault ${vault} refused secrets/set on ${name}: A maximum of ${MAX_TAGS} tags is allowed.`, { service: 'key-vault', vault, name, status: 400 });
    const existing = secrets.get(name.toLowerCase());
    if (existing?.deleted) throw new DomainError('SECRETS.SOFT_DELETED', `Key Vault ${vault} holds ${name} as a deleted secret: recover or purge it first.`, { service: 'key-vault', vault, name });
    const t = nowSeconds();
    const version: Version = {
      version: randomBytes(16).toString('hex'),
      value: secret.value,
      enabled: true,
      created: t,
      updated: t,
      ...(secret.expiresOn ? { expiresOn: seconds(secret.expiresOn) } : {}),
      ...(secret.notBefore ? { notBefore: seconds(secret.notBefore) } : {}),
      ...(secret.contentType ? { contentType: secret.contentType } : {}),
      tags: { ...secret.tags },
    };
    const stored = existing ?? { name, versions: [] };
    stored.versions.push(version);
    secrets.set(name.toLowerCase(), stored);
    return props(vault, stored, version);
  }

  async getProperties(vault: string, name: string): Promise<SecretProperties | null> {
    const s = this.enter('getProperties', vault, 'secrets/get', name).get(name.toLowerCase());
    return s && !s.deleted ? props(vault, s, s.versions.at(-1)!) : null;
  }

  async listVersions(vault: string, name: string): Promise<SecretProperties[]> {
    const s = this.live(this.enter('listVersions', vault, 'secrets/list', name), vault, name);
    return [...s.versions].reverse().map((v) => props(vault, s, v));
  }

  async listSecrets(vault: string, prefix = ''): Promise<SecretProperties[]> {
    const secrets = this.enter('listSecrets', vault, 'secrets/list');
    const found = [...secrets.values()].filter((s) => !s.deleted && s.name.toLowerCase().startsWith(prefix.toLowerCase()));
    // The adapter reads each listed secret's latest version: that needs secrets/get.
    if (found.length && this.forbidden.get(key(vault))?.has('secrets/get')) throw forbiddenError(vault, 'secrets/get', found[0]!.name);
    return found.map((s) => props(vault, s, s.versions.at(-1)!)).sort((a, b) => a.name.localeCompare(b.name));
  }

  async updateProperties(vault: string, name: string, version: string, change: { enabled?: boolean; expiresOn?: Date; tags?: Record<string, string> }): Promise<SecretProperties> {
    const s = this.live(this.enter('updateProperties', vault, 'secrets/update', name), vault, name);
    const v = s.versions.find((x) => x.version === version.toLowerCase());
    if (!v) throw notFound(vault, name);
    if (change.enabled !== undefined) v.enabled = change.enabled;
    if (change.expiresOn) v.expiresOn = seconds(change.expiresOn);
    if (change.tags) v.tags = { ...change.tags };
    v.updated = nowSeconds();
    return props(vault, s, v);
  }

  async deleteSecret(vault: string, name: string): Promise<DeletedSecret> {
    const s = this.enter('deleteSecret', vault, 'secrets/delete', name).get(name.toLowerCase());
    if (!s) throw notFound(vault, name);
    if (!s.deleted) {
      const deletedOn = new Date(nowSeconds());
      s.deleted = { deletedOn, scheduledPurgeDate: new Date(deletedOn.getTime() + RETENTION_DAYS * 86_400_000) };
    }
    return deletedOf(vault, s);
  }

  async getDeleted(vault: string, name: string): Promise<DeletedSecret | null> {
    const s = this.enter('getDeleted', vault, 'secrets/list', name).get(name.toLowerCase());
    return s?.deleted ? deletedOf(vault, s) : null;
  }

  async recoverSecret(vault: string, name: string): Promise<SecretProperties> {
    const s = this.enter('recoverSecret', vault, 'secrets/recover', name).get(name.toLowerCase());
    if (!s) throw notFound(vault, name);
    s.deleted = undefined;
    return props(vault, s, s.versions.at(-1)!);
  }

  /** Records the call, then fails it as the vault would (in the adapter's order), else gives the vault's secrets. */
  private enter(method: Method, vault: string, permission: SecretPermission, name?: string): Map<string, Stored> {
    this.calls.push({ method, vault, ...(name !== undefined ? { name } : {}) });
    const index = this.failures.findIndex((f) => !f.method || f.method === method);
    if (index >= 0) {
      const f = this.failures[index]!;
      if (--f.times <= 0) this.failures.splice(index, 1);
      throw f.error;
    }
    const k = key(vault);
    const secrets = this.vaults.get(k);
    if (!secrets) throw new DomainError('SECRETS.VAULT_UNREACHABLE', `Key Vault ${vault} did not answer ${permission} (ENOTFOUND).`, { service: 'key-vault', vault, reason: 'ENOTFOUND', ...(name ? { name } : {}) });
    const throttle = this.throttles.get(k);
    if (throttle) {
      // The adapter waits a short Retry-After up to maxRetries times; a long one it never waits.
      const waits = throttle.retryAfterSeconds * 1000 <= this.retry.maxRetryAfterMs;
      const attempts = waits ? this.retry.maxRetries + 1 : 1;
      const used = Math.min(attempts, throttle.times);
      throttle.times -= used;
      if (throttle.times <= 0) this.throttles.delete(k);
      if (!waits || used === attempts) {
        throw new DomainError('UPSTREAM.THROTTLED', `Key Vault ${vault} is throttling requests (${permission}).`, { service: 'key-vault', vault, retryAfterSeconds: throttle.retryAfterSeconds, ...(name ? { name } : {}) });
      }
    }
    const outage = this.outages.get(k);
    if (outage) {
      const used = Math.min(this.retry.maxRetries + 1, outage);
      if (outage - used <= 0) this.outages.delete(k);
      else this.outages.set(k, outage - used);
      if (used === this.retry.maxRetries + 1) throw new DomainError('UPSTREAM.UNAVAILABLE', `Key Vault ${vault} failed ${permission} (503).`, { service: 'key-vault', vault, status: 503, ...(name ? { name } : {}) });
    }
    if (this.forbidden.get(k)?.has(permission)) throw forbiddenError(vault, permission, name);
    return secrets;
  }

  private live(secrets: Map<string, Stored>, vault: string, name: string): Stored {
    const s = secrets.get(name.toLowerCase());
    if (!s || s.deleted) throw notFound(vault, name);
    return s;
  }
}

const key = (vault: string): string => new URL(vault).origin.toLowerCase();
const seconds = (d: Date): Date => new Date(Math.floor(d.getTime() / 1000) * 1000);

function props(vault: string, s: Stored, v: Version): SecretProperties {
  return {
    vault,
    name: s.name,
    version: v.version,
    enabled: v.enabled,
    createdOn: new Date(v.created),
    updatedOn: new Date(v.updated),
    ...(v.expiresOn ? { expiresOn: new Date(v.expiresOn) } : {}),
    ...(v.notBefore ? { notBefore: new Date(v.notBefore) } : {}),
    ...(v.contentType ? { contentType: v.contentType } : {}),
    tags: { ...v.tags },
  };
}

function deletedOf(vault: string, s: Stored): DeletedSecret {
  return { vault, name: s.name, deletedOn: new Date(s.deleted!.deletedOn), scheduledPurgeDate: new Date(s.deleted!.scheduledPurgeDate) };
}

function notFound(vault: string, name: string): DomainError {
  return new DomainError('SECRETS.NOT_FOUND', `Key Vault ${vault} has no secret ${name}.`, { service: 'key-vault', vault, name });
}

function forbiddenError(vault: string, permission: SecretPermission, name?: string): DomainError {
  return new DomainError('SECRETS.VAULT_FORBIDDEN', `Key Vault ${vault} refused ${permission} to the bot's identity (403 ForbiddenByRbac).`, {
    service: 'key-vault',
    vault,
    ...(name ? { name } : {}),
    permission,
    dataAction: PERMISSIONS[permission],
    status: 403,
  });
}
