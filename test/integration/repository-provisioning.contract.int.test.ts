import { domainFailure } from '../helpers/domain-failure';
/**
 * The RepositoryProvisioning contract against the in-memory fake and against the real adapter
 * (real azure-devops-node-api client, real HTTP) + the Azure DevOps stand-in, whose state is read
 * through GET /_standin/state. Then the failures that idempotency is for: a create whose answer is
 * lost, a 5xx then a retry, 403 naming the permission, 429 with Retry-After; and the stand-in's
 * latency knob on every route.
 */
import { AzureDevOpsConnection } from '../../src/adapters/azure-devops/azure-devops-connection';
import { AzureDevOpsRepositoryProvisioning } from '../../src/adapters/azure-devops/azure-devops-provisioning.adapter';
import { AzureDevOpsSourceControl } from '../../src/adapters/azure-devops/azure-devops-source-control.adapter';
import { AzureDevOpsStandIn } from '../../src/sandbox/standins/azure-devops.standin';
import { DEMO_ORG } from '../../src/sandbox/seed/demo-org';
import { APPROVAL_CHECK_TYPE_GUID, POLICY_TYPE_GUIDS, repositoryProvisioningContract, type ProvisioningState } from '../contracts/repository-provisioning.contract';
import { CONTRACT_PROJECTS } from '../contracts/source-control.contract';
import { InMemoryAzureDevOps } from '../fakes/in-memory-repository-provisioning';

const TOKEN = 'provisioning-test-pat-do-not-log';
const FAST = { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 2_000 };
const KIND_GUIDS = {
  'minimum-reviewers': POLICY_TYPE_GUIDS.minimumReviewers,
  'build-validation': POLICY_TYPE_GUIDS.build,
  'comment-resolution': POLICY_TYPE_GUIDS.commentRequirements,
  'work-item-linking': POLICY_TYPE_GUIDS.workItemLinking,
};

interface StandInState {
  repositories: { id: string; name: string; project: string; commits: unknown[]; pushes: unknown[] }[];
  definitions: { id: number; name: string; repositoryId: string; yamlFilename: string; path: string }[];
  policies: { typeId: string; isEnabled: boolean; isBlocking: boolean; settings: { scope: { repositoryId: string; refName: string; matchKind: string }[] } & Record<string, unknown> }[];
  pullRequests: { pullRequestId: number; repositoryId: string; sourceRefName: string; targetRefName: string; status: string }[];
  environments: { id: number; name: string; project: string }[];
  checks: { id: number; typeId: string; resource: { type: string; id: string }; timeout: number; settings: { approvers: { id: string }[]; minRequiredApprovers: number; requesterCannotBeApprover: boolean } }[];
  variableGroups: { id: number; name: string; projectIds: string[]; variables: Record<string, { value?: string }> }[];
  projects: { id: string; name: string }[];
}

async function standInState(standIn: AzureDevOpsStandIn): Promise<StandInState> {
  return (await (await fetch(`${standIn.baseUrl}/_standin/state`)).json()) as StandInState;
}

function fromStandIn(s: StandInState): ProvisioningState {
  return {
    repositories: s.repositories.map((r) => ({ id: r.id, name: r.name, project: r.project, commits: r.commits.length })),
    pipelines: s.definitions.map((d) => ({ id: d.id, name: d.name, repositoryId: d.repositoryId, yamlPath: d.yamlFilename, folder: d.path })),
    policies: s.policies.map(({ typeId, isEnabled, isBlocking, settings: { scope, ...settings } }) => ({
      typeId,
      repositoryId: scope[0].repositoryId,
      refName: scope[0].refName,
      matchKind: scope[0].matchKind.toLowerCase(),
      isEnabled,
      isBlocking,
      settings,
    })),
    pullRequests: s.pullRequests.map((pr) => ({ id: pr.pullRequestId, repositoryId: pr.repositoryId, sourceRefName: pr.sourceRefName, targetRefName: pr.targetRefName, status: pr.status })),
    environments: s.environments.map(({ id, name, project }) => ({ id, name, project })),
    checks: s.checks.map((c) => ({
      id: c.id,
      typeId: c.typeId,
      environmentId: Number(c.resource.id),
      approvers: c.settings.approvers.map((a) => a.id),
      minRequiredApprovers: c.settings.minRequiredApprovers,
      requesterCannotBeApprover: c.settings.requesterCannotBeApprover,
      timeout: c.timeout,
    })),
    variableGroups: s.variableGroups.flatMap((g) =>
      g.projectIds.map((pid) => ({
        id: g.id,
        name: g.name,
        project: s.projects.find((p) => p.id === pid)!.name,
        variables: Object.fromEntries(Object.entries(g.variables).map(([k, v]) => [k, v.value ?? ''])),
      })),
    ),
  };
}

repositoryProvisioningContract('InMemoryAzureDevOps', async () => {
  const fake = new InMemoryAzureDevOps(CONTRACT_PROJECTS);
  const state = async (): Promise<ProvisioningState> => {
    const s = fake.snapshot();
    return {
      repositories: s.repositories,
      pipelines: s.pipelines.map(({ id, name, repositoryId, yamlPath, folder }) => ({ id, name, repositoryId, yamlPath, folder })),
      policies: s.policies.map((p) => ({ typeId: KIND_GUIDS[p.kind], repositoryId: p.repositoryId, refName: p.refName, matchKind: 'exact', isEnabled: true, isBlocking: true, settings: p.settings })),
      pullRequests: s.pullRequests.map(({ id, repositoryId, sourceRefName, targetRefName, status }) => ({ id, repositoryId, sourceRefName, targetRefName, status })),
      environments: s.environments.map(({ id, name, project }) => ({ id, name, project })),
      checks: s.checks.map((c) => ({
        id: c.id,
        typeId: APPROVAL_CHECK_TYPE_GUID,
        environmentId: c.environmentId,
        approvers: c.approverIds,
        minRequiredApprovers: c.minRequiredApprovers,
        requesterCannotBeApprover: c.requesterCannotBeApprover,
        timeout: c.timeoutMinutes,
      })),
      variableGroups: s.variableGroups.map(({ id, name, project, variables }) => ({ id, name, project, variables })),
    };
  };
  return { prov: fake, sc: fake, state, close: async () => {} };
});

repositoryProvisioningContract('AzureDevOpsRepositoryProvisioning + stand-in', async () => {
  const standIn = new AzureDevOpsStandIn({ org: DEMO_ORG, projects: CONTRACT_PROJECTS });
  await standIn.start(0);
  const conn = new AzureDevOpsConnection({ orgUrl: standIn.collectionUrl, token: TOKEN });
  return {
    prov: new AzureDevOpsRepositoryProvisioning(conn),
    sc: new AzureDevOpsSourceControl(conn),
    state: async () => fromStandIn(await standInState(standIn)),
    close: () => standIn.close(),
  };
});

describe('AzureDevOpsRepositoryProvisioning under faults (stand-in)', () => {
  const standIn = new AzureDevOpsStandIn({ org: DEMO_ORG, projects: CONTRACT_PROJECTS });
  let prov: AzureDevOpsRepositoryProvisioning;
  const P = 'Payments';
  const FILES = [
    { path: '/README.md', content: '# svc\n' },
    { path: '/azure-pipelines.yml', content: 'trigger: [main]\n' },
  ];
  const POLICIES = { minimumReviewers: 2, creatorVoteCounts: false, commentResolution: true, workItemLinking: true } as const;
  let n = 0;
  const newRepo = async () => (await prov.ensureRepository(P, `fault-${++n}`)).repository.id;
  const repoIn = async (id: string) => (await standInState(standIn)).repositories.find((r) => r.id === id)!;

  const failure = domainFailure;

  beforeAll(async () => {
    await standIn.start(0);
    prov = new AzureDevOpsRepositoryProvisioning({ orgUrl: standIn.collectionUrl, token: TOKEN, retry: FAST, requestTimeoutMs: 500 });
    await prov.findPipelinesForRepository(P, CONTRACT_PROJECTS[0].repositories[0].id); // discovery done, so faults hit the call under test
  });
  afterAll(() => standIn.close());
  beforeEach(() => {
    standIn.clearFaults();
    standIn.requests.length = 0;
  });

  it('a 503 on every push fails as UPSTREAM.UNAVAILABLE; the retry of the step makes exactly one commit', async () => {
    const repoId = await newRepo();
    standIn.addFault({ kind: 'status', status: 503, method: 'POST', path: '/pushes$' });
    const e = await failure(prov.ensureInitialCommit(P, repoId, 'main', FILES, 'Scaffold'));
    expect(e.code).toBe('UPSTREAM.UNAVAILABLE');
    expect((await repoIn(repoId)).commits).toHaveLength(0);
    standIn.clearFaults();
    const retried = await prov.ensureInitialCommit(P, repoId, 'main', FILES, 'Scaffold');
    expect(retried.created).toBe(true);
    expect(await prov.ensureInitialCommit(P, repoId, 'main', FILES, 'Scaffold')).toEqual({ ...retried, created: false });
    expect((await repoIn(repoId)).commits).toHaveLength(1);
  });

  it('a push that landed but whose answer was a 503 is found, not pushed again: exactly one commit', async () => {
    const repoId = await newRepo();
    standIn.addFault({ kind: 'status', status: 503, method: 'POST', path: '/pushes$', times: 1, afterHandler: true });
    const result = await prov.ensureInitialCommit(P, repoId, 'main', FILES, 'Scaffold');
    expect(result).toMatchObject({ created: true, differingPaths: [] });
    const repo = await repoIn(repoId);
    expect(repo.commits).toHaveLength(1);
    expect(repo.pushes).toHaveLength(1);
    expect(standIn.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/pushes'))).toHaveLength(1);
  });

  it('a repository create whose connection dropped after it happened returns that repository: exactly one', async () => {
    standIn.addFault({ kind: 'drop', method: 'POST', path: '/_apis/git/repositories$', times: 1, afterHandler: true });
    const { repository, created } = await prov.ensureRepository(P, 'dropped-create');
    expect(created).toBe(true);
    expect((await standInState(standIn)).repositories.filter((r) => r.name === 'dropped-create').map((r) => r.id)).toEqual([repository.id]);
  });

  it('a pipeline and policies created behind lost answers exist once each', async () => {
    const repoId = await newRepo();
    await prov.ensureInitialCommit(P, repoId, 'main', FILES, 'Scaffold');
    standIn.addFault({ kind: 'status', status: 502, method: 'POST', path: '/_apis/build/definitions$', times: 1, afterHandler: true });
    const pipeline = await prov.ensurePipeline(P, { name: `fault-${n}-ci`, repositoryId: repoId, yamlPath: '/azure-pipelines.yml' });
    expect(pipeline.created).toBe(true);
    standIn.addFault({ kind: 'status', status: 503, method: 'POST', path: '/_apis/policy/configurations$', times: 2, afterHandler: true });
    const policies = await prov.ensureBranchPolicies(P, repoId, 'main', { ...POLICIES, buildDefinitionId: pipeline.id });
    expect(policies.created).toHaveLength(4);
    const state = await standInState(standIn);
    expect(state.definitions.filter((d) => d.repositoryId === repoId)).toHaveLength(1);
    expect(state.policies.filter((p) => p.settings.scope[0].repositoryId === repoId)).toHaveLength(4);
  });

  it('a 403 names the permission the bot lacks and the project, never the token, without retrying the write', async () => {
    const repoId = await newRepo();
    await prov.ensureInitialCommit(P, repoId, 'main', FILES, 'Scaffold');
    const pipeline = await prov.ensurePipeline(P, { name: `fault-${n}-ci`, repositoryId: repoId, yamlPath: '/azure-pipelines.yml' });
    const [env] = await prov.ensureEnvironments(P, [`fault-${n}-prod`]);
    const cases: [string, string, () => Promise<unknown>][] = [
      ['/_apis/git/repositories$', 'Code (Read, write, & manage)', () => prov.ensureRepository(P, 'forbidden-repo')],
      ['/_apis/build/definitions$', 'Build (Read & execute)', () => prov.ensurePipeline(P, { name: 'forbidden-ci', repositoryId: repoId, yamlPath: '/azure-pipelines.yml' })],
      ['/_apis/policy/configurations$', 'Edit policies (Code (Read & write))', () => prov.ensureBranchPolicies(P, repoId, 'main', { ...POLICIES, buildDefinitionId: pipeline.id })],
      ['/pushes$', 'Code (Read & write)', () => prov.ensureFiles(P, repoId, 'main', [{ path: '/x.txt', content: 'x' }], 'x')],
      ['/_apis/distributedtask/environments$', 'Environment (Read & manage)', () => prov.ensureEnvironments(P, ['forbidden-env'])],
      ['/_apis/pipelines/checks/configurations$', 'Environment (Read & manage)', () => prov.ensureApprovalCheck(P, env!.id, { approverNames: ['team-payments'], minRequiredApprovers: 1, requesterCannotBeApprover: true })],
      ['/_apis/distributedtask/variablegroups$', 'Variable Groups (Read, create, & manage)', () => prov.ensureVariableGroups(P, [{ name: 'vg-forbidden', description: 'x', variables: { ENVIRONMENT: 'prod' } }])],
    ];
    for (const [path, permission, call] of cases) {
      standIn.clearFaults();
      standIn.requests.length = 0;
      standIn.addFault({ kind: 'status', status: 403, method: 'POST', path });
      const e = await failure(call());
      expect(e.code).toBe('UPSTREAM.FORBIDDEN');
      expect(e.message).toContain(`"${permission}"`);
      expect(e.message).toContain(`project "${P}"`);
      expect(e.details).toMatchObject({ permission, project: P, status: 403 });
      expect(JSON.stringify({ message: e.message, details: e.details })).not.toContain(TOKEN);
      const posts = standIn.requests.filter((r) => r.method === 'POST' && new RegExp(path).test(r.path));
      expect(posts.length).toBe(path.includes('policy') ? 4 : 1); // one per policy kind, none repeated
    }
  });

  it('an environment, approval check and variable group created behind lost answers exist once each', async () => {
    standIn.addFault({ kind: 'status', status: 503, method: 'POST', path: '/_apis/distributedtask/environments$', times: 1, afterHandler: true });
    const [env] = await prov.ensureEnvironments(P, ['lost-answer-prod']);
    expect(env!.created).toBe(true);
    standIn.addFault({ kind: 'status', status: 502, method: 'POST', path: '/_apis/pipelines/checks/configurations$', times: 1, afterHandler: true });
    const check = await prov.ensureApprovalCheck(P, env!.id, { approverNames: ['team-payments'], minRequiredApprovers: 1, requesterCannotBeApprover: true });
    expect(check.created).toBe(true);
    standIn.addFault({ kind: 'drop', method: 'POST', path: '/_apis/distributedtask/variablegroups$', times: 1, afterHandler: true });
    const [vg] = await prov.ensureVariableGroups(P, [{ name: 'vg-lost-answer-prod', description: 'x', variables: { ENVIRONMENT: 'prod' } }]);
    expect(vg!.created).toBe(true);
    const state = await standInState(standIn);
    expect(state.environments.filter((e) => e.name === 'lost-answer-prod')).toHaveLength(1);
    expect(state.checks.filter((c) => c.resource.id === String(env!.id))).toHaveLength(1);
    expect(state.variableGroups.filter((g) => g.name === 'vg-lost-answer-prod')).toHaveLength(1);
  });

  it('honours Retry-After on a 429 (the call takes at least 1 s) and still makes one commit', async () => {
    const repoId = await newRepo();
    standIn.addFault({ kind: 'status', status: 429, retryAfterSeconds: 1, method: 'POST', path: '/pushes$', times: 1 });
    const started = performance.now();
    const result = await prov.ensureInitialCommit(P, repoId, 'main', FILES, 'Scaffold');
    expect(performance.now() - started).toBeGreaterThanOrEqual(1000);
    expect(result.created).toBe(true);
    expect((await repoIn(repoId)).commits).toHaveLength(1);
  });

  it('gives up at once when Retry-After is longer than the cap, as UPSTREAM.THROTTLED', async () => {
    standIn.addFault({ kind: 'status', status: 429, retryAfterSeconds: 60, method: 'POST', path: '/_apis/git/repositories$' });
    const e = await failure(prov.ensureRepository(P, 'throttled-repo'));
    expect(e).toMatchObject({ code: 'UPSTREAM.THROTTLED', details: expect.objectContaining({ retryAfterSeconds: 60 }) });
    expect(standIn.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('two concurrent ensureRepository calls (a double click) make one repository', async () => {
    const [a, b] = await Promise.all([prov.ensureRepository(P, 'double-click'), prov.ensureRepository(P, 'double-click')]);
    expect(a.repository.id).toBe(b.repository.id);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect((await standInState(standIn)).repositories.filter((r) => r.name === 'double-click')).toHaveLength(1);
  });

  it('two concurrent ensureBranch calls make one branch; the loser finds it', async () => {
    const repoId = await newRepo();
    const { commitId } = await prov.ensureInitialCommit(P, repoId, 'main', FILES, 'Scaffold');
    const [a, b] = await Promise.all([prov.ensureBranch(P, repoId, 'feature/x', commitId), prov.ensureBranch(P, repoId, 'feature/x', commitId)]);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(a.commitId).toBe(commitId);
    expect(b.commitId).toBe(commitId);
  });

  it('ensureFiles re-reads a branch that moved under it (409 stale ref) and pushes on the new head', async () => {
    const repoId = await newRepo();
    await prov.ensureInitialCommit(P, repoId, 'main', FILES, 'Scaffold');
    standIn.requests.length = 0;
    // The first push to arrive waits, so the other lands first and the waiting one is stale.
    standIn.addFault({ kind: 'latency', latencyMs: 150, method: 'POST', path: '/pushes$', times: 1 });
    const [a, b] = await Promise.all([
      prov.ensureFiles(P, repoId, 'main', [{ path: '/a.txt', content: 'a\n' }], 'Add a'),
      prov.ensureFiles(P, repoId, 'main', [{ path: '/b.txt', content: 'b\n' }], 'Add b'),
    ]);
    expect([a.created, b.created]).toEqual([true, true]);
    const repo = (await standInState(standIn)).repositories.find((r) => r.id === repoId) as unknown as { commits: unknown[]; files: Record<string, Record<string, string>> };
    expect(repo.commits).toHaveLength(3);
    expect(repo.files.main).toMatchObject({ '/a.txt': 'a\n', '/b.txt': 'b\n' });
    expect(standIn.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/pushes')).map((r) => r.status).sort()).toEqual([201, 201, 409]);
  });

  it('reports a name taken by something it cannot find (e.g. the recycle bin) as REPOS.NAME_CONFLICT', async () => {
    standIn.addFault({ kind: 'status', status: 409, method: 'POST', path: '/_apis/git/repositories$', times: 1 });
    expect((await failure(prov.ensureRepository(P, 'recycled-name'))).code).toBe('REPOS.NAME_CONFLICT');
  });

  it('pages the git policy configurations route with $top and x-ms-continuationtoken', async () => {
    const repoId = await newRepo();
    await prov.ensureInitialCommit(P, repoId, 'main', FILES, 'Scaffold');
    const pipeline = await prov.ensurePipeline(P, { name: `fault-${n}-ci`, repositoryId: repoId, yamlPath: '/azure-pipelines.yml' });
    await prov.ensureBranchPolicies(P, repoId, 'main', { ...POLICIES, buildDefinitionId: pipeline.id });
    const auth = { authorization: `Basic ${Buffer.from(`:${TOKEN}`).toString('base64')}` };
    const url = `${standIn.collectionUrl}/${P}/_apis/git/policy/configurations?repositoryId=${repoId}&refName=refs/heads/main&$top=3`;
    const first = await fetch(url, { headers: auth });
    const token = first.headers.get('x-ms-continuationtoken');
    expect(((await first.json()) as { count: number }).count).toBe(3);
    expect(token).toMatch(/^\d+$/);
    const second = await fetch(`${url}&continuationToken=${token}`, { headers: auth });
    expect(((await second.json()) as { count: number }).count).toBe(1);
    expect(second.headers.get('x-ms-continuationtoken')).toBeNull();
    const other = await fetch(`${standIn.collectionUrl}/${P}/_apis/git/policy/configurations?repositoryId=${repoId}&refName=refs/heads/other`, { headers: auth });
    expect(((await other.json()) as { count: number }).count).toBe(0);
  });
});

describe('Azure DevOps stand-in latency knob', () => {
  const standIn = new AzureDevOpsStandIn({ org: DEMO_ORG, projects: CONTRACT_PROJECTS });
  beforeAll(() => standIn.start(0));
  afterAll(() => standIn.close());

  it('adds latencyMs to every route: discovery, reads, writes, errors and faults', async () => {
    standIn.latencyMs = 150;
    const auth = { authorization: `Basic ${Buffer.from(`:${TOKEN}`).toString('base64')}` };
    const base = standIn.collectionUrl;
    const repo = CONTRACT_PROJECTS[0].repositories[0].id;
    standIn.addFault({ kind: 'status', status: 503, path: '/_apis/build/builds$' });
    const calls: [string, string, unknown?][] = [
      ['OPTIONS', `${base}/_apis/git`],
      ['GET', `${base}/_apis/ResourceAreas`],
      ['GET', `${base}/Payments/_apis/git/repositories/${repo}/refs?filter=heads/`],
      ['GET', `${base}/Payments/_apis/git/policy/configurations?repositoryId=${repo}`],
      ['GET', `${base}/Payments/_apis/build/definitions`],
      ['POST', `${base}/Payments/_apis/git/repositories`, { name: 'latency-repo' }],
      ['GET', `${base}/Payments/_apis/no/such/route`],
      ['GET', `${base}/Payments/_apis/build/builds`],
    ];
    for (const [method, url, body] of calls) {
      const started = performance.now();
      const res = await fetch(url, { method, headers: { ...auth, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
      await res.arrayBuffer();
      expect({ method, url, ms: performance.now() - started >= 150 }).toEqual({ method, url, ms: true });
    }
  });
});
