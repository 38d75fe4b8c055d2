/**
 * The ARM stand-in on the wire, as ARM answers what the adapter does not exercise on its own:
 * authentication and api-version checks, assignment names, changes refused, read and delete one,
 * atScope() (at or above), unsupported filters, a service principal from Graph's directory, and
 * state kept across a restart.
 */
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { KEY_VAULT_SECRETS_USER } from '../../src/domain/secrets/role-assignments.port';
import { DEMO_AZURE, DEMO_TENANT_ID, DEMO_WORKLOADS } from '../../src/sandbox/seed/demo-org';
import { ARM_RESOURCE, ArmStandIn } from '../../src/sandbox/standins/arm.standin';
import { startIdentityStandIns, type IdentityStandIns } from '../../src/sandbox/standins/azure-identity-standins';
import { SECRET_SCOPE, VAULT_SCOPE } from '../contracts/role-assignments.contract';

const BOT = { clientId: '11111111-0000-4000-8000-00000000a7b1', clientSecret: 'arm-standin-secret' };
const API = DEMO_WORKLOADS[0]!;
const NAME = '0a0a0000-0000-4000-8000-000000000001';
const ROLE_ID = `/subscriptions/${DEMO_AZURE.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${KEY_VAULT_SECRETS_USER}`;
const body = (principalId = API.principalId, roleDefinitionId = ROLE_ID) => ({ properties: { roleDefinitionId, principalId, principalType: 'ServicePrincipal' } });

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: { error?: { code: string; message: string }; value?: { name: string; properties: { scope: string } }[]; [k: string]: unknown };
}

describe('ArmStandIn', () => {
  let ids: IdentityStandIns;
  let dataDir: string;
  let token: string;

  const call = (method: string, pathAndQuery: string, payload?: unknown, auth: string | null = `Bearer ${token}`) =>
    new Promise<Answer>((resolve, reject) => {
      const req = https.request(`${ids.arm.baseUrl}${pathAndQuery}`, { method, ca: ids.tls.caCertPem, agent: false, headers: { ...(auth ? { authorization: auth } : {}), 'content-type': 'application/json' } }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, json: text ? JSON.parse(text) : {} }));
      });
      req.on('error', reject);
      req.end(payload === undefined ? undefined : JSON.stringify(payload));
    });
  const at = (scope: string, name = NAME, query = '?api-version=2022-04-01') => `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}${query}`;
  const list = (scope: string, filter?: string) => `${scope}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01${filter === undefined ? '' : `&$filter=${encodeURIComponent(filter)}`}`;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'arm-standin-'));
    ids = await startIdentityStandIns({ dataDir, tenantId: DEMO_TENANT_ID, clients: [BOT] });
    token = ids.entra.issueToken(BOT.clientId, ARM_RESOURCE);
  });
  afterAll(async () => {
    await ids?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(() => ids.arm.reset());

  it('answers 401 with a Bearer challenge without a token or with a token for another audience', async () => {
    const missing = await call('GET', list(VAULT_SCOPE), undefined, null);
    expect([missing.status, missing.json.error?.code]).toEqual([401, 'AuthenticationFailed']);
    expect(String(missing.headers['www-authenticate'])).toMatch(/^Bearer /);
    const graphToken = ids.entra.issueToken(BOT.clientId, 'https://graph.microsoft.com');
    const foreign = await call('GET', list(VAULT_SCOPE), undefined, `Bearer ${graphToken}`);
    expect([foreign.status, foreign.json.error?.code]).toEqual([401, 'InvalidAuthenticationToken']);
  });

  it('needs a known api-version, a GUID name and a valid role definition id', async () => {
    expect((await call('GET', at(VAULT_SCOPE, NAME, ''))).json.error?.code).toBe('MissingApiVersionParameter');
    expect((await call('GET', at(VAULT_SCOPE, NAME, '?api-version=1999-01-01'))).json.error?.code).toBe('InvalidApiVersionParameter');
    expect((await call('PUT', at(VAULT_SCOPE, 'not-a-guid'), body())).json.error?.code).toBe('InvalidRoleAssignmentId');
    expect((await call('PUT', at(VAULT_SCOPE), body(API.principalId, `/subscriptions/${'0'.repeat(8)}-0000-4000-8000-000000000000/providers/Microsoft.Authorization/roleDefinitions/${KEY_VAULT_SECRETS_USER}`))).json.error?.code).toBe('InvalidRoleDefinitionId');
    expect(ids.arm.held()).toEqual([]);
  });

  it('refuses a scope in another subscription with 403 AuthorizationFailed', async () => {
    const other = VAULT_SCOPE.replace(DEMO_AZURE.subscriptionId, '00000000-0000-4000-8000-0000000000ff');
    const answer = await call('PUT', at(other), body());
    expect([answer.status, answer.json.error?.code]).toEqual([403, 'AuthorizationFailed']);
  });

  it('creates (201), answers a repeat 201 with the same resource, and refuses to change what a name holds', async () => {
    const created = await call('PUT', at(SECRET_SCOPE), body());
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ id: `${SECRET_SCOPE}/providers/Microsoft.Authorization/roleAssignments/${NAME}`, name: NAME, type: 'Microsoft.Authorization/roleAssignments', properties: { scope: SECRET_SCOPE, principalId: API.principalId, principalType: 'ServicePrincipal', roleDefinitionId: ROLE_ID } });
    const again = await call('PUT', at(SECRET_SCOPE), body());
    expect([again.status, again.json]).toEqual([201, created.json]);
    const changed = await call('PUT', at(SECRET_SCOPE), body(DEMO_WORKLOADS[1]!.principalId));
    expect([changed.status, changed.json.error?.code]).toEqual([400, 'RoleAssignmentUpdateNotPermitted']);
    const duplicate = await call('PUT', at(SECRET_SCOPE, '0a0a0000-0000-4000-8000-000000000002'), body());
    expect([duplicate.status, duplicate.json.error?.code]).toEqual([409, 'RoleAssignmentExists']);
  });

  it('answers PrincipalNotFound for an object the directory lacks, and for a replicating one as many times as asked', async () => {
    const unknown = await call('PUT', at(SECRET_SCOPE), body('99999999-0000-4000-8000-000000000000'));
    expect([unknown.status, unknown.json.error?.code]).toEqual([400, 'PrincipalNotFound']);
    expect(unknown.json.error?.message).toContain('replication delay');
    ids.arm.replicationDelay(API.principalId, 2);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call('PUT', at(SECRET_SCOPE), body())).status);
    expect(statuses).toEqual([400, 400, 201]);
  });

  it('reads one (404 RoleAssignmentNotFound when absent or at another scope) and deletes it (200, then 204)', async () => {
    await call('PUT', at(SECRET_SCOPE), body());
    expect((await call('GET', at(SECRET_SCOPE))).status).toBe(200);
    const elsewhere = await call('GET', at(VAULT_SCOPE));
    expect([elsewhere.status, elsewhere.json.error?.code]).toEqual([404, 'RoleAssignmentNotFound']);
    expect((await call('DELETE', at(SECRET_SCOPE))).status).toBe(200);
    expect((await call('DELETE', at(SECRET_SCOPE))).status).toBe(204);
    expect(ids.arm.held()).toEqual([]);
  });

  it('lists with atScope() what is at or above the scope, without a filter also what is below; refuses other filters', async () => {
    await call('PUT', at(VAULT_SCOPE, '0a0a0000-0000-4000-8000-0000000000a1'), body());
    await call('PUT', at(SECRET_SCOPE, '0a0a0000-0000-4000-8000-0000000000a2'), body());
    const names = async (scope: string, filter?: string) => ((await call('GET', list(scope, filter))).json.value ?? []).map((a) => a.name).sort();
    expect(await names(SECRET_SCOPE, 'atScope()')).toEqual(['0a0a0000-0000-4000-8000-0000000000a1', '0a0a0000-0000-4000-8000-0000000000a2']);
    expect(await names(VAULT_SCOPE, 'atScope()')).toEqual(['0a0a0000-0000-4000-8000-0000000000a1']);
    expect(await names(VAULT_SCOPE)).toEqual(['0a0a0000-0000-4000-8000-0000000000a1', '0a0a0000-0000-4000-8000-0000000000a2']);
    expect(await names(VAULT_SCOPE, `atScope() and principalId eq '${DEMO_WORKLOADS[1]!.principalId}'`)).toEqual([]);
    expect((await call('GET', list(VAULT_SCOPE, "roleDefinitionId eq 'x'"))).json.error?.code).toBe('InvalidFilterInQueryString');
  });

  it('keeps its assignments in a file across a restart', async () => {
    const file = path.join(dataDir, 'arm-state.json');
    const first = new ArmStandIn({ entra: ids.entra, tls: { key: ids.tls.keyPem, cert: ids.tls.certPem }, subscriptionId: DEMO_AZURE.subscriptionId, principalTypeOf: () => 'ServicePrincipal' });
    expect(first.keepStateIn(file)).toBe(false);
    first.addAssignment({ name: NAME, scope: SECRET_SCOPE, roleDefinitionId: KEY_VAULT_SECRETS_USER, principalId: API.principalId, principalType: 'ServicePrincipal' });
    const second = new ArmStandIn({ entra: ids.entra, tls: { key: ids.tls.keyPem, cert: ids.tls.certPem }, subscriptionId: DEMO_AZURE.subscriptionId, principalTypeOf: () => undefined });
    expect(second.keepStateIn(file)).toBe(true);
    expect(second.held()).toEqual(first.held());
    expect(second.held()).toHaveLength(1);
  });
});
