import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, describeConfig, loadConfig, withOverrides } from '../../src/config';

describe('configuration', () => {
  test('.env.example documents every key of the schema', () => {
    const example = readFileSync(path.join(__dirname, '../../.env.example'), 'utf8');
    const documented = new Set([...example.matchAll(/^([A-Za-z_]+)=/gm)].map((m) => m[1]));
    const missing = describeConfig().map((k) => k.key).filter((k) => !documented.has(k));
    expect(missing).toEqual([]);
  });

  test('every key has a description', () => {
    expect(describeConfig().filter((k) => !k.description)).toEqual([]);
  });

  test('no Azure settings: sandbox with defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ mode: 'sandbox', PORT: 3978, MAX_BODY_BYTES: 262144, ALLOWED_TENANT_IDS: [] });
    expect(Object.isFrozen(config)).toBe(true);
  });

  test('an Azure setting selects production, which lists every missing or invalid key at once', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({ KEY_VAULT_URL: 'https://kv.vault.azure.net', PORT: 'eighty', MicrosoftAppType: 'SingleTenant' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = error!.problems.join('\n');
    for (const key of ['PORT', 'MicrosoftAppId', 'MONGODB_URI', 'AZURE_DEVOPS_ORG_URL', 'AZURE_DEVOPS_PAT', 'AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'MicrosoftAppTenantId'])
      expect(text).toContain(key);
    expect(error!.message.split('\n')[0]).toBe('Invalid configuration:');
  });

  test('a complete production configuration loads', () => {
    const config = loadConfig({
      MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw', MONGODB_URI: 'mongodb://db', AZURE_DEVOPS_ORG_URL: 'https://dev.azure.com/contoso',
      AZURE_DEVOPS_PAT: 'pat', KEY_VAULT_URL: 'https://kv.vault.azure.net', AZURE_SUBSCRIPTION_ID: 'sub', KEY_VAULT_RESOURCE_GROUP: 'rg', AZURE_TENANT_ID: 't', AZURE_CLIENT_ID: 'c',
      ALLOWED_TENANT_IDS: 't1, t2', AZURE_DEVOPS_PROJECTS: 'Payments,Search',
    });
    expect(config.mode).toBe('production');
    expect(config.ALLOWED_TENANT_IDS).toEqual(['t1', 't2']);
    expect(config.AZURE_DEVOPS_PROJECTS).toEqual(['Payments', 'Search']);
  });

  test('HEALTH_*: every rule runs by default with 12 months / 90 days; rule ids in any case; an unknown id is a problem naming the ids', () => {
    expect(loadConfig({})).toMatchObject({ HEALTH_RULES_DISABLED: [], HEALTH_DESCRIPTOR_STALE_MONTHS: 12, HEALTH_DEPLOYMENT_STALE_DAYS: 90, HEALTH_RUN_EVERY_HOURS: 24, HEALTH_RUNS_KEPT: 30 });
    expect(loadConfig({ HEALTH_RULES_DISABLED: 'Descriptor-Stale, deployment-stale' }).HEALTH_RULES_DISABLED).toEqual(['descriptor-stale', 'deployment-stale']);
    expect(() => loadConfig({ HEALTH_RULES_DISABLED: 'owner-missing,no-such-rule' })).toThrow(/HEALTH_RULES_DISABLED: unknown rule id\(s\) no-such-rule; rules are owner-missing, /);
    expect(() => loadConfig({ HEALTH_DESCRIPTOR_STALE_MONTHS: '0' })).toThrow(/HEALTH_DESCRIPTOR_STALE_MONTHS/);
  });

  test('CATALOG_FACT_KINDS: Component and Resource by default; any case; an unknown kind is a problem', () => {
    expect(loadConfig({}).CATALOG_FACT_KINDS).toEqual([]);
    expect(loadConfig({ CATALOG_FACT_KINDS: 'component, resource,API' }).CATALOG_FACT_KINDS).toEqual(['Component', 'Resource', 'API']);
    expect(() => loadConfig({ CATALOG_FACT_KINDS: 'Component,Service' })).toThrow(/CATALOG_FACT_KINDS: unknown kind\(s\) Service/);
  });

  test('AZURE_DEVOPS_ENTITLEMENTS_URL: derived as the vsaex host of a dev.azure.com organisation, kept when set', () => {
    const production = { MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw', MONGODB_URI: 'mongodb://db', AZURE_DEVOPS_PAT: 'pat', AZURE_TENANT_ID: 't', AZURE_CLIENT_ID: 'c' };
    expect(loadConfig({ ...production, AZURE_DEVOPS_ORG_URL: 'https://dev.azure.com/contoso' }).AZURE_DEVOPS_ENTITLEMENTS_URL).toBe('https://vsaex.dev.azure.com/contoso');
    expect(loadConfig({ ...production, AZURE_DEVOPS_ORG_URL: 'https://dev.azure.com/contoso/' }).AZURE_DEVOPS_ENTITLEMENTS_URL).toBe('https://vsaex.dev.azure.com/contoso');
    expect(loadConfig({ ...production, AZURE_DEVOPS_ORG_URL: 'https://contoso.visualstudio.com' }).AZURE_DEVOPS_ENTITLEMENTS_URL).toBe('https://contoso.vsaex.visualstudio.com');
    const named = { ...production, AZURE_DEVOPS_ORG_URL: 'https://dev.azure.com/contoso', AZURE_DEVOPS_ENTITLEMENTS_URL: 'https://vsaex.example/contoso' };
    expect(loadConfig(named).AZURE_DEVOPS_ENTITLEMENTS_URL).toBe('https://vsaex.example/contoso');
  });

  test('the secrets settings in production: all or none, naming what is missing', () => {
    const production = { MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw', MONGODB_URI: 'mongodb://db', AZURE_DEVOPS_PAT: 'pat', AZURE_TENANT_ID: 't', AZURE_CLIENT_ID: 'c', AZURE_DEVOPS_ORG_URL: 'https://dev.azure.com/contoso' };
    expect(loadConfig(production).mode).toBe('production');
    const all = { ...production, KEY_VAULT_URLS: 'dev=https://kv-dev.vault.azure.net', AZURE_SUBSCRIPTION_ID: 'sub', KEY_VAULT_RESOURCE_GROUP: 'rg' };
    expect(loadConfig(all).AZURE_SUBSCRIPTION_ID).toBe('sub');
    const partial = () => loadConfig({ ...production, KEY_VAULT_URLS: 'dev=https://kv-dev.vault.azure.net' });
    expect(partial).toThrow(/AZURE_SUBSCRIPTION_ID: required in production mode for the secrets commands/);
    expect(partial).toThrow(/KEY_VAULT_RESOURCE_GROUP: required/);
    expect(() => loadConfig({ ...production, AZURE_SUBSCRIPTION_ID: 'sub', KEY_VAULT_RESOURCE_GROUP: 'rg' })).toThrow(/KEY_VAULT_URLS \(or KEY_VAULT_URL \/ KEY_VAULT_URL_TEMPLATE\): required/);
  });

  test('AZURE_DEVOPS_ENTITLEMENTS_URL: required in production when the org URL is not dev.azure.com; the sandbox overlay names it', () => {
    const production = { MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw', MONGODB_URI: 'mongodb://db', AZURE_DEVOPS_PAT: 'pat', AZURE_TENANT_ID: 't', AZURE_CLIENT_ID: 'c' };
    expect(() => loadConfig({ ...production, AZURE_DEVOPS_ORG_URL: 'https://tfs.contoso.com/DefaultCollection' })).toThrow(/AZURE_DEVOPS_ENTITLEMENTS_URL: required in production/);
    expect(loadConfig({ ...production, AZURE_DEVOPS_ORG_URL: 'https://tfs.contoso.com/DefaultCollection', AZURE_DEVOPS_ENTITLEMENTS_URL: 'https://tfs.contoso.com/DefaultCollection' }).mode).toBe('production');
    expect(loadConfig({ BOT_MODE: 'test', AZURE_DEVOPS_ORG_URL: 'http://127.0.0.1:9/contoso' }).AZURE_DEVOPS_ENTITLEMENTS_URL).toBeUndefined();
    const sandbox = withOverrides(loadConfig({}), { AZURE_DEVOPS_ORG_URL: 'http://127.0.0.1:9/contoso', AZURE_DEVOPS_ENTITLEMENTS_URL: 'http://127.0.0.2:10/contoso' });
    expect(sandbox.AZURE_DEVOPS_ENTITLEMENTS_URL).toBe('http://127.0.0.2:10/contoso');
    expect(withOverrides(sandbox, { AZURE_DEVOPS_ORG_URL: 'https://dev.azure.com/fabrikam' }).AZURE_DEVOPS_ENTITLEMENTS_URL).toBe('https://vsaex.dev.azure.com/fabrikam');
  });

  test('overrides go through the same schema (lists stay lists)', () => {
    const config = withOverrides(loadConfig({}), { AZURE_DEVOPS_PROJECTS: 'A,B', PORT: '1234' });
    expect(config.AZURE_DEVOPS_PROJECTS).toEqual(['A', 'B']);
    expect(config.PORT).toBe(1234);
    expect(config.mode).toBe('sandbox');
  });
});
