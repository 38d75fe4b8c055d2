/** The SecretStore contract on the in-memory fake (KeyVaultSecretStore: test/integration/secret-store.contract.int.test.ts), and the fake's own failure injection. */
import { DomainError } from '../../src/domain/domain-error';
import { SecretValue } from '../../src/domain/secrets/secret-value';
import { secretStoreContract } from '../contracts/secret-store.contract';
import { InMemorySecretStore } from '../fakes/in-memory-secret-store';

const DEV = 'https://kv-dev.vault.azure.net';
const PROD = 'https://kv-prod.vault.azure.net';

secretStoreContract('InMemorySecretStore', async () => {
  const store = new InMemorySecretStore({ vaults: [DEV, PROD] });
  return {
    store,
    vaults: { dev: DEV, prod: PROD, unreachable: 'https://127.0.0.1:1' },
    forbid: (vault, permissions) => permissions.forEach((p) => store.forbid(vault, p)),
    throttle: (vault, fault) => store.throttle(vault, fault),
    fail: (vault, times) => store.fail(vault, times),
    clearFaults: () => store.clearFaults(),
    recorded: async () => JSON.stringify(store.calls),
    close: async () => undefined,
  };
});

test('InMemorySecretStore: an injected failure rejects the next call of that method only, and changes nothing', async () => {
  const store = new InMemorySecretStore({ vaults: [PROD] });
  const down = new DomainError('SECRETS.VAULT_UNREACHABLE', 'Key Vault did not answer', { vault: PROD });
  store.failNext(down, { method: 'setSecret' });
  await expect(store.setSecret(PROD, 'a', { value: new SecretValue('v'), tags: {} })).rejects.toBe(down);
  expect(store.versionCount(PROD, 'a')).toBe(0);
  await store.setSecret(PROD, 'a', { value: new SecretValue('v'), tags: {} });
  expect(store.versionCount(PROD, 'a')).toBe(1);
  expect(store.calls.map((c) => c.method)).toEqual(['setSecret', 'setSecret']);
});
