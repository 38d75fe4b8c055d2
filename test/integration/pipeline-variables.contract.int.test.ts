/**
 * The PipelineVariables contract against the real adapter (azure-devops-node-api's TaskAgentApi and
 * ServiceEndpointApi over real HTTP) + the Azure DevOps stand-in; then what only the adapter can
 * show: the wire (full-replace updates with secrets sent as null, the Key Vault-linked body), that a
 * secret value reaches no request log, state dump or error, retries and failure mapping.
 */
import { AzureDevOpsPipelineVariables } from '../../src/adapters/azure-devops/azure-devops-pipeline-variables.adapter';
import { SecretValue } from '../../src/domain/secrets/secret-value';
import { DEMO_ORG, DEMO_PROJECTS } from '../../src/sandbox/seed/demo-org';
import { AzureDevOpsStandIn, DEMO_SERVICE_CONNECTIONS } from '../../src/sandbox/standins/azure-devops.standin';
import { CONTRACT_GROUP, CONTRACT_SERVICE_CONNECTION, pipelineVariablesContract } from '../contracts/pipeline-variables.contract';
import { domainFailure } from '../helpers/domain-failure';

const TOKEN = 'pipeline-variables-test-pat-do-not-log';
const FAST = { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 2_000 };
const CANARY = 'pv-int-canary-4d1e8b2a';

async function startStandIn(): Promise<AzureDevOpsStandIn> {
  const standIn = new AzureDevOpsStandIn({ org: DEMO_ORG, projects: DEMO_PROJECTS });
  await standIn.start(0);
  seedGroup(standIn, CONTRACT_GROUP.project, CONTRACT_GROUP.name, CONTRACT_GROUP.variables);
  return standIn;
}

function seedGroup(standIn: AzureDevOpsStandIn, project: string, name: string, variables: Record<string, string>): void {
  const p = standIn.state.requireProject(project);
  standIn.state.variableGroups.push({
    id: standIn.state.nextId('variableGroup'),
    name,
    description: 'seeded',
    type: 'Vsts',
    variables: Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, { value: v, isSecret: false }])),
    projectIds: [p.id],
    createdOn: new Date().toISOString(),
  });
}

const digestIn = (standIn: AzureDevOpsStandIn, project: string, group: string, name: string): string | undefined => {
  const p = standIn.state.requireProject(project);
  const g = standIn.state.variableGroups.find((x) => x.projectIds.includes(p.id) && x.name.toLowerCase() === group.toLowerCase());
  return g ? Object.entries(g.variables).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1].valueSha256 : undefined;
};

const adapterFor = (standIn: AzureDevOpsStandIn) => new AzureDevOpsPipelineVariables({ orgUrl: standIn.collectionUrl, token: TOKEN, retry: FAST, requestTimeoutMs: 500 });

pipelineVariablesContract('AzureDevOpsPipelineVariables + stand-in', async () => {
  const standIn = await startStandIn();
  return {
    variables: adapterFor(standIn),
    secretDigest: async (p, g, n) => digestIn(standIn, p, g, n),
    seedGroup: async (p, n, v) => seedGroup(standIn, p, n, v),
    close: () => standIn.close(),
  };
});

describe('AzureDevOpsPipelineVariables against the stand-in', () => {
  let standIn: AzureDevOpsStandIn;
  let adapter: AzureDevOpsPipelineVariables;
  const calls = (method: string, path: RegExp) => standIn.requests.filter((r) => r.method === method && path.test(r.path));
  const { project } = CONTRACT_GROUP;
  const group = CONTRACT_GROUP.name;

  beforeEach(async () => {
    standIn = await startStandIn();
    adapter = adapterFor(standIn);
  });
  afterEach(() => standIn.close());

  it('updates by replacing the whole group: every variable sent, secrets with a null value (kept by the service), the project references as read', async () => {
    await adapter.setVariable(project, group, 'API_TOKEN', new SecretValue(CANARY));
    await adapter.setVariable(project, group, 'LOG_LEVEL', 'debug');
    const [, second] = calls('PUT', /\/_apis\/distributedtask\/variablegroups\/\d+$/);
    expect(second!.body).toMatchObject({
      name: group,
      type: 'Vsts',
      variables: { ENVIRONMENT: { value: 'dev' }, SERVICE_NAME: { value: 'payments-api' }, API_TOKEN: { isSecret: true, value: null }, LOG_LEVEL: { isSecret: false, value: 'debug' } },
      variableGroupProjectReferences: [{ name: group, projectReference: { name: 'Payments' } }],
    });
    // An unchanged plain value sends nothing.
    const puts = calls('PUT', /variablegroups/).length;
    await adapter.setVariable(project, group, 'LOG_LEVEL', 'debug');
    expect(calls('PUT', /variablegroups/)).toHaveLength(puts);
  });

  it('never lets a secret value reach the request log, the state dump or a GET answer', async () => {
    await adapter.setVariable(project, group, 'API_TOKEN', new SecretValue(CANARY));
    await adapter.setVariable(project, 'vg-new-dev', 'TOKEN2', new SecretValue(CANARY));
    const base64 = Buffer.from(CANARY).toString('base64');
    const places = [JSON.stringify(standIn.requests), JSON.stringify(standIn.state.snapshot()), JSON.stringify(standIn.state.variableGroups)];
    const auth = { authorization: `Basic ${Buffer.from(`:${TOKEN}`).toString('base64')}` };
    places.push(await (await fetch(`${standIn.collectionUrl}/${project}/_apis/distributedtask/variablegroups?api-version=7.2-preview.2`, { headers: auth })).text());
    places.push(await (await fetch(`${standIn.baseUrl}/_standin/requests`)).text());
    for (const text of places) {
      expect(text).not.toContain(CANARY);
      expect(text).not.toContain(base64);
    }
    // The check can fail: the value did travel, in the write's body (redacted in the log).
    expect(calls('PUT', /variablegroups/)[0]!.body).toMatchObject({ variables: { API_TOKEN: { isSecret: true, value: '[redacted]' } } });
    expect(calls('POST', /variablegroups/)[0]!.body).toMatchObject({ variables: { TOKEN2: { isSecret: true, value: '[redacted]' } } });
  });

  it('creates a Key Vault-linked group with the service connection found by name and the vault in providerData', async () => {
    await adapter.linkKeyVault(project, 'vg-payments-api-secrets-dev', { serviceConnection: CONTRACT_SERVICE_CONNECTION.toUpperCase(), vaultName: 'kv-payments-dev', secretNames: ['payments-api--dev--db-password'] });
    expect(calls('GET', /\/_apis\/serviceendpoint\/endpoints$/)[0]!.query).toMatch(/endpointNames=AZURE-KEY-VAULT/);
    const [post] = calls('POST', /\/_apis\/distributedtask\/variablegroups$/);
    expect(post!.body).toMatchObject({
      name: 'vg-payments-api-secrets-dev',
      type: 'AzureKeyVault',
      providerData: { serviceEndpointId: DEMO_SERVICE_CONNECTIONS[0]!.id, vault: 'kv-payments-dev' },
      variables: { 'payments-api--dev--db-password': { isSecret: true, enabled: true } },
    });
    expect(standIn.state.variableGroups.find((g) => g.name === 'vg-payments-api-secrets-dev')).toMatchObject({ type: 'AzureKeyVault', providerData: { vault: 'kv-payments-dev' } });
  });

  it('retries a 429 on the read and a 503 on the update, and writes once', async () => {
    standIn.addFault({ kind: 'status', status: 429, retryAfterSeconds: 0, times: 1, method: 'GET', path: '/variablegroups$' });
    standIn.addFault({ kind: 'status', status: 503, times: 1, method: 'PUT', path: '/variablegroups/' });
    expect(await adapter.setVariable(project, group, 'LOG_LEVEL', 'debug')).toMatchObject({ changed: true });
    expect(calls('GET', /variablegroups$/).map((r) => r.status)).toEqual([429, 200]);
    expect(calls('PUT', /variablegroups/).map((r) => r.status)).toEqual([503, 200]);
    expect((await adapter.list(project, group))!.variables.map((v) => v.name)).toEqual(['ENVIRONMENT', 'LOG_LEVEL', 'SERVICE_NAME']);
  });

  it('a create whose answer was lost is found again, not made twice, and reported as created', async () => {
    standIn.addFault({ kind: 'drop', afterHandler: true, times: 1, method: 'POST', path: '/variablegroups$' });
    expect(await adapter.setVariable(project, 'vg-payments-web-dev', 'A', 'b')).toMatchObject({ groupCreated: true });
    expect(standIn.state.variableGroups.filter((g) => g.name === 'vg-payments-web-dev')).toHaveLength(1);
    expect(calls('POST', /variablegroups$/).map((r) => r.status)).toEqual([0]);
  });

  it('maps 403 to UPSTREAM.FORBIDDEN naming the permission, never the token or the value', async () => {
    standIn.addFault({ kind: 'status', status: 403, method: 'PUT' });
    const e = await domainFailure(adapter.setVariable(project, group, 'API_TOKEN', new SecretValue(CANARY)));
    expect(e.code).toBe('UPSTREAM.FORBIDDEN');
    expect(e.message).toContain('Variable Groups (Read, create, & manage)');
    const text = JSON.stringify({ m: e.message, d: e.details, s: e.stack });
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(CANARY);
    expect(calls('PUT', /./)).toHaveLength(1);
  });

  it('a group deleted between the read and the update is PIPELINES.VARIABLE_GROUP_GONE (the library resolves a 404 to null)', async () => {
    standIn.addFault({ kind: 'status', status: 404, method: 'PUT' });
    expect(await domainFailure(adapter.setVariable(project, group, 'LOG_LEVEL', 'debug'))).toMatchObject({ code: 'PIPELINES.VARIABLE_GROUP_GONE', details: { group } });
  });

  it('the stand-in refuses what the service refuses: an update without project references, a linked group on an unknown connection', async () => {
    const auth = { authorization: `Basic ${Buffer.from(`:${TOKEN}`).toString('base64')}`, 'content-type': 'application/json' };
    const id = standIn.state.variableGroups[0]!.id;
    const put = await fetch(`${standIn.collectionUrl}/_apis/distributedtask/variablegroups/${id}?api-version=7.2-preview.2`, { method: 'PUT', headers: auth, body: JSON.stringify({ name: group, type: 'Vsts', variables: {} }) });
    expect(put.status).toBe(400);
    const refs = [{ name: 'x', projectReference: { name: 'Payments' } }];
    const post = await fetch(`${standIn.collectionUrl}/_apis/distributedtask/variablegroups?api-version=7.2-preview.2`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'x', type: 'AzureKeyVault', providerData: { serviceEndpointId: '00000000-0000-4000-8000-000000000000', vault: 'kv' }, variables: {}, variableGroupProjectReferences: refs }) });
    expect(post.status).toBe(400);
    expect(standIn.state.variableGroups).toHaveLength(1);
  });
});
