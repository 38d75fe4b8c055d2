/** KEY_VAULT_LAYOUT / KEY_VAULT_URLS / KEY_VAULT_URL_TEMPLATE, and which vault a service's secret of an environment goes to. */
import { ConfigError, loadConfig, withOverrides } from '../../src/config';
import { resolveVault, vaultLayoutOf } from '../../src/domain/secrets/vault-layout';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
};

describe('vault configuration', () => {
  test('per-environment by default, no vaults; KEY_VAULT_URLS parses env=url pairs (environments lower-cased, trailing slash dropped)', () => {
    expect(loadConfig({})).toMatchObject({ mode: 'sandbox', KEY_VAULT_LAYOUT: 'per-environment', KEY_VAULT_URLS: {}, KEY_VAULT_POLL_INTERVAL_MS: 1000 });
    const config = loadConfig({ BOT_MODE: 'test', KEY_VAULT_URLS: ' dev=https://kv-dev.vault.azure.net/ , PROD=https://kv-prod.vault.azure.net' });
    expect(config.KEY_VAULT_URLS).toEqual({ dev: 'https://kv-dev.vault.azure.net', prod: 'https://kv-prod.vault.azure.net' });
  });

  test('KEY_VAULT_URLS alone selects production mode, like KEY_VAULT_URL', () => {
    expect(problemsOf({ KEY_VAULT_URLS: 'dev=https://kv-dev.vault.azure.net' })).toContain('MicrosoftAppId: required in production mode');
  });

  test('a malformed pair, a non-https vault, an environment twice and a template without its placeholders are each a problem', () => {
    expect(problemsOf({ BOT_MODE: 'test', KEY_VAULT_URLS: 'dev' })).toEqual([expect.stringMatching(/^KEY_VAULT_URLS: "dev" is not env=url/)]);
    expect(problemsOf({ BOT_MODE: 'test', KEY_VAULT_URLS: 'dev=http://kv-dev.vault.azure.net' })).toEqual([expect.stringMatching(/the vault of dev is not an https URL/)]);
    expect(problemsOf({ BOT_MODE: 'test', KEY_VAULT_URLS: 'dev=https://a.vault.azure.net,DEV=https://b.vault.azure.net' })).toEqual([expect.stringMatching(/environment dev is listed twice/)]);
    expect(problemsOf({ BOT_MODE: 'test', KEY_VAULT_URL_TEMPLATE: 'https://kv-{service}.vault.azure.net' })).toEqual([expect.stringMatching(/^KEY_VAULT_URL_TEMPLATE: must be an https URL containing \{service\} and \{env\}/)]);
    expect(problemsOf({ BOT_MODE: 'test', KEY_VAULT_LAYOUT: 'per-team' })).toEqual([expect.stringMatching(/^KEY_VAULT_LAYOUT/)]);
  });

  test('production with the per-service-environment layout needs the template', () => {
    expect(problemsOf({ BOT_MODE: 'production', KEY_VAULT_LAYOUT: 'per-service-environment' })).toContain('KEY_VAULT_URL_TEMPLATE: required with KEY_VAULT_LAYOUT=per-service-environment');
  });

  test('the sandbox overlay goes through the same schema', () => {
    const config = withOverrides(loadConfig({}), { KEY_VAULT_URLS: 'dev=https://127.0.0.1:4001,prod=https://127.0.0.1:4003' });
    expect(config.KEY_VAULT_URLS).toEqual({ dev: 'https://127.0.0.1:4001', prod: 'https://127.0.0.1:4003' });
  });
});

describe('resolveVault', () => {
  const perEnv = vaultLayoutOf({ KEY_VAULT_LAYOUT: 'per-environment', KEY_VAULT_URLS: { dev: 'https://kv-dev.vault.azure.net', prod: 'https://kv-prod.vault.azure.net/' }, KEY_VAULT_URL: 'https://kv-idp.vault.azure.net' });

  test('per-environment: the environment\'s vault, whatever the service; an unlisted environment has none (no fallback once a list exists)', () => {
    expect(resolveVault(perEnv, 'payments-api', 'PROD')).toEqual({ url: 'https://kv-prod.vault.azure.net' });
    expect(resolveVault(perEnv, 'search-api', 'dev')).toEqual({ url: 'https://kv-dev.vault.azure.net' });
    expect(resolveVault(perEnv, 'payments-api', 'staging')).toEqual({ reason: 'no vault is configured for environment staging (configured: dev, prod)' });
  });

  test('per-environment with only KEY_VAULT_URL: one vault for every environment; with nothing: no vault', () => {
    const single = vaultLayoutOf({ KEY_VAULT_LAYOUT: 'per-environment', KEY_VAULT_URLS: {}, KEY_VAULT_URL: 'https://kv-idp.vault.azure.net' });
    expect(resolveVault(single, 'payments-api', 'staging')).toMatchObject({ url: 'https://kv-idp.vault.azure.net' });
    expect(resolveVault(vaultLayoutOf({ KEY_VAULT_LAYOUT: 'per-environment', KEY_VAULT_URLS: {} }), 'a', 'dev')).toEqual({ reason: 'no vault is configured' });
  });

  test('per-service-environment: the template filled in; a vault name Azure would refuse is a reason', () => {
    const layout = vaultLayoutOf({ KEY_VAULT_LAYOUT: 'per-service-environment', KEY_VAULT_URLS: {}, KEY_VAULT_URL_TEMPLATE: 'https://kv-{service}-{env}.vault.azure.net' });
    expect(resolveVault(layout, 'Payments-API', 'prod')).toEqual({ url: 'https://kv-payments-api-prod.vault.azure.net' });
    expect(resolveVault(layout, 'customer-notifications', 'staging')).toEqual({ reason: expect.stringContaining('"kv-customer-notifications-staging" is not a valid vault name') });
    expect(resolveVault(layout, 'pay-', 'dev')).toEqual({ reason: expect.stringContaining('"kv-pay--dev" is not a valid vault name') });
  });
});
