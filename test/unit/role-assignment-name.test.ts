/** Role assignment names: RFC 9562 version-5 UUIDs (checked against Python's uuid.uuid5), the same for every spelling of one assignment. */
import { roleAssignmentName, URL_NAMESPACE, uuidV5 } from '../../src/adapters/arm/role-assignment-name';
import { KEY_VAULT_SECRETS_USER } from '../../src/domain/secrets/role-assignments.port';

const DNS_NAMESPACE = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
const SCOPE = '/subscriptions/c0ffee00-0000-4000-8000-0000000005b5/resourceGroups/rg-idp-secrets/providers/Microsoft.KeyVault/vaults/kv-idp-dev';
const PRINCIPAL = '3c1d0000-0000-4000-8000-0000000d5a01';

test('uuidV5 gives the RFC / Python values', () => {
  expect(uuidV5('www.example.com', DNS_NAMESPACE)).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  expect(uuidV5('https://management.azure.com/subscriptions/x?role=r&principal=p', URL_NAMESPACE)).toBe('321ea388-0f14-5728-9eb8-dcb84052ce89');
});

test('one assignment, one name: case and a trailing slash do not matter; scope, role and principal do', () => {
  const name = roleAssignmentName(SCOPE, KEY_VAULT_SECRETS_USER, PRINCIPAL);
  expect(name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(roleAssignmentName(`${SCOPE.toUpperCase()}/`, KEY_VAULT_SECRETS_USER.toUpperCase(), PRINCIPAL.toUpperCase())).toBe(name);
  const others = [roleAssignmentName(`${SCOPE}/secrets/a`, KEY_VAULT_SECRETS_USER, PRINCIPAL), roleAssignmentName(SCOPE, '21090545-7ca7-4776-b22c-e363652d74d2', PRINCIPAL), roleAssignmentName(SCOPE, KEY_VAULT_SECRETS_USER, PRINCIPAL.replace(/1$/, '2'))];
  expect(new Set([name, ...others]).size).toBe(4);
});
