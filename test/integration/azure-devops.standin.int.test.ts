/**
 * The Azure DevOps stand-in driven by the real azure-devops-node-api client over real HTTP: if the
 * library's discovery, URLs, enums and JSON parsing work here, they work against the stand-in the
 * adapters and the sandbox use. No mocks.
 */
import { WebApi, getBasicHandler, getPersonalAccessTokenHandler } from 'azure-devops-node-api';
import type { IGitApi } from 'azure-devops-node-api/GitApi';
import type { BuildDefinition } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import {
  GitObjectType,
  GitRefUpdateStatus,
  GitVersionType,
  ItemContentType,
  PullRequestStatus,
  VersionControlChangeType,
  VersionControlRecursionType,
} from 'azure-devops-node-api/interfaces/GitInterfaces';
import { AzureDevOpsStandIn } from '../../src/sandbox/standins/azure-devops.standin';
import { DEMO_ORG, DEMO_PROJECTS } from '../../src/sandbox/seed/demo-org';

const PAT = 'standin-test-pat-0123456789';
const ZERO = '0'.repeat(40);
const MIN_REVIEWERS = 'fa4e907d-c16b-4a4c-9dfa-4906e5d171dd';

interface ClientError {
  statusCode?: number;
  result?: { typeKey?: string; message?: string };
  responseHeaders?: Record<string, string>;
  rateLimit?: { retryAfter?: number };
}

async function rejection(promise: Promise<unknown>): Promise<ClientError> {
  try {
    await promise;
  } catch (e) {
    return e as ClientError;
  }
  throw new Error('expected the call to fail');
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

describe('Azure DevOps stand-in with the real azure-devops-node-api client', () => {
  const standIn = new AzureDevOpsStandIn({ org: DEMO_ORG, projects: DEMO_PROJECTS });
  let conn: WebApi;
  let git: IGitApi;
  const payments = DEMO_PROJECTS[0];

  beforeAll(async () => {
    await standIn.start(0);
    conn = new WebApi(standIn.collectionUrl, getPersonalAccessTokenHandler(PAT));
    git = await conn.getGitApi();
  });
  afterAll(() => standIn.close());

  it('answers the discovery the client does first', async () => {
    const core = await conn.getCoreApi();
    await core.getProjects();
    const first = standIn.requests.slice(0, 2).map((r) => `${r.method} ${r.path} ${r.status}`);
    expect(first).toEqual([`OPTIONS /${DEMO_ORG}/_apis/Location 200`, `GET /${DEMO_ORG}/_apis/ResourceAreas 200`]);
    expect(standIn.requests.some((r) => r.method === 'OPTIONS' && r.path === `/${DEMO_ORG}/_apis/core`)).toBe(true);
    const connection = await conn.connect();
    expect(connection.authenticatedUser?.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('lists projects and gets one by name or id; an unknown project is null', async () => {
    const core = await conn.getCoreApi();
    expect((await core.getProjects()).map((p) => p.name)).toEqual(['Payments', 'Search', 'Platform']);
    const byName = await core.getProject('Payments', true);
    expect(byName).toMatchObject({ id: payments.id, name: 'Payments', capabilities: { versioncontrol: { sourceControlType: 'Git' } } });
    expect((await core.getProject(payments.id)).name).toBe('Payments');
    expect(await core.getProject('Nope')).toBeNull();
  });

  it('lists repositories per project and org-wide, and gets one by name or id', async () => {
    expect((await git.getRepositories('Payments')).map((r) => r.name)).toEqual(['payments-api', 'payments-web']);
    expect(await git.getRepositories()).toHaveLength(4);
    const repo = await git.getRepository('payments-api', 'Payments');
    expect(repo).toMatchObject({
      id: payments.repositories[0].id,
      defaultBranch: 'refs/heads/main',
      project: { name: 'Payments' },
      webUrl: `${standIn.collectionUrl}/Payments/_git/payments-api`,
    });
    expect(repo.remoteUrl).toMatch(/^http:\/\/contoso@127\.0\.0\.1:\d+\/contoso\/Payments\/_git\/payments-api$/);
    expect((await git.getRepository(payments.repositories[0].id)).name).toBe('payments-api');
  });

  it('reads a seeded file as JSON with content, as text, as bytes, and lists the tree', async () => {
    const item = await git.getItem('payments-api', '/README.md', 'Payments', undefined, undefined, undefined, undefined, undefined, undefined, true);
    expect(item).toMatchObject({ path: '/README.md', content: '# payments-api\n', gitObjectType: GitObjectType.Blob });
    expect(item.objectId).toBe('ee7c840521cbb771c9c4486e031ff90cad2980d1'); // `git hash-object` of the content
    expect(await readAll(await git.getItemText('payments-api', '/README.md', 'Payments'))).toBe('# payments-api\n');
    expect(await readAll(await git.getItemContent('payments-api', '/pom.xml', 'Payments'))).toContain('<artifactId>payments-api</artifactId>');
    const tree = await git.getItems('payments-api', 'Payments', '/', VersionControlRecursionType.Full);
    expect(tree.map((i) => [i.path, i.gitObjectType])).toEqual([
      ['/', GitObjectType.Tree],
      ['/README.md', GitObjectType.Blob],
      ['/catalog-info.yaml', GitObjectType.Blob],
      ['/pom.xml', GitObjectType.Blob],
    ]);
  });

  it('resolves 404 reads to null', async () => {
    expect(await git.getRepository('no-such-repo', 'Payments')).toBeNull();
    expect(await git.getItem('payments-api', '/no-such-file', 'Payments')).toBeNull();
    const text = await git.getItemText('payments-api', '/no-such-file', 'Payments');
    expect((text as unknown as { statusCode: number }).statusCode).toBe(404); // the raw stream carries the status
  });

  describe('a new repository, end to end', () => {
    let repoId: string;
    let mainHead: string;

    it('creates a repository, empty until the first push; a duplicate name is 409', async () => {
      const repo = await git.createRepository({ name: 'orders-service', project: { id: payments.id } }, 'Payments');
      repoId = repo.id!;
      expect(repo).toMatchObject({ name: 'orders-service', size: 0, project: { id: payments.id } });
      expect(repo.defaultBranch).toBeUndefined();
      expect(await git.getItems(repoId, 'Payments', '/', VersionControlRecursionType.Full)).toBeNull();
      const dup = await rejection(git.createRepository({ name: 'Orders-Service' }, 'Payments'));
      expect(dup).toMatchObject({ statusCode: 409, result: { typeKey: 'GitRepositoryNameAlreadyExistsException' } });
    });

    it('pushes an initial commit with several files (raw text and base64) and reads them back', async () => {
      const push = await git.createPush(
        {
          refUpdates: [{ name: 'refs/heads/main', oldObjectId: ZERO }],
          commits: [
            {
              comment: 'Scaffold from template',
              changes: [
                { changeType: VersionControlChangeType.Add, item: { path: '/README.md' }, newContent: { content: '# orders\n', contentType: ItemContentType.RawText } },
                { changeType: VersionControlChangeType.Add, item: { path: '/catalog-info.yaml' }, newContent: { content: 'kind: Component\n', contentType: ItemContentType.RawText } },
                {
                  changeType: VersionControlChangeType.Add,
                  item: { path: '/src/index.ts' },
                  newContent: { content: Buffer.from('export {};\n').toString('base64'), contentType: ItemContentType.Base64Encoded },
                },
              ],
            },
          ],
        },
        repoId,
        'Payments',
      );
      mainHead = push.refUpdates![0].newObjectId!;
      expect(push).toMatchObject({ pushId: 1, refUpdates: [{ name: 'refs/heads/main', oldObjectId: ZERO }], commits: [{ comment: 'Scaffold from template' }] });
      expect(push.commits![0].commitId).toBe(mainHead);

      expect((await git.getRepository(repoId)).defaultBranch).toBe('refs/heads/main');
      const files = await git.getItems(repoId, 'Payments', '/', VersionControlRecursionType.Full, undefined, undefined, undefined, undefined, {
        version: 'main',
        versionType: GitVersionType.Branch,
      });
      expect(files.filter((i) => !i.isFolder).map((i) => i.path)).toEqual(['/README.md', '/catalog-info.yaml', '/src/index.ts']);
      const oneLevel = await git.getItems(repoId, 'Payments', '/', VersionControlRecursionType.OneLevel);
      expect(oneLevel.map((i) => i.path)).toEqual(['/', '/README.md', '/catalog-info.yaml', '/src']);
      const source = await git.getItem(repoId, '/src/index.ts', 'Payments', undefined, undefined, undefined, undefined, undefined, undefined, true);
      expect(source.content).toBe('export {};\n');
      const commits = await git.getCommits(repoId, { itemVersion: { version: 'main' } }, 'Payments');
      expect(commits.map((c) => c.commitId)).toEqual([mainHead]);
    });

    it('rejects a push with a stale oldObjectId (409, TF401028) and an add of an existing path (400)', async () => {
      const change = { changeType: VersionControlChangeType.Add, item: { path: '/other.txt' }, newContent: { content: 'x', contentType: ItemContentType.RawText } };
      const stale = await rejection(git.createPush({ refUpdates: [{ name: 'refs/heads/main', oldObjectId: ZERO }], commits: [{ comment: 'late', changes: [change] }] }, repoId, 'Payments'));
      expect(stale).toMatchObject({ statusCode: 409, result: { typeKey: 'GitReferenceStaleException' } });
      expect(stale.result?.message).toContain('TF401028');
      const exists = await rejection(
        git.createPush({ refUpdates: [{ name: 'refs/heads/main', oldObjectId: mainHead }], commits: [{ comment: 'dup', changes: [{ ...change, item: { path: '/README.md' } }] }] }, repoId, 'Payments'),
      );
      expect(exists.statusCode).toBe(400);
    });

    it('creates a branch with updateRefs, reports a stale update per ref, pushes to it and opens a pull request', async () => {
      const [created] = await git.updateRefs([{ name: 'refs/heads/feature/ci', oldObjectId: ZERO, newObjectId: mainHead }], repoId, 'Payments');
      expect(created).toMatchObject({ success: true, updateStatus: GitRefUpdateStatus.Succeeded });
      const [stale] = await git.updateRefs([{ name: 'refs/heads/feature/ci', oldObjectId: ZERO, newObjectId: mainHead }], repoId, 'Payments');
      expect(stale).toMatchObject({ success: false, updateStatus: GitRefUpdateStatus.StaleOldObjectId });
      expect((await git.getRefs(repoId, 'Payments', 'heads/')).map((r) => r.name)).toEqual(['refs/heads/feature/ci', 'refs/heads/main']);
      expect((await git.getRefs(repoId, 'Payments', 'heads/feature')).map((r) => r.objectId)).toEqual([mainHead]);

      const push = await git.createPush(
        {
          refUpdates: [{ name: 'refs/heads/feature/ci', oldObjectId: mainHead }],
          commits: [
            {
              comment: 'Add pipeline',
              changes: [
                { changeType: VersionControlChangeType.Add, item: { path: '/azure-pipelines.yml' }, newContent: { content: 'trigger: [main]\n', contentType: ItemContentType.RawText } },
                { changeType: VersionControlChangeType.Edit, item: { path: '/README.md' }, newContent: { content: '# orders (CI)\n', contentType: ItemContentType.RawText } },
                { changeType: VersionControlChangeType.Delete, item: { path: '/catalog-info.yaml' } },
              ],
            },
          ],
        },
        repoId,
        'Payments',
      );
      const branchHead = push.refUpdates![0].newObjectId!;
      const onBranch = await git.getItems(repoId, 'Payments', '/', VersionControlRecursionType.Full, undefined, undefined, undefined, undefined, { version: 'feature/ci' });
      expect(onBranch.filter((i) => !i.isFolder).map((i) => i.path)).toEqual(['/README.md', '/azure-pipelines.yml', '/src/index.ts']);
      const commit = await git.getCommit(branchHead, repoId, 'Payments');
      expect(commit).toMatchObject({ parents: [mainHead], changeCounts: { Add: 1, Edit: 1, Delete: 1 } });

      const pr = await git.createPullRequest({ sourceRefName: 'refs/heads/feature/ci', targetRefName: 'refs/heads/main', title: 'Add CI', description: 'Adds the pipeline' }, repoId, 'Payments');
      expect(pr).toMatchObject({ pullRequestId: 1, status: PullRequestStatus.Active, lastMergeSourceCommit: { commitId: branchHead }, repository: { id: repoId } });
      expect((await git.getPullRequest(repoId, pr.pullRequestId!, 'Payments')).title).toBe('Add CI');
      const active = await git.getPullRequests(repoId, { status: PullRequestStatus.Active, sourceRefName: 'refs/heads/feature/ci' }, 'Payments');
      expect(active.map((p) => p.pullRequestId)).toEqual([1]);
      expect(await git.getPullRequests(repoId, { status: PullRequestStatus.Completed }, 'Payments')).toEqual([]);
      expect((await git.getPullRequestsByProject('Payments', {})).map((p) => p.pullRequestId)).toEqual([1]);
      const dup = await rejection(git.createPullRequest({ sourceRefName: 'refs/heads/feature/ci', targetRefName: 'refs/heads/main', title: 'Again' }, repoId, 'Payments'));
      expect(dup).toMatchObject({ statusCode: 409, result: { typeKey: 'GitPullRequestExistsException' } });
    });

    it('creates, filters and deletes a branch policy configuration', async () => {
      const policy = await conn.getPolicyApi();
      expect((await policy.getPolicyTypes('Payments')).map((t) => t.id)).toContain(MIN_REVIEWERS);
      const created = await policy.createPolicyConfiguration(
        {
          isEnabled: true,
          isBlocking: true,
          type: { id: MIN_REVIEWERS },
          settings: { minimumApproverCount: 2, creatorVoteCounts: false, scope: [{ repositoryId: repoId, refName: 'refs/heads/main', matchKind: 'exact' }] },
        },
        'Payments',
      );
      expect(created).toMatchObject({ id: 1, isBlocking: true, type: { id: MIN_REVIEWERS, displayName: 'Minimum number of reviewers' } });
      expect((await policy.getPolicyConfigurations('Payments', undefined, MIN_REVIEWERS)).map((p) => p.id)).toEqual([1]);
      expect(await policy.getPolicyConfigurations('Search')).toEqual([]);
      const scoped = await conn.rest.get<{ count: number }>(`${standIn.collectionUrl}/Payments/_apis/policy/configurations?repositoryId=${repoId}&refName=refs/heads/main`);
      expect(scoped.result?.count).toBe(1);
      const bad = await rejection(policy.createPolicyConfiguration({ isEnabled: true, isBlocking: true, type: { id: '00000000-0000-0000-0000-000000000000' }, settings: {} }, 'Payments'));
      expect(bad.statusCode).toBe(400);
      await policy.deletePolicyConfiguration('Payments', 1);
      expect(await policy.getPolicyConfiguration('Payments', 1)).toBeNull();
    });

    it('creates a YAML build definition, finds it by repository, refuses a duplicate and queues a build', async () => {
      const build = await conn.getBuildApi();
      const definition = {
        name: 'orders-service-ci',
        path: '\\',
        repository: { id: repoId, type: 'TfsGit', name: 'orders-service', defaultBranch: 'refs/heads/main' },
        process: { type: 2, yamlFilename: '/azure-pipelines.yml' },
      } as BuildDefinition;
      const created = await build.createDefinition(definition, 'Payments');
      expect(created).toMatchObject({ id: 1, name: 'orders-service-ci', repository: { id: repoId, type: 'TfsGit' }, process: { yamlFilename: '/azure-pipelines.yml' } });
      const found = await build.getDefinitions('Payments', undefined, repoId, 'TfsGit');
      expect(found.map((d) => d.name)).toEqual(['orders-service-ci']);
      expect(await build.getDefinitions('Payments', undefined, payments.repositories[1].id, 'TfsGit')).toEqual([]);
      expect((await build.getDefinition('Payments', 1)).repository?.name).toBe('orders-service');
      expect((await rejection(build.createDefinition(definition, 'Payments'))).statusCode).toBe(409);
      const queued = await build.queueBuild({ definition: { id: 1 } }, 'Payments');
      expect(queued).toMatchObject({ definition: { id: 1 }, sourceBranch: 'refs/heads/main', sourceVersion: mainHead });
    });

    it('shows all of it in GET /_standin/state', async () => {
      const state = (await (await fetch(`${standIn.baseUrl}/_standin/state`)).json()) as {
        repositories: { name: string; refs: Record<string, string>; files: Record<string, Record<string, string>> }[];
        pullRequests: unknown[];
        definitions: unknown[];
        builds: unknown[];
      };
      const orders = state.repositories.find((r) => r.name === 'orders-service')!;
      expect(orders.files.main).toEqual({ '/README.md': '# orders\n', '/catalog-info.yaml': 'kind: Component\n', '/src/index.ts': 'export {};\n' });
      expect(Object.keys(orders.files['feature/ci']).sort()).toEqual(['/README.md', '/azure-pipelines.yml', '/src/index.ts']);
      expect(orders.refs['refs/heads/main']).toBe(mainHead);
      expect(state.pullRequests).toHaveLength(1);
      expect(state.definitions).toHaveLength(1);
      expect(state.builds).toHaveLength(1);
    });

    it('deletes the repository, and its pull requests with it', async () => {
      await git.deleteRepository(repoId, 'Payments');
      expect(await git.getRepository(repoId)).toBeNull();
      expect(await git.getPullRequestsByProject('Payments', {})).toEqual([]);
    });
  });

  it('makes an injected 429 with Retry-After visible to the client', async () => {
    standIn.addFault({ kind: 'status', status: 429, retryAfterSeconds: 1, times: 1, path: '/_apis/git/repositories$' });
    const throttled = await rejection(git.getRepositories('Payments'));
    expect(throttled.statusCode).toBe(429);
    expect(throttled.responseHeaders?.['retry-after']).toBe('1');
    expect(throttled.rateLimit?.retryAfter).toBe(1);
    expect(await git.getRepositories('Payments')).toHaveLength(2); // `times: 1` spent
  });

  it('logs every request with the Authorization header redacted', async () => {
    const basic = new WebApi(standIn.collectionUrl, getBasicHandler('someone', PAT));
    await (await basic.getCoreApi()).getProjects();
    const log = (await (await fetch(`${standIn.baseUrl}/_standin/requests`)).json()) as { headers: Record<string, string> }[];
    expect(log.length).toBeGreaterThan(10);
    expect(log.every((r) => r.headers.authorization === 'Basic [redacted]')).toBe(true);
    const raw = JSON.stringify(log);
    expect(raw).not.toContain(PAT);
    expect(raw).not.toContain(Buffer.from(`PAT:${PAT}`).toString('base64'));
    expect(raw).not.toContain(Buffer.from(`someone:${PAT}`).toString('base64'));
  });

  it('answers 401 without credentials and 404 for another organisation', async () => {
    expect((await fetch(`${standIn.collectionUrl}/_apis/projects`)).status).toBe(401);
    const other = await fetch(`${standIn.baseUrl}/fabrikam/_apis/projects`, { headers: { authorization: 'Basic eDpwYXQ=' } });
    expect(other.status).toBe(404);
  });
});
