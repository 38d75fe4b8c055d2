/**
 * The WorkloadIdentities contract on GraphWorkloadIdentities (the real Graph client) + the Graph
 * stand-in's servicePrincipals, then what only the adapter does: one query per client id found
 * (cached), a miss asked again, the permission it needs named on a 403, and no query for a value
 * that is not a client id.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ClientSecretCredential } from '@azure/identity';
import { GraphWorkloadIdentities } from '../../src/adapters/graph/graph-workload-identities.adapter';
import { DEMO_TENANT_ID, DEMO_WORKLOADS } from '../../src/sandbox/seed/demo-org';
import { startIdentityStandIns, type IdentityStandIns } from '../../src/sandbox/standins/azure-identity-standins';
import { GRAPH_APP_ROLES } from '../../src/sandbox/standins/graph.standin';
import { workloadIdentitiesContract } from '../contracts/workload-identities.contract';
import { domainFailure } from '../helpers/domain-failure';

const BOT = { clientId: '11111111-0000-4000-8000-00000000e1d1', clientSecret: 'workload-test-secret' };
const NO_APPS = { clientId: '11111111-0000-4000-8000-00000000e1d2', clientSecret: 'no-apps-secret', roles: GRAPH_APP_ROLES.filter((r) => r !== 'Application.Read.All') };

const adapterFor = (ids: IdentityStandIns, client: { clientId: string; clientSecret: string } = BOT) =>
  new GraphWorkloadIdentities({ credential: new ClientSecretCredential(DEMO_TENANT_ID, client.clientId, client.clientSecret, ids.credentialOptions), ...ids.graphClientOptions, retry: { maxRetries: 0 } });

workloadIdentitiesContract('GraphWorkloadIdentities + Graph stand-in', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'workloads-contract-'));
  const ids = await startIdentityStandIns({ dataDir, tenantId: DEMO_TENANT_ID, clients: [BOT] });
  const identities = adapterFor(ids);
  return {
    identities,
    add: async (w) => void ids.graph.addServicePrincipal({ id: w.principalId, appId: w.clientId, displayName: 'id-new-service' }),
    close: async () => {
      identities.close();
      await ids.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
});

describe('GraphWorkloadIdentities against the Graph stand-in', () => {
  let ids: IdentityStandIns;
  let dataDir: string;
  const queries = () => ids.graph.requests.filter((r) => r.method === 'GET' && r.path === '/v1.0/servicePrincipals');

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'workloads-'));
    ids = await startIdentityStandIns({ dataDir, tenantId: DEMO_TENANT_ID, clients: [BOT, NO_APPS] });
  });
  afterAll(async () => {
    await ids?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    ids.graph.reset();
    ids.graph.requests.length = 0;
  });

  it('asks Graph once per client id it found, with an appId filter and only the properties it needs', async () => {
    const adapter = adapterFor(ids);
    const [api] = DEMO_WORKLOADS;
    expect(await adapter.principalIdOf(api!.clientId)).toBe(api!.principalId);
    expect(await adapter.principalIdOf(api!.clientId.toUpperCase())).toBe(api!.principalId);
    expect(queries()).toHaveLength(1);
    const query = new URLSearchParams(queries()[0]!.query);
    expect([query.get('$filter'), query.get('$select')]).toEqual([`appId eq '${api!.clientId}'`, 'id,appId']);
    expect(queries()[0]!.headers.authorization).toBe('Bearer [redacted]');
    adapter.close();
  });

  it('asks again after a miss, and sends nothing for a value that is not a client id', async () => {
    const adapter = adapterFor(ids);
    expect(await adapter.principalIdOf('3c1d0000-0000-4000-8000-0000000c1aff')).toBeNull();
    expect(await adapter.principalIdOf('3c1d0000-0000-4000-8000-0000000c1aff')).toBeNull();
    expect(await adapter.principalIdOf("x' or 1 eq 1 or appId eq 'y")).toBeNull();
    expect(queries()).toHaveLength(2);
    adapter.close();
  });

  it('names the missing permission on a 403 (UPSTREAM.FORBIDDEN) and maps an outage to UPSTREAM.UNAVAILABLE', async () => {
    const refused = adapterFor(ids, NO_APPS);
    const e = await domainFailure(refused.principalIdOf(DEMO_WORKLOADS[0]!.clientId));
    expect(e.code).toBe('UPSTREAM.FORBIDDEN');
    expect(e.message).toContain('Application.Read.All');
    refused.close();
    ids.graph.addFault({ kind: 'status', status: 503, path: '^/v1.0/servicePrincipals$', times: 1 });
    const adapter = adapterFor(ids);
    expect((await domainFailure(adapter.principalIdOf(DEMO_WORKLOADS[1]!.clientId))).code).toBe('UPSTREAM.UNAVAILABLE');
    adapter.close();
  });
});
