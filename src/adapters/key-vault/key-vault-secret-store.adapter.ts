/**
 * SecretStore on Azure Key Vault with the real SecretClient (one per vault URL, cached) and the
 * bot's TokenCredential. Values go in (setSecret) and never come back: a pipeline policy removes
 * `value` from every answer, so properties are all this adapter ever reads. Failures become
 * DomainErrors (key-vault-failures.ts). Retries are bounded (see KeyVaultRetryOptions): the SDK's
 * own retry policy, with its Retry-After wait capped.
 */
import type { TokenCredential } from '@azure/identity';
import { SecretClient, type SecretClientOptions, type SecretProperties as SdkSecretProperties, type DeletedSecret as SdkDeletedSecret } from '@azure/keyvault-secrets';
import type { DeletedSecret, NewSecretVersion, SecretProperties, SecretStore } from '../../domain/secrets/secret-store.port';
import { innerCodeOf, statusOf, toDomainError, type SecretPermission } from './key-vault-failures';
import type { UpstreamRecorder } from '../../domain/metrics/instruments.port';
import { requestTimingEntry } from '../azure-core/request-timing-policy';
import { keyVaultPolicies } from './key-vault-pipeline';

export interface KeyVaultRetryOptions {
  /** Retries after the first attempt (429 with Retry-After, 408/5xx, dropped or refused connections). */
  maxRetries: number;
  /** Exponential backoff of 5xx and transport retries: first delay and ceiling. */
  retryDelayInMs: number;
  maxRetryDelayInMs: number;
  /** A Retry-After longer than this is not waited: the call fails at once with UPSTREAM.THROTTLED. */
  maxRetryAfterMs: number;
}

export interface KeyVaultSecretStoreOptions {
  credential: TokenCredential;
  /** Extra SecretClient options: the sandbox's `tlsOptions` and `disableChallengeResourceVerification`. */
  clientOptions?: Pick<SecretClientOptions, 'tlsOptions' | 'disableChallengeResourceVerification'>;
  retry?: Partial<KeyVaultRetryOptions>;
  /** One attempt's limit (the SDK has none). Default 10 s. */
  requestTimeoutMs?: number;
  /** How often a delete or recover is checked until Key Vault finishes it (0 in tests). Default 1 s. */
  pollIntervalMs?: number;
  /** Parallel reads when listing (one read per secret for its latest version). Default 4. */
  listConcurrency?: number;
  /** Called once per HTTP attempt (the authentication challenge's 401 included) with its status and seconds. */
  onRequest?: UpstreamRecorder;
}

export const DEFAULT_KEY_VAULT_RETRY: KeyVaultRetryOptions = { maxRetries: 2, retryDelayInMs: 300, maxRetryDelayInMs: 2_000, maxRetryAfterMs: 3_000 };

export class KeyVaultSecretStore implements SecretStore {
  private readonly clients = new Map<string, SecretClient>();
  private readonly retry: KeyVaultRetryOptions;
  private readonly pollIntervalMs: number;

  constructor(private readonly options: KeyVaultSecretStoreOptions) {
    this.retry = { ...DEFAULT_KEY_VAULT_RETRY, ...options.retry };
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
  }

  async setSecret(vault: string, name: string, secret: NewSecretVersion): Promise<SecretProperties> {
    const text = secret.value.reveal();
    const set = await this.call({ vault, permission: 'secrets/set', name, secretText: text }, (c) =>
      c.setSecret(name, text, {
        tags: secret.tags,
        ...(secret.expiresOn ? { expiresOn: secret.expiresOn } : {}),
        ...(secret.notBefore ? { notBefore: secret.notBefore } : {}),
        ...(secret.contentType ? { contentType: secret.contentType } : {}),
      }),
    );
    return toProperties(vault, set.properties);
  }

  async getProperties(vault: string, name: string): Promise<SecretProperties | null> {
    try {
      // GET secret is the one call that names the latest version; its value is dropped in the pipeline.
      const got = await this.call({ vault, permission: 'secrets/get', name }, (c) => c.getSecret(name), { raw: true });
      return toProperties(vault, got.properties);
    } catch (e) {
      if (statusOf(e) === 404) return null;
      // A disabled latest version cannot be read; its properties can be listed.
      if (statusOf(e) === 403 && innerCodeOf(e) === 'SecretDisabled') return (await this.listVersions(vault, name))[0] ?? null;
      throw toDomainError(e, { vault, permission: 'secrets/get', name });
    }
  }

  async listVersions(vault: string, name: string): Promise<SecretProperties[]> {
    const versions = await this.call({ vault, permission: 'secrets/list', name }, async (c) => {
      const all: SdkSecretProperties[] = [];
      for await (const p of c.listPropertiesOfSecretVersions(name)) all.push(p);
      return all;
    });
    // Key Vault lists oldest first, with creation times in whole seconds: newest first, ties by list order.
    return versions
      .map((p, i) => ({ p: toProperties(vault, p), i }))
      .sort((a, b) => (b.p.createdOn?.getTime() ?? 0) - (a.p.createdOn?.getTime() ?? 0) || b.i - a.i)
      .map(({ p }) => p);
  }

  async listSecrets(vault: string, prefix = ''): Promise<SecretProperties[]> {
    const wanted = prefix.toLowerCase();
    const names = await this.call({ vault, permission: 'secrets/list' }, async (c) => {
      const found: string[] = [];
      for await (const p of c.listPropertiesOfSecrets()) if (p.name.toLowerCase().startsWith(wanted)) found.push(p.name);
      return found;
    });
    // A listed item has no version id: each secret's latest is read (value dropped), a few at a time.
    const results: (SecretProperties | null)[] = new Array(names.length).fill(null);
    let next = 0;
    const worker = async () => {
      while (next < names.length) {
        const i = next++;
        results[i] = await this.getProperties(vault, names[i]!);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.listConcurrency ?? 4, names.length) }, worker));
    return results.filter((p): p is SecretProperties => p !== null).sort((a, b) => a.name.localeCompare(b.name));
  }

  async updateProperties(vault: string, name: string, version: string, change: { enabled?: boolean; expiresOn?: Date; tags?: Record<string, string> }): Promise<SecretProperties> {
    const updated = await this.call({ vault, permission: 'secrets/update', name }, (c) =>
      c.updateSecretProperties(name, version, {
        ...(change.enabled !== undefined ? { enabled: change.enabled } : {}),
        ...(change.expiresOn ? { expiresOn: change.expiresOn } : {}),
        ...(change.tags ? { tags: change.tags } : {}),
      }),
    );
    return toProperties(vault, updated);
  }

  async deleteSecret(vault: string, name: string): Promise<DeletedSecret> {
    try {
      const deleted = await this.call({ vault, permission: 'secrets/delete', name }, async (c) => (await c.beginDeleteSecret(name, { intervalInMs: this.pollIntervalMs })).pollUntilDone(), { raw: true });
      return toDeleted(vault, name, deleted);
    } catch (e) {
      // Deleted already (a retried or double-clicked delete): the deleted secret is the answer.
      if (statusOf(e) === 404) {
        const already = await this.getDeleted(vault, name);
        if (already) return already;
      }
      throw toDomainError(e, { vault, permission: 'secrets/delete', name });
    }
  }

  async getDeleted(vault: string, name: string): Promise<DeletedSecret | null> {
    try {
      return toDeleted(vault, name, await this.call({ vault, permission: 'secrets/list', name }, (c) => c.getDeletedSecret(name), { raw: true }));
    } catch (e) {
      if (statusOf(e) === 404) return null;
      throw toDomainError(e, { vault, permission: 'secrets/list', name });
    }
  }

  /** Recovers a deleted secret; a live one is left as it is (the SDK's poller reads it first). */
  async recoverSecret(vault: string, name: string): Promise<SecretProperties> {
    const recovered = await this.call({ vault, permission: 'secrets/recover', name }, async (c) => (await c.beginRecoverDeletedSecret(name, { intervalInMs: this.pollIntervalMs })).pollUntilDone());
    return toProperties(vault, recovered);
  }

  /** Runs one SDK call; `raw` leaves the error to the caller (which maps it after its own checks). */
  private async call<T>(ctx: { vault: string; permission: SecretPermission; name?: string; secretText?: string }, run: (client: SecretClient) => Promise<T>, opts: { raw?: boolean } = {}): Promise<T> {
    try {
      return await run(this.client(ctx.vault));
    } catch (e) {
      if (opts.raw) throw e;
      throw toDomainError(e, ctx);
    }
  }

  private client(vault: string): SecretClient {
    const key = new URL(vault).origin.toLowerCase();
    let client = this.clients.get(key);
    if (!client) {
      const { maxRetryAfterMs, ...retryOptions } = this.retry;
      client = new SecretClient(key, this.options.credential, {
        ...this.options.clientOptions,
        retryOptions,
        additionalPolicies: [
          ...(this.options.onRequest ? [requestTimingEntry(this.options.onRequest)] : []),
          ...keyVaultPolicies({ maxRetryAfterMs, requestTimeoutMs: this.options.requestTimeoutMs ?? 10_000 }),
        ],
      });
      this.clients.set(key, client);
    }
    return client;
  }
}

function toProperties(vault: string, p: SdkSecretProperties): SecretProperties {
  return {
    vault,
    name: p.name,
    version: p.version ?? '',
    enabled: p.enabled ?? true,
    ...(p.createdOn ? { createdOn: p.createdOn } : {}),
    ...(p.updatedOn ? { updatedOn: p.updatedOn } : {}),
    ...(p.expiresOn ? { expiresOn: p.expiresOn } : {}),
    ...(p.notBefore ? { notBefore: p.notBefore } : {}),
    ...(p.contentType ? { contentType: p.contentType } : {}),
    tags: { ...(p.tags ?? {}) },
  };
}

function toDeleted(vault: string, name: string, d: SdkDeletedSecret): DeletedSecret {
  return {
    vault,
    name: d.properties.name ?? name,
    ...(d.properties.deletedOn ? { deletedOn: d.properties.deletedOn } : {}),
    ...(d.properties.scheduledPurgeDate ? { scheduledPurgeDate: d.properties.scheduledPurgeDate } : {}),
  };
}
