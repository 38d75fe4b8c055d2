/**
 * The RoleAssignments contract on ArmRoleAssignments (@azure/core-rest-pipeline with the real
 * @azure/identity credential, over https with the sandbox CA) + the ARM stand-in, whose directory
 * is the Graph stand-in's. Then what only the adapter can show: the wire (token audience, body,
 * api-version, names), one GET and no write for an existing assignment, a lost answer retried,
 * throttling and outages mapped, paging, and that no credential reaches a log.
 */
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { ClientSecretCredential } from '@azure/identity';
import { ArmRoleAssignments, type ArmRoleAssignmentsOptions } from '../../src/adapters/arm/arm-role-assignments.adapter';
import { roleAssignmentName } from '../../src/adapters/arm/role-assignment-name';
import { KEY_VAULT_SECRETS_USER, type RoleAssignmentSpec } from '../../src/domain/secrets/role-assignments.port';
import { DEMO_AZURE, DEMO_TENANT_ID, DEMO_WORKLOADS } from '../../src/sandbox/seed/demo-org';
import { ArmStandIn } from '../../src/sandbox/standins/arm.standin';
import { startIdentityStandIns, type IdentityStandIns } from '../../src/sandbox/standins/azure-identity-standins';
import { roleAssignmentsContract, SECRET_SCOPE, VAULT_SCOPE } from '../contracts/role-assignments.contract';
import { domainFailure } from '../helpers/domain-failure';

const BOT = { clientId: '11111111-0000-4000-8000-00000000a7a1', clientSecret: 'arm-bot-client-secret-do-not-log' };
const READER = { clientId: '11111111-0000-4000-8000-00000000a7a2', clientSecret: 'arm-reader-client-secret' };
const ATTEMPTS = 3;
const FAST: Partial<ArmRoleAssignmentsOptions> = { retry: { maxRetries: 2, retryDelayInMs: 1, maxRetryDelayInMs: 5 }, principalNotFound: { attempts: ATTEMPTS, delayMs: 0 }, timeoutMs: 2000 };
const API = DEMO_WORKLOADS[0]!;
const spec = (principalId = API.principalId, scope = SECRET_SCOPE): RoleAssignmentSpec => ({ scope, roleDefinitionId: KEY_VAULT_SECRETS_USER, principalId, principalType: 'ServicePrincipal' });

async function start(): Promise<{ ids: IdentityStandIns; dataDir: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'arm-'));
  const ids = await startIdentityStandIns({ dataDir, tenantId: DEMO_TENANT_ID, clients: [BOT, READER], assignerClientIds: [BOT.clientId] });
  return { ids, dataDir };
}

const adapterFor = (ids: IdentityStandIns, client = BOT, options: Partial<ArmRoleAssignmentsOptions> = {}) =>
  new ArmRoleAssignments({ credential: new ClientSecretCredential(DEMO_TENANT_ID, client.clientId, client.clientSecret, ids.credentialOptions), ...ids.armClientOptions, ...FAST, ...options });

roleAssignmentsContract('ArmRoleAssignments + ARM stand-in', async () => {
  const { ids, dataDir } = await start();
  return {
    assignments: adapterFor(ids),
    principalAttempts: ATTEMPTS,
    assignedElsewhere: async (s, name) => ids.arm.addAssignment({ ...s, name, principalType: s.principalType }),
    replicating: async (principalId, tries) => {
      ids.graph.addServicePrincipal({ id: principalId, appId: '3c1d0000-0000-4000-8000-0000000c1aff', displayName: 'id-new-service' });
      ids.arm.replicationDelay(principalId, tries);
    },
    forbid: async () => ids.arm.setAssignerClientIds([]),
    close: async () => {
      await ids.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
});

describe('ArmRoleAssignments against the ARM stand-in', () => {
  let ids: IdentityStandIns;
  let dataDir: string;
  let adapter: ArmRoleAssignments;
  const arm = () => ids.arm;
  const calls = (method: string) => arm().requests.filter((r) => r.method === method && /roleAssignments/.test(r.path));

  beforeAll(async () => ({ ids, dataDir } = await start()));
  afterAll(async () => {
    await ids?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    arm().reset();
    arm().clearFaults();
    arm().requests.length = 0;
    arm().setAssignerClientIds([BOT.clientId]);
    adapter = adapterFor(ids);
  });

  it('sends a management token, api-version 2022-04-01, the full role definition id and principalType to the deterministic name', async () => {
    await adapter.ensure(spec());
    const name = roleAssignmentName(SECRET_SCOPE, KEY_VAULT_SECRETS_USER, API.principalId);
    const [get, put] = arm().requests;
    expect([get!.method, get!.path, get!.status]).toEqual(['GET', `${SECRET_SCOPE}/providers/Microsoft.Authorization/roleAssignments/${name}`, 404]);
    expect([put!.method, put!.path, put!.query, put!.status]).toEqual(['PUT', get!.path, '?api-version=2022-04-01', 201]);
    expect(put!.headers.authorization).toBe('Bearer [redacted]');
    expect(put!.body).toEqual({
      properties: { roleDefinitionId: `/subscriptions/${DEMO_AZURE.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${KEY_VAULT_SECRETS_USER}`, principalId: API.principalId, principalType: 'ServicePrincipal' },
    });
    const token = ids.entra.requests.filter((r) => r.path.endsWith('/oauth2/v2.0/token')).at(-1);
    expect(token?.body).toMatchObject({ scope: 'https://management.azure.com/.default', client_secret: '[redacted]' });
  });

  it('reads an existing assignment once and writes nothing', async () => {
    await adapter.ensure(spec());
    arm().requests.length = 0;
    expect((await adapter.ensure(spec())).created).toBe(false);
    expect(arm().requests.map((r) => `${r.method} ${r.status}`)).toEqual(['GET 200']);
  });

  it('an assignment the bot may no longer write but that exists is still success (nothing to write)', async () => {
    await adapter.ensure(spec());
    arm().setAssignerClientIds([]);
    expect((await adapter.ensure(spec())).created).toBe(false);
  });

  it('a PUT whose answer was lost is sent again (same name): ARM answers 201 and there is one assignment', async () => {
    arm().addFault({ kind: 'drop', afterHandler: true, times: 1, method: 'PUT' });
    const { created } = await adapter.ensure(spec());
    expect(created).toBe(true);
    expect(calls('PUT').map((r) => r.status)).toEqual([0, 201]);
    expect(arm().held()).toHaveLength(1);
  });

  it('retries a 429 (Retry-After) and a 503, then assigns once', async () => {
    arm().addFault({ kind: 'status', status: 429, retryAfterSeconds: 0, times: 1, method: 'PUT' });
    arm().addFault({ kind: 'status', status: 503, times: 1, method: 'PUT' });
    expect((await adapter.ensure(spec())).created).toBe(true);
    expect(calls('PUT').map((r) => r.status)).toEqual([429, 503, 201]);
  });

  it('maps lasting throttling to UPSTREAM.THROTTLED with Retry-After, a lasting outage to UPSTREAM.UNAVAILABLE, no answer at all too', async () => {
    arm().addFault({ kind: 'status', status: 429, retryAfterSeconds: 0, method: 'PUT' });
    const throttled = await domainFailure(adapter.ensure(spec()));
    expect(throttled).toMatchObject({ code: 'UPSTREAM.THROTTLED', details: { retryAfterSeconds: 0, status: 429 } });
    expect(calls('PUT')).toHaveLength(3); // maxRetries 2
    arm().clearFaults();
    arm().addFault({ kind: 'status', status: 500, method: 'GET' });
    expect((await domainFailure(adapter.listAt(VAULT_SCOPE))).code).toBe('UPSTREAM.UNAVAILABLE');
    arm().clearFaults();
    arm().addFault({ kind: 'timeout', method: 'GET' });
    const silent = await domainFailure(adapterFor(ids, BOT, { retry: { maxRetries: 0 }, timeoutMs: 100 }).listAt(VAULT_SCOPE));
    expect(silent).toMatchObject({ code: 'UPSTREAM.UNAVAILABLE', details: { status: -1 } });
  });

  it('SECRETS.ASSIGNMENT_FORBIDDEN carries the scope and ARM\'s reason, never a credential', async () => {
    const e = await domainFailure(adapterFor(ids, READER).ensure(spec()));
    expect(e).toMatchObject({ code: 'SECRETS.ASSIGNMENT_FORBIDDEN', details: { scope: SECRET_SCOPE, armCode: 'AuthorizationFailed', status: 403 } });
    expect(e.message).toContain("Microsoft.Authorization/roleAssignments/write");
    const state = await getText(`${arm().baseUrl}/_standin/state`, ids.tls.caCertPem);
    expect(JSON.parse(state)).toMatchObject({ subscriptionId: DEMO_AZURE.subscriptionId, roleAssignments: [] });
    const everything = JSON.stringify({ e: { m: e.message, d: e.details }, arm: arm().requests, entra: ids.entra.requests, state });
    for (const secret of [BOT.clientSecret, READER.clientSecret]) expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/); // no bearer token anywhere
  });

  it('a role ARM does not know is UPSTREAM.FAILED with its code; a principal of another type too', async () => {
    const unknownRole = await domainFailure(adapter.ensure({ ...spec(), roleDefinitionId: '00000000-0000-4000-8000-000000000001' }));
    expect(unknownRole).toMatchObject({ code: 'UPSTREAM.FAILED', details: { armCode: 'RoleDefinitionDoesNotExist' } });
    const alice = '00000000-0000-4000-a000-000000000001';
    const wrongType = await domainFailure(adapter.ensure(spec(alice)));
    expect(wrongType).toMatchObject({ code: 'UPSTREAM.FAILED', details: { armCode: 'UnmatchedPrincipalType' } });
    expect((await adapter.ensure({ ...spec(alice), principalType: 'User' })).created).toBe(true);
  });

  it('follows nextLink pages of a list', async () => {
    const paged = new ArmStandIn({ entra: ids.entra, tls: { key: ids.tls.keyPem, cert: ids.tls.certPem }, subscriptionId: DEMO_AZURE.subscriptionId, principalTypeOf: () => 'ServicePrincipal', pageSize: 2 });
    await paged.start(0);
    try {
      const pagedAdapter = adapterFor(ids, BOT, { baseUrl: paged.baseUrl });
      for (let i = 0; i < 5; i++) await pagedAdapter.ensure(spec(`3c1d0000-0000-4000-8000-0000000e000${i}`));
      expect(await pagedAdapter.listAt(SECRET_SCOPE)).toHaveLength(5);
      const lists = paged.requests.filter((r) => r.method === 'GET' && /roleAssignments$/.test(r.path));
      expect(lists.map((r) => /skipToken/.test(r.query))).toEqual([false, true, true]);
    } finally {
      await paged.close();
    }
  });
});

/** GET over https with the sandbox CA, as a person with curl --cacert would. */
const getText = (url: string, ca: string) =>
  new Promise<string>((resolve, reject) => {
    https.get(url, { ca, agent: false }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve(text));
    }).on('error', reject);
  });
