/**
 * The real SecretClient + ClientSecretCredential against the Entra and Key Vault stand-ins over
 * https (the sandbox CA trusted in-process through `tlsOptions`): the challenge flow, every
 * secrets operation the bot uses, and that no secret value ever lands in the stand-ins' logs or
 * state.
 */
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { ClientSecretCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { startIdentityStandIns, type IdentityStandIns } from '../../src/sandbox/standins/azure-identity-standins';
import { DEMO_TENANT_ID } from '../../src/sandbox/seed/demo-org';

const CLIENT = { clientId: '11111111-0000-4000-8000-00000000b07a', clientSecret: 'bot-client-secret-value' };
const OTHER = { clientId: '11111111-0000-4000-8000-00000000c0de', clientSecret: 'other-client-secret' };
const VALUE = 'pa55w0rd-that-must-never-be-logged';

describe('KeyVaultStandIn with the real SecretClient', () => {
  let ids: IdentityStandIns;
  let dataDir: string;
  let client: SecretClient;

  const credential = (c: { clientId: string; clientSecret: string }) => new ClientSecretCredential(DEMO_TENANT_ID, c.clientId, c.clientSecret, ids.credentialOptions);
  const secretClient = (c = CLIENT) => new SecretClient(ids.keyVault.baseUrl, credential(c), ids.secretClientOptions);
  /** GET over https with the sandbox CA, as a person with curl --cacert would. */
  const getText = (url: string) =>
    new Promise<string>((resolve, reject) => {
      https.get(url, { ca: ids.tls.caCertPem }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve(text));
      }).on('error', reject);
    });

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kv-standin-'));
    ids = await startIdentityStandIns({ dataDir, tenantId: DEMO_TENANT_ID, clients: [CLIENT, OTHER] });
    client = secretClient();
  });
  afterAll(async () => {
    await ids?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    ids.keyVault.reset();
    ids.keyVault.requests.length = 0;
    ids.keyVault.clearFaults();
    ids.keyVault.setAllowedClientIds(undefined);
  });

  it('answers the first, unauthenticated request with the Bearer challenge, then accepts the token', async () => {
    const fresh = secretClient();
    await fresh.setSecret('first-contact', VALUE);

    const [challenged, accepted] = ids.keyVault.requests;
    expect([challenged.method, challenged.path, challenged.status]).toEqual(['PUT', '/secrets/first-contact', 401]);
    expect(challenged.headers.authorization).toBeUndefined();
    expect(challenged.body).toBe(''); // the SDK withholds the body until it has a token
    expect([accepted.status, accepted.headers.authorization]).toEqual([200, 'Bearer [redacted]']);
    const tokenRequests = ids.entra.requests.filter((r) => r.path.endsWith('/oauth2/v2.0/token'));
    expect(tokenRequests.at(-1)?.body).toMatchObject({ grant_type: 'client_credentials', scope: 'https://vault.azure.net/.default', client_secret: '[redacted]' });
  });

  it('sets new versions and gets the latest or a given one, with tags and content type', async () => {
    const v1 = await client.setSecret('db-password', 'first', { tags: { owner: 'team-payments' }, contentType: 'text/plain' });
    const v2 = await client.setSecret('db-password', 'second');

    expect(v1.properties.version).toMatch(/^[0-9a-f]{32}$/);
    expect(v2.properties.version).not.toBe(v1.properties.version);
    expect(v1.properties).toMatchObject({ name: 'db-password', vaultUrl: ids.keyVault.baseUrl, enabled: true, tags: { owner: 'team-payments' }, contentType: 'text/plain', recoveryLevel: 'Recoverable+Purgeable' });
    expect(v1.properties.createdOn).toBeInstanceOf(Date);

    expect((await client.getSecret('db-password')).value).toBe('second');
    const old = await client.getSecret('db-password', { version: v1.properties.version });
    expect([old.value, old.properties.tags]).toEqual(['first', { owner: 'team-payments' }]);
  });

  it('keeps exp and nbf, and refuses to read a disabled version', async () => {
    const expiresOn = new Date(Date.now() + 86_400_000);
    expiresOn.setMilliseconds(0);
    const set = await client.setSecret('api-key', VALUE, { expiresOn, notBefore: new Date(0), enabled: true });
    expect(set.properties.expiresOn?.toISOString()).toBe(expiresOn.toISOString());

    const updated = await client.updateSecretProperties('api-key', set.properties.version!, { enabled: false, tags: { rotated: 'yes' } });
    expect([updated.enabled, updated.tags]).toEqual([false, { rotated: 'yes' }]);
    await expect(client.getSecret('api-key')).rejects.toMatchObject({ statusCode: 403, code: 'Forbidden' });
  });

  it('lists secret properties across pages, and the versions of one secret', async () => {
    for (let i = 0; i < 27; i++) await client.setSecret(`bulk-${String(i).padStart(2, '0')}`, `v${i}`);
    await client.setSecret('bulk-00', 'again');

    const names: string[] = [];
    for await (const p of client.listPropertiesOfSecrets()) names.push(p.name);
    expect(names).toHaveLength(27);
    expect(ids.keyVault.requests.filter((r) => r.method === 'GET' && r.path === '/secrets' && r.query.includes('skiptoken'))).toHaveLength(1);

    const versions: string[] = [];
    for await (const p of client.listPropertiesOfSecretVersions('bulk-00')) versions.push(p.version!);
    expect(versions).toHaveLength(2);
  });

  it('soft-deletes with the poller, lists and reads deleted secrets, recovers and purges', async () => {
    await client.setSecret('to-delete', VALUE, { tags: { a: 'b' } });

    const deleted = await (await client.beginDeleteSecret('to-delete', { intervalInMs: 0 })).pollUntilDone();
    expect(deleted.recoveryId).toBe(`${ids.keyVault.baseUrl}/deletedsecrets/to-delete`);
    expect(deleted.properties.deletedOn).toBeInstanceOf(Date);
    expect(ids.keyVault.requests.map((r) => `${r.method} ${r.path}`)).toContain('GET /deletedsecrets/to-delete'); // the poller's check

    await expect(client.getSecret('to-delete')).rejects.toMatchObject({ statusCode: 404, code: 'SecretNotFound' });
    await expect(client.setSecret('to-delete', 'reuse')).rejects.toMatchObject({ statusCode: 409, code: 'Conflict' });
    const listed: string[] = [];
    for await (const d of client.listDeletedSecrets()) listed.push(d.name);
    expect(listed).toEqual(['to-delete']);
    expect((await client.getDeletedSecret('to-delete')).properties.tags).toEqual({ a: 'b' });

    await (await client.beginRecoverDeletedSecret('to-delete', { intervalInMs: 0 })).pollUntilDone();
    expect((await client.getSecret('to-delete')).value).toBe(VALUE);

    await (await client.beginDeleteSecret('to-delete', { intervalInMs: 0 })).pollUntilDone();
    await client.purgeDeletedSecret('to-delete');
    await expect(client.getDeletedSecret('to-delete')).rejects.toMatchObject({ statusCode: 404, code: 'SecretNotFound' });
    await client.setSecret('to-delete', 'a new life');
  });

  it('answers 404 SecretNotFound in the service error shape', async () => {
    const error = await client.getSecret('never-set').catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 404, code: 'SecretNotFound' });
    expect((error as Error).message).toMatch(/A secret with \(name\/id\) never-set was not found in this key vault/);
  });

  it('rejects a wrong client secret at the token endpoint', async () => {
    const error = await secretClient({ clientId: CLIENT.clientId, clientSecret: 'wrong' }).getSecret('anything').catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/AADSTS7000215/);
    const rejected = ids.entra.requests.filter((r) => r.status === 401);
    expect(rejected.length).toBeGreaterThan(0);
    expect(JSON.stringify(ids.entra.requests)).not.toContain('wrong'); // the attempted secret is not logged either
    expect(ids.keyVault.requests.every((r) => r.status === 401)).toBe(true);
  });

  it('rejects an unknown app and an unknown tenant at Entra', async () => {
    const unknownApp = await secretClient({ clientId: 'no-such-app', clientSecret: 'x' }).getSecret('anything').catch((e: unknown) => e);
    expect((unknownApp as Error).message).toMatch(/AADSTS700016/);
    const otherTenant = new ClientSecretCredential('00000000-0000-4000-8000-0000000000aa', CLIENT.clientId, CLIENT.clientSecret, ids.credentialOptions);
    await expect(otherTenant.getToken('https://vault.azure.net/.default')).rejects.toThrow(/endpoints_resolution_error/); // MSAL's view of the 400 on the OpenID configuration
  });

  it('answers 403 ForbiddenByRbac to an app without access', async () => {
    ids.keyVault.setAllowedClientIds([CLIENT.clientId]);
    await expect(secretClient(OTHER).getSecret('anything')).rejects.toMatchObject({ statusCode: 403, code: 'Forbidden' });
    await expect(client.getSecret('anything')).rejects.toMatchObject({ statusCode: 404 });
  });

  it('takes one permission away on demand: 403 naming the RBAC action and the vault, other operations still allowed', async () => {
    await client.setSecret('scoped', VALUE);
    ids.keyVault.denyPermissions(['set']);
    const error = await client.setSecret('scoped', 'again').catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 403, code: 'Forbidden', details: { error: { innerError: { code: 'ForbiddenByRbac' } } } });
    expect((error as Error).message).toContain("Action: 'Microsoft.KeyVault/vaults/secrets/setSecret/action'");
    expect((error as Error).message).toContain('Vault: kv-sandbox;');
    expect((await client.getSecret('scoped')).value).toBe(VALUE);
    ids.keyVault.denyPermissions(undefined);
    await expect(client.setSecret('scoped', 'again')).resolves.toMatchObject({ name: 'scoped' });
  });

  it('rides out a 429 with Retry-After through the SDK retry policy', async () => {
    await client.setSecret('busy', VALUE);
    ids.keyVault.addFault({ kind: 'status', status: 429, retryAfterSeconds: 0, path: '^/secrets/busy', method: 'GET', times: 1 });
    expect((await client.getSecret('busy')).value).toBe(VALUE);
    expect(ids.keyVault.requests.filter((r) => r.path.startsWith('/secrets/busy') && r.method === 'GET').map((r) => r.status)).toEqual([429, 200]);
  });

  it('never keeps a secret value in the request log or the state snapshot', async () => {
    const set = await client.setSecret('audit-me', VALUE, { tags: { purpose: 'test' } });
    await client.getSecret('audit-me');
    await client.updateSecretProperties('audit-me', set.properties.version!, { contentType: 'text/plain' });
    ids.keyVault.addFault({ kind: 'status', status: 503, path: '^/secrets/audit-me$', method: 'PUT', times: 1 });
    await client.setSecret('audit-me', `${VALUE}-v2`);

    const log = JSON.stringify(ids.keyVault.requests) + (await getText(`${ids.keyVault.baseUrl}/_standin/requests`));
    const state = await getText(`${ids.keyVault.baseUrl}/_standin/state`);
    expect(log).toContain('[redacted]');
    expect(log).not.toContain(VALUE);
    expect(state).not.toContain(VALUE);
    expect(JSON.parse(state).secrets).toEqual([
      expect.objectContaining({ name: 'audit-me', versions: [expect.objectContaining({ enabled: true, tags: { purpose: 'test' } }), expect.objectContaining({ enabled: true })] }),
    ]);
  });

  it('reuses the certificate from the data dir on the next start', async () => {
    const again = await startIdentityStandIns({ dataDir, tenantId: DEMO_TENANT_ID, clients: [CLIENT] });
    try {
      expect(again.tls.certPem).toBe(ids.tls.certPem);
      const other = new SecretClient(again.keyVault.baseUrl, new ClientSecretCredential(DEMO_TENANT_ID, CLIENT.clientId, CLIENT.clientSecret, again.credentialOptions), again.secretClientOptions);
      await expect(other.setSecret('x', 'y')).resolves.toMatchObject({ name: 'x' });
    } finally {
      await again.close();
    }
  });
});
