import { domainFailure } from '../helpers/domain-failure';
/**
 * The SourceControl contract against the in-memory fake and against the real adapter (real
 * azure-devops-node-api client, real HTTP) + the Azure DevOps stand-in; then how the adapter turns
 * the stand-in's injected faults into domain errors, with small backoffs so it stays fast.
 */
import { AzureDevOpsSourceControl } from '../../src/adapters/azure-devops/azure-devops-source-control.adapter';
import { AzureDevOpsStandIn } from '../../src/sandbox/standins/azure-devops.standin';
import { DEMO_ORG } from '../../src/sandbox/seed/demo-org';
import { CONTRACT_PROJECTS, sourceControlContract } from '../contracts/source-control.contract';
import { InMemorySourceControl } from '../fakes/in-memory-source-control';

const TOKEN = 'contract-test-pat-do-not-log';
const FAST = { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 2_000 };

sourceControlContract('InMemorySourceControl', async () => ({ sc: new InMemorySourceControl(CONTRACT_PROJECTS), close: async () => {} }));

sourceControlContract('AzureDevOpsSourceControl + stand-in', async () => {
  const standIn = new AzureDevOpsStandIn({ org: DEMO_ORG, projects: CONTRACT_PROJECTS });
  await standIn.start(0);
  return { sc: new AzureDevOpsSourceControl({ orgUrl: standIn.collectionUrl, token: TOKEN }), close: () => standIn.close() };
});

describe('AzureDevOpsSourceControl failure mapping (stand-in faults)', () => {
  const standIn = new AzureDevOpsStandIn({ org: DEMO_ORG, projects: CONTRACT_PROJECTS });
  let adapter: AzureDevOpsSourceControl;
  const REPOS_PATH = '/_apis/git/repositories$';

  const failure = domainFailure;
  const attempts = () => standIn.requests.filter((r) => /\/Payments\/_apis\/git\/repositories$/.test(r.path)).length;

  beforeAll(async () => {
    await standIn.start(0);
    adapter = new AzureDevOpsSourceControl({ orgUrl: standIn.collectionUrl, token: TOKEN, retry: FAST, requestTimeoutMs: 300 });
    await adapter.listRepositories('Payments'); // discovery done, so faults hit the call under test
  });
  afterAll(() => standIn.close());
  beforeEach(() => {
    standIn.clearFaults();
    standIn.requests.length = 0;
  });

  it('maps 403 to UPSTREAM.FORBIDDEN naming the permission and project, never the token, without retrying', async () => {
    standIn.addFault({ kind: 'status', status: 403, path: REPOS_PATH });
    const e = await failure(adapter.listRepositories('Payments'));
    expect(e.code).toBe('UPSTREAM.FORBIDDEN');
    expect(e.message).toContain('"Code (Read)"');
    expect(e.message).toContain('"Payments"');
    expect(JSON.stringify({ message: e.message, details: e.details })).not.toContain(TOKEN);
    expect(JSON.stringify({ message: e.message, details: e.details })).not.toContain(Buffer.from(`PAT:${TOKEN}`).toString('base64'));
    expect(attempts()).toBe(1);
  });

  it('maps 401 to UPSTREAM.FORBIDDEN too', async () => {
    standIn.addFault({ kind: 'status', status: 401, path: REPOS_PATH });
    expect((await failure(adapter.listRepositories('Payments'))).code).toBe('UPSTREAM.FORBIDDEN');
  });

  it('honours Retry-After on 429 and succeeds on the retry', async () => {
    standIn.addFault({ kind: 'status', status: 429, retryAfterSeconds: 1, times: 1, path: REPOS_PATH });
    const started = Date.now();
    const repos = await adapter.listRepositories('Payments');
    expect(repos.map((r) => r.name)).toEqual(['payments-api', 'payments-web']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(attempts()).toBe(2);
  });

  it('maps persistent 429 to UPSTREAM.THROTTLED after a bounded number of attempts', async () => {
    standIn.addFault({ kind: 'status', status: 429, retryAfterSeconds: 0, path: REPOS_PATH });
    const e = await failure(adapter.listRepositories('Payments'));
    expect(e.code).toBe('UPSTREAM.THROTTLED');
    expect(attempts()).toBe(FAST.maxAttempts);
  });

  it('gives up at once when Retry-After is longer than the cap', async () => {
    standIn.addFault({ kind: 'status', status: 429, retryAfterSeconds: 60, path: REPOS_PATH });
    const e = await failure(adapter.listRepositories('Payments'));
    expect(e).toMatchObject({ code: 'UPSTREAM.THROTTLED', details: expect.objectContaining({ retryAfterSeconds: 60 }) });
    expect(attempts()).toBe(1);
  });

  it('retries a transient 503 and succeeds', async () => {
    standIn.addFault({ kind: 'status', status: 503, times: 2, path: REPOS_PATH });
    expect(await adapter.listRepositories('Payments')).toHaveLength(2);
    expect(attempts()).toBe(3);
  });

  it('maps persistent 503 to UPSTREAM.UNAVAILABLE after a bounded number of attempts', async () => {
    standIn.addFault({ kind: 'status', status: 503, path: REPOS_PATH });
    const e = await failure(adapter.listRepositories('Payments'));
    expect(e.code).toBe('UPSTREAM.UNAVAILABLE');
    expect(attempts()).toBe(FAST.maxAttempts);
  });

  it('maps dropped connections and timeouts to UPSTREAM.UNAVAILABLE', async () => {
    standIn.addFault({ kind: 'drop', path: REPOS_PATH });
    expect((await failure(adapter.listRepositories('Payments'))).code).toBe('UPSTREAM.UNAVAILABLE');
    standIn.clearFaults();
    standIn.addFault({ kind: 'timeout', path: REPOS_PATH });
    expect((await failure(adapter.listRepositories('Payments'))).code).toBe('UPSTREAM.UNAVAILABLE');
  });

  it('maps faults on file reads the same way (a 404 stays null)', async () => {
    standIn.addFault({ kind: 'status', status: 403, path: '/items$' });
    const e = await failure(adapter.readFile('Catalog Demo', 'orders-service', '/catalog-info.yaml'));
    expect(e).toMatchObject({ code: 'UPSTREAM.FORBIDDEN', details: expect.objectContaining({ project: 'Catalog Demo', permission: 'Code (Read)' }) });
    standIn.clearFaults();
    expect(await adapter.readFile('Catalog Demo', 'orders-service', '/missing.yaml')).toBeNull();
  });

  it('retries a failed discovery on the next call (a fresh adapter behind a 503 on the area lookup)', async () => {
    const fresh = new AzureDevOpsSourceControl({ orgUrl: standIn.collectionUrl, token: TOKEN, retry: FAST, requestTimeoutMs: 300 });
    standIn.addFault({ kind: 'status', status: 503, times: 1, method: 'OPTIONS', path: '/_apis/git$' });
    expect(await fresh.listRepositories('Payments')).toHaveLength(2);
    expect(standIn.requests.filter((r) => r.method === 'OPTIONS' && r.path.endsWith('/_apis/git')).map((r) => r.status)).toEqual([503, 200]);
  });

  it("moves a file's last commit with a push that changes it, not with one that changes another file", async () => {
    const repo = standIn.state.repo('orders-service', standIn.state.project('Catalog Demo'))!;
    const before = await adapter.lastCommit('Catalog Demo', 'orders-service', '/catalog-info.yaml');
    const at = new Date('2026-05-04T10:00:00Z');
    const push = repo.git.push('refs/heads/main', repo.git.refs.get('refs/heads/main')!, [{ comment: 'owner', changes: [{ changeType: 'edit', path: '/catalog-info.yaml', content: Buffer.from('kind: Component\n') }] }], at);
    repo.git.push('refs/heads/main', repo.git.refs.get('refs/heads/main')!, [{ comment: 'docs', changes: [{ changeType: 'edit', path: '/docs/README.md', content: Buffer.from('# Orders!\n') }] }], new Date('2026-06-01T10:00:00Z'));
    const after = await adapter.lastCommit('Catalog Demo', 'orders-service', '/catalog-info.yaml');
    expect(after).toEqual({ commitId: push.commitIds[0], date: at });
    expect(after?.commitId).not.toBe(before?.commitId);
  });

  it('maps faults on history reads the same way (UPSTREAM.*)', async () => {
    standIn.addFault({ kind: 'status', status: 403, path: '/commits$' });
    const e = await failure(adapter.lastCommit('Catalog Demo', 'orders-service', '/catalog-info.yaml'));
    expect(e).toMatchObject({ code: 'UPSTREAM.FORBIDDEN', details: expect.objectContaining({ project: 'Catalog Demo', permission: 'Code (Read)' }) });
  });
});
