/**
 * Retry of a repository job after something it used was deleted by hand. A create-repo job whose
 * repository was deleted after a failure: the job's stored output of "create-repository" names a
 * repository that no longer exists. The real
 * adapter (azure-devops-node-api over HTTP) against the Azure DevOps stand-in, a real JobRunner:
 * the job makes its own repository again and succeeds with nothing duplicated; a different
 * repository that took the name meanwhile, or a pipeline still building the deleted one, fails
 * with a code and a message that say what to do. And a re-run whose record was lost adopts what
 * the first run made. An add-pipeline job makes its own branch again, and names a deleted repository.
 */
import { AzureDevOpsConnection } from '../../src/adapters/azure-devops/azure-devops-connection';
import { AzureDevOpsRepositoryProvisioning } from '../../src/adapters/azure-devops/azure-devops-provisioning.adapter';
import { AzureDevOpsSourceControl } from '../../src/adapters/azure-devops/azure-devops-source-control.adapter';
import { CatalogImportService } from '../../src/domain/catalog/catalog-import.service';
import { stepFailureText } from '../../src/bot/messages';
import { JobRunner } from '../../src/domain/jobs/job-runner';
import type { Job } from '../../src/domain/jobs/jobs.types';
import { ADD_PIPELINE_BRANCH, ADD_PIPELINE_JOB, addPipelineJob, type AddPipelineJobInput } from '../../src/domain/repos/add-pipeline.job';
import { CatalogRegistration } from '../../src/domain/repos/catalog-registration';
import { CREATE_REPO_JOB, createRepoJob, type CreateRepoJobInput } from '../../src/domain/repos/create-repo.job';
import { DEMO_ORG, DEMO_PROJECTS } from '../../src/sandbox/seed/demo-org';
import { AzureDevOpsStandIn } from '../../src/sandbox/standins/azure-devops.standin';
import { InMemoryAuditLog } from '../fakes/in-memory-audit-log';
import { InMemoryCatalogStore } from '../fakes/in-memory-catalog-store';
import { InMemoryJobStore } from '../fakes/in-memory-job-store';

interface AdoState {
  repositories: { id: string; name: string; refs: Record<string, string>; files: Record<string, Record<string, string>>; pushes: unknown[] }[];
  pullRequests: { repositoryId: string; sourceRefName: string; status: string }[];
  definitions: { id: number; name: string; repositoryId: string }[];
  policies: { settings: { scope?: { repositoryId?: string }[] } }[];
  environments: { name: string }[];
  variableGroups: { name: string }[];
}

const AUTH = { authorization: `Basic ${Buffer.from(':pat').toString('base64')}`, 'content-type': 'application/json' };

function inputFor(name: string): CreateRepoJobInput {
  return {
    requestId: `req-${name}`,
    target: `repo:Payments/${name}`,
    request: { name, project: 'Payments', stack: 'node', ownerTeam: 'team-payments', description: 'Vanishing ledger', environments: ['dev', 'staging', 'prod'], requestedBy: { id: 'alice', name: 'Alice Developer' } },
    requestedBy: { id: 'alice', name: 'Alice Developer' },
    owner: { team: 'team-payments', displayName: 'Payments' },
    settings: { orgUrl: 'https://dev.azure.com/contoso', defaultBranch: 'main', minimumReviewers: 2, registry: { serviceConnection: 'acr', name: 'contoso.azurecr.io' } },
  };
}

describe('repository jobs: Retry after an object vanished (real adapter + stand-in)', () => {
  const standIn = new AzureDevOpsStandIn({ org: DEMO_ORG, projects: DEMO_PROJECTS });
  let runner: JobRunner;

  const state = async () => (await (await fetch(`${standIn.baseUrl}/_standin/state`)).json()) as AdoState;
  const ado = (p: string, method: string, body?: unknown) =>
    fetch(`${standIn.collectionUrl}/Payments/_apis/${p}${p.includes('?') ? '&' : '?'}api-version=7.1`, { method, headers: AUTH, body: body === undefined ? undefined : JSON.stringify(body) });
  const repoNamed = async (name: string) => (await state()).repositories.filter((r) => r.name === name);

  const settled = async (jobId: string, timeoutMs = 20_000): Promise<Job> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const job = (await runner.get(jobId))!;
      if (['succeeded', 'failed', 'cancelled'].includes(job.status)) return job;
      if (Date.now() > deadline) throw new Error(`job ${jobId} is still ${job.status}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  /** Runs the job until it fails at the pipeline step (a 403 on creating the definition); returns it. */
  async function failedAtPipeline(name: string): Promise<Job> {
    standIn.addFault({ method: 'POST', path: '/_apis/build/definitions$', kind: 'status', status: 403, times: 1 });
    const { job } = await runner.enqueue({ type: CREATE_REPO_JOB, idempotencyKey: name, input: inputFor(name), requestedBy: 'alice' });
    const failed = await settled(job.id);
    expect(failed.status).toBe('failed');
    expect(failed.steps.find((s) => s.status === 'failed')?.name).toBe('pipeline');
    return failed;
  }

  beforeAll(async () => {
    await standIn.start();
    const conn = new AzureDevOpsConnection({ orgUrl: standIn.collectionUrl, token: 'pat', retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 10, maxRetryAfterMs: 100 } });
    const provisioning = new AzureDevOpsRepositoryProvisioning(conn);
    const audit = new InMemoryAuditLog();
    const catalog = new InMemoryCatalogStore();
    const registration = new CatalogRegistration({ store: catalog, importer: new CatalogImportService({ store: catalog, audit, sourceControl: new AzureDevOpsSourceControl(conn) }) });
    runner = new JobRunner({ store: new InMemoryJobStore(), retry: { maxAttempts: 1, baseDelayMs: 5, maxDelayMs: 10 } });
    runner.register(createRepoJob({ provisioning, registration, audit }));
    runner.register(addPipelineJob({ provisioning, audit }));
    runner.start({ pollIntervalMs: 20, leaseMs: 5000, concurrency: 2 });
  });
  afterAll(async () => {
    await runner.stop({ graceMs: 1000 });
    await standIn.close();
  });
  afterEach(() => standIn.clearFaults());

  test('the job re-creates its own repository (with its first commit) and succeeds, with no duplicates', async () => {
    const failed = await failedAtPipeline('vanishing-ledger');
    const oldId = String(failed.steps[0]!.output!.repositoryId);
    expect((await ado(`git/repositories/${oldId}`, 'DELETE')).status).toBe(204);
    expect(await repoNamed('vanishing-ledger')).toHaveLength(0);

    await runner.retry(failed.id, 'alice');
    const done = await settled(failed.id);
    expect(done.status).toBe('succeeded');

    const s = await state();
    const repos = s.repositories.filter((r) => r.name === 'vanishing-ledger');
    expect(repos).toHaveLength(1);
    const [repo] = repos;
    expect(repo!.id).not.toBe(oldId);
    expect(repo!.pushes).toHaveLength(1);
    expect(Object.keys(repo!.files.main!)).toEqual(expect.arrayContaining(['/README.md', '/catalog-info.yaml', '/azure-pipelines.yml']));
    expect(s.definitions.filter((d) => d.name.startsWith('vanishing-ledger'))).toEqual([expect.objectContaining({ repositoryId: repo!.id })]);
    expect(s.policies.filter((p) => p.settings.scope?.some((x) => x.repositoryId === repo!.id))).toHaveLength(4);
    expect(s.policies.filter((p) => p.settings.scope?.some((x) => x.repositoryId === oldId))).toHaveLength(0);
    expect(s.environments.filter((e) => e.name === 'vanishing-ledger-prod')).toHaveLength(1);
    // The later steps say which repository they used.
    expect(done.steps.find((st) => st.name === 'branch-policies')!.output).toMatchObject({ repositoryId: repo!.id });
  });

  test('a re-run that lost its record of the steps (a crash ate the store\'s last seconds) adopts the repository holding exactly its first commit', async () => {
    const { job } = await runner.enqueue({ type: CREATE_REPO_JOB, idempotencyKey: 'adopted-ledger', input: inputFor('adopted-ledger'), requestedBy: 'alice' });
    expect((await settled(job.id)).status).toBe('succeeded');
    // The same job from scratch, as if nothing of its run had been saved.
    const { job: rerun } = await runner.enqueue({ type: CREATE_REPO_JOB, idempotencyKey: 'adopted-ledger-rerun', input: inputFor('adopted-ledger'), requestedBy: 'alice' });
    const done = await settled(rerun.id);
    expect(done.status).toBe('succeeded');
    expect(done.steps.map((st) => st.output?.created).slice(0, 3)).toEqual([false, false, false]);
    const s = await state();
    const repos = s.repositories.filter((r) => r.name === 'adopted-ledger');
    expect(repos).toHaveLength(1);
    expect(repos[0]!.pushes).toHaveLength(1);
    expect(s.definitions.filter((d) => d.name.startsWith('adopted-ledger'))).toHaveLength(1);
    expect(s.policies.filter((p) => p.settings.scope?.some((x) => x.repositoryId === repos[0]!.id))).toHaveLength(4);
  });

  test('a different repository of that name appeared meanwhile: REPOS.REPOSITORY_REPLACED, and nothing is pushed to it', async () => {
    const failed = await failedAtPipeline('replaced-ledger');
    const oldId = String(failed.steps[0]!.output!.repositoryId);
    expect((await ado(`git/repositories/${oldId}`, 'DELETE')).status).toBe(204);
    const other = (await (await ado('git/repositories', 'POST', { name: 'replaced-ledger' })).json()) as { id: string };
    await ado(`git/repositories/${other.id}/pushes`, 'POST', {
      refUpdates: [{ name: 'refs/heads/main', oldObjectId: '0'.repeat(40) }],
      commits: [{ comment: 'someone else', changes: [{ changeType: 'add', item: { path: '/README.md' }, newContent: { content: 'not ours', contentType: 'rawtext' } }] }],
    });

    await runner.retry(failed.id, 'alice');
    const again = await settled(failed.id);
    expect(again.status).toBe('failed');
    const error = again.steps.find((s) => s.status === 'failed')!.error!;
    expect(error.code).toBe('REPOS.REPOSITORY_REPLACED');
    expect(stepFailureText(error, failed.id)).toMatch(/was deleted, and a different repository of that name has been created since \(\d+ files differ\).*Delete or rename that repository and press Retry/);
    const [repo] = await repoNamed('replaced-ledger');
    expect(repo!.pushes).toHaveLength(1);
    expect(repo!.files.main).toEqual({ '/README.md': 'not ours' });
  });

  test('the pipeline made earlier still builds the deleted repository: REPOS.PIPELINE_OF_DELETED_REPOSITORY; once it is deleted, Retry succeeds', async () => {
    // Fails after the pipeline step: the policies' first create is refused.
    standIn.addFault({ method: 'POST', path: '/_apis/policy/configurations$', kind: 'status', status: 403, times: 1 });
    const { job } = await runner.enqueue({ type: CREATE_REPO_JOB, idempotencyKey: 'pipeline-ledger', input: inputFor('pipeline-ledger'), requestedBy: 'alice' });
    const failed = await settled(job.id);
    expect(failed.steps.find((s) => s.status === 'failed')?.name).toBe('branch-policies');
    const oldId = String(failed.steps[0]!.output!.repositoryId);
    const pipelineId = Number(failed.steps.find((s) => s.name === 'pipeline')!.output!.pipelineId);
    expect((await ado(`git/repositories/${oldId}`, 'DELETE')).status).toBe(204);

    await runner.retry(failed.id, 'alice');
    const blocked = await settled(failed.id);
    const error = blocked.steps.find((s) => s.status === 'failed')!.error!;
    expect(error.code).toBe('REPOS.PIPELINE_OF_DELETED_REPOSITORY');
    expect(stepFailureText(error, failed.id)).toContain(`"pipeline-ledger" (id ${pipelineId}) still builds the deleted one. Delete that pipeline`);
    const [repo] = await repoNamed('pipeline-ledger');
    expect(repo!.pushes).toHaveLength(1); // made again, with its first commit

    expect((await ado(`build/definitions/${pipelineId}`, 'DELETE')).status).toBe(204);
    await runner.retry(failed.id, 'alice');
    expect((await settled(failed.id)).status).toBe('succeeded');
    const s = await state();
    expect(s.repositories.filter((r) => r.name === 'pipeline-ledger')).toHaveLength(1);
    expect(s.definitions.filter((d) => d.name.startsWith('pipeline-ledger'))).toEqual([expect.objectContaining({ repositoryId: repo!.id })]);
    expect(s.policies.filter((p) => p.settings.scope?.some((x) => x.repositoryId === repo!.id))).toHaveLength(4);
  });

  describe('add pipeline (the repository is the team\'s, the branch is the job\'s)', () => {
    /** A repository with one commit on main, and the add-pipeline input for it. */
    async function existingRepository(name: string): Promise<AddPipelineJobInput> {
      const repo = (await (await ado('git/repositories', 'POST', { name })).json()) as { id: string; webUrl: string };
      await ado(`git/repositories/${repo.id}/pushes`, 'POST', {
        refUpdates: [{ name: 'refs/heads/main', oldObjectId: '0'.repeat(40) }],
        commits: [{ comment: 'first', changes: [{ changeType: 'add', item: { path: '/package.json' }, newContent: { content: '{"name":"x"}', contentType: 'rawtext' } }] }],
      });
      return {
        target: `repo:Payments/${name}`,
        requestedBy: { id: 'alice', name: 'Alice Developer' },
        project: 'Payments',
        repository: { id: repo.id, name, webUrl: repo.webUrl, defaultBranch: 'main' },
        stack: 'node',
        environments: ['dev', 'staging', 'prod'],
        ownerTeam: 'team-payments',
        owner: { team: 'team-payments', displayName: 'Payments' },
        description: 'A service',
        addDescriptor: true,
        settings: { orgUrl: 'https://dev.azure.com/contoso', registry: { serviceConnection: 'acr', name: 'contoso.azurecr.io' } },
      };
    }
    const failOnPullRequest = async (input: AddPipelineJobInput) => {
      standIn.addFault({ method: 'POST', path: '/pull[Rr]equests$', kind: 'status', status: 403, times: 1 });
      const { job } = await runner.enqueue({ type: ADD_PIPELINE_JOB, idempotencyKey: `add-${input.repository.name}`, input, requestedBy: 'alice' });
      const failed = await settled(job.id);
      expect(failed.steps.find((st) => st.status === 'failed')?.name).toBe('pull-request');
      return failed;
    };

    test('its branch deleted before Retry: made again at the commit it had, then the pull request', async () => {
      const input = await existingRepository('branchless-svc');
      const failed = await failOnPullRequest(input);
      const commitId = String(failed.steps.find((st) => st.name === 'files')!.output!.commitId);
      const deleted = await ado(`git/repositories/${input.repository.id}/refs`, 'POST', [{ name: `refs/heads/${ADD_PIPELINE_BRANCH}`, oldObjectId: commitId, newObjectId: '0'.repeat(40) }]);
      expect(((await deleted.json()) as { value: { success: boolean }[] }).value[0]!.success).toBe(true);

      await runner.retry(failed.id, 'alice');
      expect((await settled(failed.id)).status).toBe('succeeded');
      const s = await state();
      const [repo] = s.repositories.filter((r) => r.name === 'branchless-svc');
      expect(repo!.refs[`refs/heads/${ADD_PIPELINE_BRANCH}`]).toBe(commitId);
      expect(s.pullRequests.filter((pr) => pr.repositoryId === repo!.id)).toHaveLength(1);
      expect(s.definitions.filter((d) => d.repositoryId === repo!.id)).toHaveLength(1);
    });

    test('the repository deleted before Retry: REPOS.REPOSITORY_VANISHED, naming it and saying what to do', async () => {
      const input = await existingRepository('deleted-svc');
      const failed = await failOnPullRequest(input);
      expect((await ado(`git/repositories/${input.repository.id}`, 'DELETE')).status).toBe(204);

      await runner.retry(failed.id, 'alice');
      const error = (await settled(failed.id)).steps.find((st) => st.status === 'failed')!.error!;
      expect(error).toMatchObject({ code: 'REPOS.REPOSITORY_VANISHED' });
      expect(stepFailureText(error, failed.id)).toContain('Payments/deleted-svc was deleted after you asked for its pipeline');
      expect(stepFailureText(error, failed.id)).toContain('**add pipeline to deleted-svc**');
      expect(await repoNamed('deleted-svc')).toHaveLength(0);
    });
  });
});
