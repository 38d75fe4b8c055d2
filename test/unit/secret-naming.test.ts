/** Secret names by convention and Key Vault's rules; generated values; the one-shot command. */
import { inspect } from 'node:util';
import { DEFAULT_NAME_CONVENTION, vaultSecretName } from '../../src/domain/secrets/secret-naming';
import { generateSecret } from '../../src/domain/secrets/secret-generator';
import { parseExpiry, parsePeriodDays, parseSecretText } from '../../src/domain/secrets/secret-request';
import { SecretValue } from '../../src/domain/secrets/secret-value';
import { vaultFor, type VaultTarget } from '../../src/domain/secrets/secret-vaults';

const name = (n: string, service = 'payments-api', env = 'dev') => vaultSecretName(DEFAULT_NAME_CONVENTION, { service, env, name: n });

describe('secret names', () => {
  it('follow <service>--<env>--<name>', () => {
    expect(name('db-password')).toEqual({ ok: true, vaultName: 'payments-api--dev--db-password' });
  });

  it.each([
    ['DB Password', ['contains spaces', 'contains upper case letters (the convention is lower case)'], 'db-password'],
    ['db_password', ['may only contain letters, digits and dashes (Key Vault rule)'], 'db-password'],
    ['db--password', ['contains "--", which separates service, environment and name'], 'db-password'],
    ['-db', ['starts or ends with a dash'], 'db'],
    ['pässwort', ['may only contain letters, digits and dashes (Key Vault rule)'], 'passwort'],
    ['', ['is empty'], undefined],
    ['x'.repeat(120), ['makes the stored name 139 characters long (Key Vault allows 127)'], 'x'.repeat(108)],
  ])('%j is refused with every reason and a valid name to try', (typed, reasons, suggestion) => {
    expect(name(typed)).toEqual({ ok: false, reasons, ...(suggestion ? { suggestion } : {}) });
  });
});

describe('generated values', () => {
  it('are random, of the configured length and alphabet, and print as [secret] everywhere', () => {
    const a = generateSecret(40);
    const b = generateSecret(40);
    expect(a.reveal()).toHaveLength(40);
    expect(a.reveal()).not.toBe(b.reveal());
    expect(generateSecret(64, 'ab').reveal()).toMatch(/^[ab]{64}$/);
    expect([String(a), `${a}`, JSON.stringify({ a }), inspect(a), inspect({ nested: { a } })].join(' ')).not.toContain(a.reveal());
    expect(JSON.stringify({ a })).toBe('{"a":"[secret]"}');
  });

  it('use every symbol about equally (no modulo bias)', () => {
    const counts = new Map<string, number>();
    for (const ch of generateSecret(1024, 'abc').reveal()) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    for (const n of counts.values()) expect(n).toBeGreaterThan(250);
  });

  it('refuse weak settings', () => {
    expect(() => generateSecret(8)).toThrow('length must be 16..1024');
    expect(() => generateSecret(20, 'a')).toThrow('2 to 256 distinct characters');
  });

  it('a SecretValue is not leaked by an Error either', () => {
    const v = new SecretValue('hunter2-canary');
    expect(new Error(`failed with ${v}`).message).toBe('failed with [secret]');
  });
});

describe('the one-shot command', () => {
  const COMMAND = /^\s*create\s+secret\b/i;
  it('reads keys and aliases, and never echoes a value pasted into chat', () => {
    expect(parseSecretText('create secret svc=payments-api environment=dev name=db-password expires=90d rotate=30d value=type', COMMAND)).toEqual({
      values: { service: 'payments-api', env: 'dev', name: 'db-password', expires: '90d', rotate: '30d', value: 'type' },
      problems: [],
    });
    const pasted = parseSecretText('create secret service=payments-api value=Sup3rS3cret!', COMMAND);
    expect(pasted.values.value).toBeUndefined();
    expect(pasted.problems.join(' ')).not.toContain('Sup3rS3cret');
    expect(pasted.problems[0]).toContain('a secret value is never typed into the chat');
  });

  it('reads expiry as a period or a date', () => {
    const now = new Date('2026-12-01T00:00:00Z');
    expect(parseExpiry('90d', now)).toEqual({ ok: true, at: new Date('2027-03-01T00:00:00Z') });
    expect(parseExpiry('2027-01-15', now)).toEqual({ ok: true, at: new Date('2027-01-15T00:00:00Z') });
    expect(parseExpiry('2026-11-01', now)).toEqual({ ok: false, reason: '2026-11-01 is in the past' });
    expect(parseExpiry('soon', now)).toEqual({ ok: false, reason: '"soon" is neither a period (90d, 12w, 6m, 1y) nor a date YYYY-MM-DD' });
    expect([parsePeriodDays('2w'), parsePeriodDays('6m'), parsePeriodDays('1y'), parsePeriodDays('x')]).toEqual([14, 180, 365, null]);
  });
});

describe('vault layout', () => {
  const arm = { subscriptionId: 'sub', resourceGroup: 'rg' };
  const environments = ['dev', 'staging', 'prod'];
  it('one vault per environment: access on the secret itself; the configured name wins over the host', () => {
    const settings = { layout: { kind: 'per-environment' as const, urls: { dev: 'https://kv-dev.vault.azure.net', prod: 'https://127.0.0.1:4443' } }, names: { prod: 'kv-prod' }, environments, arm };
    const v = vaultFor(settings, 'payments-api', 'dev') as VaultTarget;
    expect(v.name).toBe('kv-dev');
    expect(v.scopeFor('payments-api--dev--db')).toBe('/subscriptions/sub/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-dev/secrets/payments-api--dev--db');
    expect((vaultFor(settings, 'payments-api', 'prod') as VaultTarget).name).toBe('kv-prod');
    expect(vaultFor(settings, 'payments-api', 'staging')).toEqual({ reason: 'no vault is configured for environment staging (configured: dev, prod)' });
    expect(vaultFor(settings, 'payments-api', 'qa')).toEqual({ reason: '"qa" is not an environment (dev, staging, prod)' });
  });

  it('one vault per service and environment: access on the vault', () => {
    const v = vaultFor({ layout: { kind: 'per-service-environment', template: 'https://kv-{service}-{env}.vault.azure.net' }, names: {}, environments, arm }, 'payments', 'prod') as VaultTarget;
    expect(v.url).toBe('https://kv-payments-prod.vault.azure.net');
    expect(v.scopeFor('payments--prod--db')).toBe('/subscriptions/sub/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-payments-prod');
  });
});
