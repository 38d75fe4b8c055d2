/**
 * The sandbox's vaults: kv-dev, kv-staging, kv-prod, each its own https origin and its own state
 * file, named in the config overlay (KEY_VAULT_URLS); KEY_VAULT_URL stays the first (kv-dev).
 * A restart on the same data dir listens on the same ports and keeps each vault's secrets.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ClientSecretCredential } from '@azure/identity';
import { KeyVaultSecretStore } from '../../src/adapters/key-vault/key-vault-secret-store.adapter';
import { loadConfig, withOverrides } from '../../src/config';
import { SecretValue } from '../../src/domain/secrets/secret-value';
import { resolveVault, vaultLayoutOf } from '../../src/domain/secrets/vault-layout';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox';
import { sandboxClientOptions } from '../../src/sandbox/tls';

describe('sandbox vaults', () => {
  let dataDir: string;
  beforeAll(() => (dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-vaults-'))));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  const storeFor = (sandbox: Sandbox) => {
    const config = withOverrides(loadConfig({}), sandbox.configOverlay);
    const ca = fs.readFileSync(config.AZURE_EXTRA_CA_PATH!, 'utf8');
    const { tlsOptions } = sandboxClientOptions(ca);
    const credential = new ClientSecretCredential(config.AZURE_TENANT_ID!, config.AZURE_CLIENT_ID!, config.AZURE_CLIENT_SECRET!, { authorityHost: config.AZURE_AUTHORITY_HOST, disableInstanceDiscovery: true, tlsOptions });
    return { config, store: new KeyVaultSecretStore({ credential, clientOptions: { tlsOptions, disableChallengeResourceVerification: true }, pollIntervalMs: 0 }) };
  };

  it('serves one vault per environment from the overlay, and keeps each vault across a restart', async () => {
    const first = await startSandbox({ dataDir, mongoUri: 'mongodb://127.0.0.1:9/unused' });
    let urls: Record<string, string>;
    try {
      const { config, store } = storeFor(first);
      urls = config.KEY_VAULT_URLS;
      expect(Object.keys(urls).sort()).toEqual(['dev', 'prod', 'staging']);
      expect(new Set(Object.values(urls).map((u) => new URL(u).origin)).size).toBe(3);
      expect(config.KEY_VAULT_LAYOUT).toBe('per-environment');
      expect(config.KEY_VAULT_URL).toBe(urls.dev);
      expect(Object.fromEntries(Object.entries(first.vaults).map(([env, v]) => [env, [v.vaultName, v.baseUrl]]))).toEqual({
        dev: ['kv-dev', urls.dev], staging: ['kv-staging', urls.staging], prod: ['kv-prod', urls.prod],
      });

      const prod = resolveVault(vaultLayoutOf(config), 'payments-api', 'prod');
      expect(prod).toEqual({ url: urls.prod });
      await store.setSecret(urls.prod, 'payments-api--prod--db', { value: new SecretValue('prod-only'), tags: {} });
      expect(await store.getProperties(urls.dev, 'payments-api--prod--db')).toBeNull();
      expect(first.vaults.prod!.requests.filter((r) => r.method === 'PUT').map((r) => r.status)).toEqual([401, 200]);
      expect(first.vaults.dev!.requests.filter((r) => r.method === 'PUT')).toEqual([]);
    } finally {
      await first.stop();
    }
    expect(fs.readdirSync(path.join(dataDir, 'standins')).filter((f) => f.startsWith('key-vault')).sort()).toEqual(['key-vault-kv-prod.json', 'key-vault-kv-staging.json', 'key-vault.json']);

    const second = await startSandbox({ dataDir, mongoUri: 'mongodb://127.0.0.1:9/unused' });
    try {
      const { config, store } = storeFor(second);
      expect(config.KEY_VAULT_URLS).toEqual(urls);
      expect(await store.getProperties(urls.prod, 'payments-api--prod--db')).toMatchObject({ name: 'payments-api--prod--db' });
    } finally {
      await second.stop();
    }
  });
});
