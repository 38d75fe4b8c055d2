/**
 * The SecretStore contract against KeyVaultSecretStore: the real SecretClient and a real
 * ClientSecretCredential over https against the Entra stand-in and two Key Vault stand-ins (kv-dev,
 * kv-prod: one origin each, as every Azure vault is its own host). Then what only the adapter can
 * show: one client per vault, the bounded retry, dropped and unanswered connections, DNS, the
 * delete poller, and that no value comes back from the vault into this process.
 */
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { ClientSecretCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import type { SecretPermission } from '../../src/adapters/key-vault/key-vault-failures';
import { keyVaultPolicies } from '../../src/adapters/key-vault/key-vault-pipeline';
import { KeyVaultSecretStore, type KeyVaultRetryOptions } from '../../src/adapters/key-vault/key-vault-secret-store.adapter';
import { SecretValue } from '../../src/domain/secrets/secret-value';
import { DEMO_TENANT_ID } from '../../src/sandbox/seed/demo-org';
import { startIdentityStandIns, type IdentityStandIns } from '../../src/sandbox/standins/azure-identity-standins';
import type { KeyVaultSecretPermission, KeyVaultStandIn } from '../../src/sandbox/standins/key-vault.standin';
import { secretStoreContract } from '../contracts/secret-store.contract';
import { domainFailure } from '../helpers/domain-failure';

const CLIENT = { clientId: '11111111-0000-4000-8000-00000000b07a', clientSecret: 'kv-adapter-client-secret' };
const FAST: KeyVaultRetryOptions = { maxRetries: 2, retryDelayInMs: 5, maxRetryDelayInMs: 20, maxRetryAfterMs: 1_000 };
const UNREACHABLE = 'https://127.0.0.1:1';
const NAME = 'payments-api--prod--db-password';
const STANDIN_PERMISSION: Record<SecretPermission, KeyVaultSecretPermission> = {
  'secrets/set': 'set',
  'secrets/get': 'get',
  'secrets/list': 'list',
  'secrets/update': 'update',
  'secrets/delete': 'delete',
  'secrets/recover': 'recover',
};

let ids: IdentityStandIns;
let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kv-adapter-'));
  ids = await startIdentityStandIns({ dataDir, tenantId: DEMO_TENANT_ID, clients: [CLIENT], vaults: ['kv-dev', 'kv-prod'] });
});
afterAll(async () => {
  await ids?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const vault = (name: 'kv-dev' | 'kv-prod'): KeyVaultStandIn => ids.vaults[name]!;
const credential = () => new ClientSecretCredential(DEMO_TENANT_ID, CLIENT.clientId, CLIENT.clientSecret, ids.credentialOptions);
const adapter = (options: { retry?: Partial<KeyVaultRetryOptions>; requestTimeoutMs?: number } = {}) =>
  new KeyVaultSecretStore({ credential: credential(), clientOptions: ids.secretClientOptions, retry: { ...FAST, ...options.retry }, requestTimeoutMs: options.requestTimeoutMs ?? 5_000, pollIntervalMs: 0 });
const resetVaults = () => {
  for (const v of Object.values(ids.vaults)) {
    v.reset();
    v.requests.length = 0;
    v.clearFaults();
    v.denyPermissions(undefined);
  }
};
/** GET over https with the sandbox CA, as a person with curl --cacert would. */
const getText = (url: string) =>
  new Promise<string>((resolve, reject) => {
    https.get(url, { ca: ids.tls.caCertPem }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve(text));
    }).on('error', reject);
  });

secretStoreContract('KeyVaultSecretStore + stand-ins', async () => {
  resetVaults();
  const denied = new Map<KeyVaultStandIn, KeyVaultSecretPermission[]>();
  const standInOf = (url: string) => Object.values(ids.vaults).find((v) => v.baseUrl === url)!;
  return {
    store: adapter(),
    vaults: { dev: vault('kv-dev').baseUrl, prod: vault('kv-prod').baseUrl, unreachable: UNREACHABLE },
    forbid: (url, permissions) => {
      const v = standInOf(url);
      denied.set(v, [...(denied.get(v) ?? []), ...permissions.map((p) => STANDIN_PERMISSION[p])]);
      v.denyPermissions(denied.get(v));
    },
    throttle: (url, fault) => standInOf(url).addFault({ kind: 'status', status: 429, retryAfterSeconds: fault.retryAfterSeconds, times: fault.times }),
    fail: (url, times) => standInOf(url).addFault({ kind: 'status', status: 503, times }),
    clearFaults: () => {
      denied.clear();
      for (const v of Object.values(ids.vaults)) {
        v.clearFaults();
        v.denyPermissions(undefined);
      }
    },
    recorded: async () => {
      const parts: string[] = [JSON.stringify(ids.entra.requests)];
      for (const v of Object.values(ids.vaults)) parts.push(JSON.stringify(v.requests), await getText(`${v.baseUrl}/_standin/requests`), await getText(`${v.baseUrl}/_standin/state`));
      return parts.join('\n');
    },
    close: async () => undefined,
  };
});

describe('KeyVaultSecretStore against the Key Vault stand-ins', () => {
  beforeEach(resetVaults);
  const prod = () => vault('kv-prod').baseUrl;
  const dev = () => vault('kv-dev').baseUrl;
  const calls = (v: KeyVaultStandIn, method: string, p: RegExp) => v.requests.filter((r) => r.method === method && p.test(r.path));
  const secret = (text: string) => ({ value: new SecretValue(text), tags: { service: 'payments-api' } });

  it('uses one client per vault: each vault is challenged once, on its own origin, and gets the token', async () => {
    const store = adapter();
    await store.setSecret(prod(), NAME, secret('a'));
    await store.setSecret(prod(), NAME, secret('b'));
    await store.setSecret(dev(), NAME, secret('c'));
    await store.getProperties(`${dev()}/`, NAME); // the same vault, written another way
    for (const v of [vault('kv-prod'), vault('kv-dev')]) {
      expect(v.requests.filter((r) => r.status === 401)).toHaveLength(1);
      expect(v.requests.filter((r) => r.status === 200).every((r) => r.headers.authorization === 'Bearer [redacted]')).toBe(true);
    }
    expect(new URL(prod()).origin).not.toBe(new URL(dev()).origin);
    expect(vault('kv-prod').requests.map((r) => r.headers.host)).toEqual(expect.arrayContaining([new URL(prod()).host]));
  });

  it('sends tags, expiry and not-before as Key Vault attributes (seconds), and never reads a value back', async () => {
    const expiresOn = new Date(Math.floor(Date.now() / 1000 + 90 * 86_400) * 1000);
    await adapter().setSecret(prod(), NAME, { value: new SecretValue('the-value'), tags: { service: 'payments-api', environment: 'prod' }, expiresOn, notBefore: new Date(0), contentType: 'text/plain' });
    const put = calls(vault('kv-prod'), 'PUT', /^\/secrets\//).find((r) => r.status === 200)!;
    expect(put.body).toEqual({ value: '[redacted]', tags: { service: 'payments-api', environment: 'prod' }, contentType: 'text/plain', attributes: { exp: expiresOn.getTime() / 1000, nbf: 0 } });

    // The pipeline drops the value from every bundle the vault sends back (set and get both carry it).
    const raw = new SecretClient(prod(), credential(), { ...ids.secretClientOptions, additionalPolicies: keyVaultPolicies({ maxRetryAfterMs: 1000, requestTimeoutMs: 2000 }) });
    expect((await raw.getSecret(NAME)).value).toBeUndefined();
    expect((await raw.setSecret('other', 'x')).value).toBeUndefined();
    const names: string[] = [];
    for await (const p of raw.listPropertiesOfSecrets()) names.push(p.name); // a list page's `value` array is kept
    expect(names.sort()).toEqual(['other', NAME]);
    const plain = new SecretClient(prod(), credential(), ids.secretClientOptions);
    expect((await plain.getSecret(NAME)).value).toBe('the-value'); // (the check above can fail: without the policy the value comes back)
  });

  it('does not wait out a long Retry-After: one attempt, then UPSTREAM.THROTTLED with the seconds asked', async () => {
    vault('kv-prod').addFault({ kind: 'status', status: 429, retryAfterSeconds: 120, times: 5 });
    const e = await domainFailure(adapter().getProperties(prod(), NAME));
    expect(e).toMatchObject({ code: 'UPSTREAM.THROTTLED', details: { service: 'key-vault', vault: prod(), name: NAME, retryAfterSeconds: 120 } });
    expect(vault('kv-prod').requests.filter((r) => r.status === 429)).toHaveLength(1);
  });

  it('retries a short Retry-After at most maxRetries times, and 5xx with backoff the same', async () => {
    vault('kv-prod').addFault({ kind: 'status', status: 429, retryAfterSeconds: 0, times: 10 });
    expect((await domainFailure(adapter().listSecrets(prod()))).code).toBe('UPSTREAM.THROTTLED');
    expect(vault('kv-prod').requests.filter((r) => r.status === 429)).toHaveLength(FAST.maxRetries + 1);
    resetVaults();
    vault('kv-prod').addFault({ kind: 'status', status: 500, times: 10 });
    expect(await domainFailure(adapter().listSecrets(prod()))).toMatchObject({ code: 'UPSTREAM.UNAVAILABLE', details: expect.objectContaining({ status: 500 }) });
    expect(vault('kv-prod').requests.filter((r) => r.status === 500)).toHaveLength(FAST.maxRetries + 1);
  });

  it('dropped connections, an unanswered request, a refused port and an unknown host are SECRETS.VAULT_UNREACHABLE', async () => {
    const store = adapter({ requestTimeoutMs: 300 });
    await store.setSecret(prod(), NAME, secret('x')); // token and challenge done
    vault('kv-prod').addFault({ kind: 'drop', times: 10 });
    expect(await domainFailure(store.getProperties(prod(), NAME))).toMatchObject({ code: 'SECRETS.VAULT_UNREACHABLE', details: expect.objectContaining({ reason: 'ECONNRESET', vault: prod() }) });
    vault('kv-prod').clearFaults();
    vault('kv-prod').addFault({ kind: 'timeout', times: 1 });
    expect(await domainFailure(store.getProperties(prod(), NAME))).toMatchObject({ code: 'SECRETS.VAULT_UNREACHABLE', details: expect.objectContaining({ reason: 'timeout' }) });
    expect(await domainFailure(store.listSecrets(UNREACHABLE))).toMatchObject({ code: 'SECRETS.VAULT_UNREACHABLE', details: expect.objectContaining({ reason: 'ECONNREFUSED' }) });
    expect(await domainFailure(store.listSecrets('https://kv-nowhere.invalid'))).toMatchObject({ code: 'SECRETS.VAULT_UNREACHABLE', details: expect.objectContaining({ reason: expect.stringMatching(/^(ENOTFOUND|EAI_AGAIN)$/) }) });
  });

  it('a set whose answer was lost is retried: the secret exists, with one more version', async () => {
    const store = adapter();
    await store.setSecret(prod(), 'warm-up', secret('x')); // the challenge and token are behind us
    vault('kv-prod').addFault({ kind: 'drop', afterHandler: true, times: 1, method: 'PUT' });
    const set = await store.setSecret(prod(), NAME, secret('lost answer'));
    expect(calls(vault('kv-prod'), 'PUT', new RegExp(`^/secrets/${NAME}$`)).map((r) => r.status)).toEqual([0, 200]);
    expect((await store.listVersions(prod(), NAME)).map((v) => v.version)).toEqual([set.version, expect.any(String)]);
  });

  it('waits for the delete to complete (the poller reads the deleted secret) and names the vault and permission on 403', async () => {
    const store = adapter();
    await store.setSecret(prod(), NAME, secret('x'));
    await store.deleteSecret(prod(), NAME);
    expect(calls(vault('kv-prod'), 'GET', /^\/deletedsecrets\//).map((r) => r.status)).toEqual([200]);

    vault('kv-prod').denyPermissions(['recover']);
    const e = await domainFailure(store.recoverSecret(prod(), NAME));
    expect(e).toMatchObject({ code: 'SECRETS.VAULT_FORBIDDEN', details: { service: 'key-vault', vault: prod(), name: NAME, permission: 'secrets/recover', dataAction: 'Microsoft.KeyVault/vaults/secrets/recover/action', status: 403, serviceCode: 'ForbiddenByRbac' } });
    expect(e.message).toBe(`Key Vault ${prod()} refused secrets/recover on ${NAME} to the bot's identity (403 ForbiddenByRbac).`);
  });

  it('a refusal the service explains (too many tags) is UPSTREAM.FAILED with its reason, the value scrubbed from any text', async () => {
    const tags = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`t${i}`, 'x']));
    const e = await domainFailure(adapter().setSecret(prod(), NAME, { value: new SecretValue('v-123'), tags }));
    expect(e).toMatchObject({ code: 'UPSTREAM.FAILED', details: expect.objectContaining({ status: 400, reason: 'A maximum of 15 tags is allowed.' }) });
    expect(inspect(e, { showHidden: true, depth: 20 })).not.toContain('v-123');
  });

  it('an identity that cannot get a token is UPSTREAM.FORBIDDEN naming the AADSTS code, never the client secret', async () => {
    const wrong = new ClientSecretCredential(DEMO_TENANT_ID, CLIENT.clientId, 'not-the-secret', ids.credentialOptions);
    const store = new KeyVaultSecretStore({ credential: wrong, clientOptions: ids.secretClientOptions, retry: FAST, pollIntervalMs: 0 });
    const e = await domainFailure(store.getProperties(prod(), NAME));
    expect(e).toMatchObject({ code: 'UPSTREAM.FORBIDDEN', details: expect.objectContaining({ reason: 'AADSTS7000215' }) });
    expect(inspect(e, { showHidden: true, depth: 20 })).not.toContain('not-the-secret');
  });
});
