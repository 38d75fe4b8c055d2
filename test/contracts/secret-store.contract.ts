/**
 * What every SecretStore must do, run against the in-memory fake (test/unit/secret-store.contract.test.ts)
 * and against KeyVaultSecretStore + the Key Vault stand-ins (test/integration/secret-store.contract.int.test.ts).
 * Each test gets a subject with empty vaults and no faults.
 */
import { inspect } from 'node:util';
import type { SecretPermission } from '../../src/adapters/key-vault/key-vault-failures';
import { isDomainError, type DomainError } from '../../src/domain/domain-error';
import type { SecretStore } from '../../src/domain/secrets/secret-store.port';
import { SecretValue } from '../../src/domain/secrets/secret-value';
import { domainFailure } from '../helpers/domain-failure';

export interface SecretStoreUnderTest {
  store: SecretStore;
  /** Two vaults that answer, and a URL where no vault answers (connection refused). */
  vaults: { dev: string; prod: string; unreachable: string };
  /** The bot's identity loses these permissions on the vault. */
  forbid(vault: string, permissions: SecretPermission[]): void;
  /** The next `times` requests to the vault get 429 with this Retry-After. */
  throttle(vault: string, fault: { times: number; retryAfterSeconds: number }): void;
  /** The next `times` requests to the vault get 503. */
  fail(vault: string, times: number): void;
  clearFaults(): void;
  /** Everything the vault side recorded (request logs, inspectable state), as text. */
  recorded(): Promise<string>;
  close(): Promise<void>;
}

const ALL_PERMISSIONS: SecretPermission[] = ['secrets/set', 'secrets/get', 'secrets/list', 'secrets/update', 'secrets/delete', 'secrets/recover'];
const NAME = 'payments-api--prod--db-password';
const secret = (text: string, extra: { tags?: Record<string, string>; expiresOn?: Date; notBefore?: Date; contentType?: string } = {}) => ({ value: new SecretValue(text), tags: extra.tags ?? {}, ...extra });
/** A date Key Vault can keep (whole seconds). */
const inDays = (days: number) => new Date(Math.floor((Date.now() + days * 86_400_000) / 1000) * 1000);

export function secretStoreContract(name: string, make: () => Promise<SecretStoreUnderTest>): void {
  describe(`SecretStore contract: ${name}`, () => {
    let subject: SecretStoreUnderTest;
    let store: SecretStore;
    let dev: string;
    let prod: string;

    beforeEach(async () => {
      subject = await make();
      store = subject.store;
      ({ dev, prod } = subject.vaults);
    });
    afterEach(async () => subject?.close());

    it('sets a first version with tags, expiry, not-before and content type, and reads its properties back', async () => {
      const expiresOn = inDays(90);
      const notBefore = inDays(-1);
      const set = await store.setSecret(prod, NAME, secret('first value', { tags: { service: 'payments-api', environment: 'prod' }, expiresOn, notBefore, contentType: 'text/plain' }));
      expect(set).toMatchObject({ vault: prod, name: NAME, enabled: true, tags: { service: 'payments-api', environment: 'prod' }, contentType: 'text/plain' });
      expect(set.version).toMatch(/^[0-9a-f]{32}$/);
      expect([set.expiresOn?.toISOString(), set.notBefore?.toISOString()]).toEqual([expiresOn.toISOString(), notBefore.toISOString()]);
      expect(set.createdOn).toBeInstanceOf(Date);
      expect(await store.getProperties(prod, NAME)).toEqual(set);
      expect(JSON.stringify(set)).not.toContain('first value');
      expect(await store.getProperties(prod, NAME.toUpperCase())).toMatchObject({ name: NAME, version: set.version }); // names in any case
    });

    it('adds a version on each set; the latest is the one read; versions come newest first', async () => {
      const v1 = await store.setSecret(prod, NAME, secret('one', { tags: { n: '1' } }));
      const v2 = await store.setSecret(prod, NAME, secret('two', { tags: { n: '2' } }));
      expect(v2.version).not.toBe(v1.version);
      expect(await store.getProperties(prod, NAME)).toMatchObject({ version: v2.version, tags: { n: '2' } });
      const versions = await store.listVersions(prod, NAME);
      expect(versions.map((v) => v.version)).toEqual([v2.version, v1.version]);
      expect(versions.map((v) => v.tags)).toEqual([{ n: '2' }, { n: '1' }]);
    });

    it('keeps each vault apart', async () => {
      await store.setSecret(dev, NAME, secret('dev value'));
      expect(await store.getProperties(prod, NAME)).toBeNull();
      expect(await store.listSecrets(prod)).toEqual([]);
      expect((await store.listSecrets(dev)).map((p) => [p.vault, p.name])).toEqual([[dev, NAME]]);
    });

    it('answers null or SECRETS.NOT_FOUND for a secret that does not exist', async () => {
      expect(await store.getProperties(prod, 'nothing-here')).toBeNull();
      expect(await store.getDeleted(prod, 'nothing-here')).toBeNull();
      for (const call of [store.listVersions(prod, 'nothing-here'), store.updateProperties(prod, 'nothing-here', '0'.repeat(32), { enabled: false }), store.deleteSecret(prod, 'nothing-here'), store.recoverSecret(prod, 'nothing-here')]) {
        expect(await domainFailure(call)).toMatchObject({ code: 'SECRETS.NOT_FOUND', details: expect.objectContaining({ vault: prod, name: 'nothing-here' }) });
      }
    });

    it('lists the latest version of each secret under a prefix: names and properties, never a value', async () => {
      await store.setSecret(prod, 'payments-api--prod--db', secret('db-one'));
      const db2 = await store.setSecret(prod, 'payments-api--prod--db', secret('db-two', { tags: { rotated: 'yes' } }));
      const key = await store.setSecret(prod, 'payments-api--prod--api-key', secret('key-one'));
      await store.setSecret(prod, 'search-api--prod--token', secret('token-one'));
      await store.setSecret(prod, 'payments-api--prod--old', secret('old-one'));
      await store.deleteSecret(prod, 'payments-api--prod--old');

      const listed = await store.listSecrets(prod, 'payments-api--prod--');
      expect(listed.map((p) => [p.name, p.version])).toEqual([
        ['payments-api--prod--api-key', key.version],
        ['payments-api--prod--db', db2.version],
      ]);
      expect(listed[1]!.tags).toEqual({ rotated: 'yes' });
      expect((await store.listSecrets(prod, 'PAYMENTS-API--')).length).toBe(2);
      expect((await store.listSecrets(prod)).map((p) => p.name)).toEqual(['payments-api--prod--api-key', 'payments-api--prod--db', 'search-api--prod--token']);
      const text = JSON.stringify(await store.listSecrets(prod));
      for (const value of ['db-one', 'db-two', 'key-one', 'token-one']) expect(text).not.toContain(value);
    });

    it('disables an old version after a rotation and changes tags and expiry of a version', async () => {
      const old = await store.setSecret(prod, NAME, secret('old'));
      const current = await store.setSecret(prod, NAME, secret('new'));
      const expiresOn = inDays(30);
      const disabled = await store.updateProperties(prod, NAME, old.version, { enabled: false, tags: { superseded: current.version }, expiresOn });
      expect(disabled).toMatchObject({ version: old.version, enabled: false, tags: { superseded: current.version } });
      expect(disabled.expiresOn?.toISOString()).toBe(expiresOn.toISOString());
      expect((await store.listVersions(prod, NAME)).map((v) => [v.version, v.enabled])).toEqual([[current.version, true], [old.version, false]]);
      expect(await store.getProperties(prod, NAME)).toMatchObject({ version: current.version, enabled: true });
    });

    it('reads the properties of a disabled latest version', async () => {
      const only = await store.setSecret(prod, NAME, secret('x'));
      await store.updateProperties(prod, NAME, only.version, { enabled: false });
      expect(await store.getProperties(prod, NAME)).toMatchObject({ version: only.version, enabled: false });
    });

    it('soft-deletes; the name is then held (SECRETS.SOFT_DELETED) until recovered, with every version', async () => {
      const v1 = await store.setSecret(prod, NAME, secret('one'));
      const v2 = await store.setSecret(prod, NAME, secret('two', { tags: { keep: 'me' } }));
      const deleted = await store.deleteSecret(prod, NAME);
      expect(deleted).toMatchObject({ vault: prod, name: NAME });
      expect(deleted.deletedOn).toBeInstanceOf(Date);
      expect(deleted.scheduledPurgeDate!.getTime()).toBeGreaterThan(deleted.deletedOn!.getTime());
      expect(await store.getProperties(prod, NAME)).toBeNull();
      expect(await store.listSecrets(prod)).toEqual([]);
      expect(await store.getDeleted(prod, NAME)).toMatchObject({ vault: prod, name: NAME });
      expect(await store.deleteSecret(prod, NAME)).toMatchObject({ name: NAME }); // a repeat is answered, not refused

      const refused = await domainFailure(store.setSecret(prod, NAME, secret('reuse')));
      expect(refused).toMatchObject({ code: 'SECRETS.SOFT_DELETED', details: expect.objectContaining({ vault: prod, name: NAME }) });

      const recovered = await store.recoverSecret(prod, NAME);
      expect(recovered).toMatchObject({ vault: prod, name: NAME, version: v2.version, tags: { keep: 'me' } });
      expect(await store.getDeleted(prod, NAME)).toBeNull();
      expect((await store.listVersions(prod, NAME)).map((v) => v.version)).toEqual([v2.version, v1.version]);
      expect(await store.recoverSecret(prod, NAME)).toMatchObject({ version: v2.version }); // a repeat is answered too
      await store.setSecret(prod, NAME, secret('three'));
    });

    it.each([
      ['secrets/set', (s: SecretStore, v: string) => s.setSecret(v, NAME, secret('nope'))],
      ['secrets/get', (s: SecretStore, v: string) => s.getProperties(v, NAME)],
      ['secrets/list', (s: SecretStore, v: string) => s.listVersions(v, NAME)],
      ['secrets/list', (s: SecretStore, v: string) => s.listSecrets(v)],
      ['secrets/update', (s: SecretStore, v: string) => s.updateProperties(v, NAME, '0'.repeat(32), { enabled: false })],
      ['secrets/delete', (s: SecretStore, v: string) => s.deleteSecret(v, NAME)],
      ['secrets/recover', (s: SecretStore, v: string) => s.recoverSecret(v, NAME)],
    ] as const)('names the missing permission %s and the vault (SECRETS.VAULT_FORBIDDEN); other operations still work', async (permission, call) => {
      await store.setSecret(prod, NAME, secret('held'));
      if (permission === 'secrets/recover') await store.deleteSecret(prod, NAME);
      subject.forbid(prod, [permission]);
      const e = await domainFailure(call(store, prod));
      expect(e).toMatchObject({ code: 'SECRETS.VAULT_FORBIDDEN', details: expect.objectContaining({ vault: prod, permission }) });
      expect(e.message).toContain(permission);
      expect(e.message).toContain(prod);
      // An operation needing another permission still works, and so does another vault.
      await expect(permission === 'secrets/list' ? store.getProperties(prod, NAME) : store.getDeleted(prod, NAME)).resolves.toBeDefined();
      await expect(call(store, dev).catch((x: DomainError) => x.code)).resolves.not.toBe('SECRETS.VAULT_FORBIDDEN');
    });

    it('rides out a 429 with a short Retry-After; a long one is UPSTREAM.THROTTLED with the seconds to wait', async () => {
      subject.throttle(prod, { times: 1, retryAfterSeconds: 0 });
      const set = await store.setSecret(prod, NAME, secret('after a throttle'));
      expect(await store.getProperties(prod, NAME)).toMatchObject({ version: set.version });
      expect((await store.listVersions(prod, NAME)).length).toBe(1); // set once, not twice

      subject.throttle(prod, { times: 1, retryAfterSeconds: 120 });
      const e = await domainFailure(store.getProperties(prod, NAME));
      expect(e).toMatchObject({ code: 'UPSTREAM.THROTTLED', details: expect.objectContaining({ retryAfterSeconds: 120, vault: prod }) });
      expect(await store.getProperties(prod, NAME)).toMatchObject({ version: set.version });
    });

    it('a throttle that outlasts the retries is UPSTREAM.THROTTLED; a vault failing with 503 is UPSTREAM.UNAVAILABLE', async () => {
      subject.throttle(prod, { times: 50, retryAfterSeconds: 0 });
      expect(await domainFailure(store.listSecrets(prod))).toMatchObject({ code: 'UPSTREAM.THROTTLED', details: expect.objectContaining({ retryAfterSeconds: 0 }) });
      subject.clearFaults();
      subject.fail(prod, 50);
      expect(await domainFailure(store.getProperties(prod, NAME))).toMatchObject({ code: 'UPSTREAM.UNAVAILABLE', details: expect.objectContaining({ vault: prod }) });
      subject.clearFaults();
      subject.fail(prod, 1);
      expect(await store.getProperties(prod, NAME)).toBeNull(); // one 503 is retried
    });

    it('a vault that does not answer is SECRETS.VAULT_UNREACHABLE', async () => {
      const e = await domainFailure(store.setSecret(subject.vaults.unreachable, NAME, secret('nowhere')));
      expect(e).toMatchObject({ code: 'SECRETS.VAULT_UNREACHABLE', details: expect.objectContaining({ vault: subject.vaults.unreachable }) });
    });

    it('never shows a value: a canary set, then every operation failing every way, searched in every error and the vault side', async () => {
      const canary = `canary-${Math.random().toString(36).slice(2)}-Zq9!`;
      const forms = [canary, Buffer.from(canary).toString('base64'), encodeURIComponent(canary)];
      const planted = await store.setSecret(prod, NAME, secret(canary, { tags: { purpose: 'canary' } }));
      const results: unknown[] = [planted];
      const errors: unknown[] = [];
      const operations = (vault: string) => [
        () => store.setSecret(vault, NAME, secret(canary)),
        () => store.setSecret(vault, 'canary-2', secret(canary)),
        () => store.getProperties(vault, NAME),
        () => store.listVersions(vault, NAME),
        () => store.listSecrets(vault),
        () => store.updateProperties(vault, NAME, planted.version, { tags: { purpose: 'canary', touched: 'yes' } }),
        () => store.getDeleted(vault, NAME),
        () => store.deleteSecret(vault, NAME),
        () => store.recoverSecret(vault, NAME),
      ];
      const runAll = async (vault: string) => {
        for (const op of operations(vault)) {
          try {
            results.push(await op());
          } catch (e) {
            errors.push(e);
          }
        }
      };
      const faults: [string, () => void][] = [
        ['forbidden', () => subject.forbid(prod, ALL_PERMISSIONS)],
        ['throttled', () => subject.throttle(prod, { times: 1000, retryAfterSeconds: 120 })],
        ['throttled past the retries', () => subject.throttle(prod, { times: 1000, retryAfterSeconds: 0 })],
        ['503', () => subject.fail(prod, 1000)],
      ];
      for (const [, inject] of faults) {
        inject();
        await runAll(prod);
        subject.clearFaults();
      }
      await runAll(subject.vaults.unreachable);
      await store.deleteSecret(prod, NAME);
      errors.push(await domainFailure(store.setSecret(prod, NAME, secret(canary)))); // soft-deleted
      await runAll(prod); // and the normal answers

      expect(errors.length).toBeGreaterThanOrEqual(faults.length * operations(prod).length);
      expect(errors.every(isDomainError)).toBe(true);
      expect([...new Set(errors.map((e) => (e as DomainError).code))]).toEqual(expect.arrayContaining(['SECRETS.VAULT_FORBIDDEN', 'UPSTREAM.THROTTLED', 'UPSTREAM.UNAVAILABLE', 'SECRETS.VAULT_UNREACHABLE', 'SECRETS.SOFT_DELETED']));
      const text = [
        ...errors.map((e) => { const d = e as DomainError; return `${d.message}\n${d.stack}\n${JSON.stringify(d.details)}\n${inspect(d, { depth: 20, showHidden: true })}`; }),
        JSON.stringify(results),
        inspect(results, { depth: 20 }),
        await subject.recorded(),
      ].join('\n');
      expect(text).toContain(NAME); // the search looks at real content
      for (const form of forms) expect(text).not.toContain(form);
    });
  });
}
