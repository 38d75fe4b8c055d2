/** AddPipelineService and its job on in-memory fakes. */
import { NOTIFY } from '../helpers/notify-target';
import { parse } from 'yaml';
import { ADD_PIPELINE_BRANCH } from '../../src/domain/repos/add-pipeline.job';
import { userBySlug } from '../../src/sandbox/seed/demo-org';
import { repoWorld } from '../helpers/repo-fakes';

const actor = (slug: string) => {
  const u = userBySlug(slug);
  return { id: u.id, name: u.displayName, email: u.userPrincipalName };
};

describe('AddPipelineService', () => {
  let world: Awaited<ReturnType<typeof repoWorld>>;
  beforeEach(async () => (world = await repoWorld()));
  afterEach(() => world.stop());

  test('inspect: finds the repository in any project, detects the stack and the owner from its descriptor', async () => {
    const found = await world.addPipeline.inspect('payments-web');
    expect(found).toMatchObject({ kind: 'ready', repository: { name: 'payments-web', project: 'Payments', defaultBranch: 'main' }, detection: { stack: 'node' }, hasDescriptor: true, ownerTeam: 'team-payments' });
    expect(await world.addPipeline.inspect('Search/nope')).toMatchObject({ kind: 'not-found', searched: ['Search'] });
  });

  test('several stacks at the root are all offered', async () => {
    world.ado.putFile('Payments', 'payments-api', '/package.json', '{}');
    expect(await world.addPipeline.inspect('payments-api')).toMatchObject({ kind: 'ready', detection: { candidates: ['java-spring-boot', 'node'] } });
  });

  test('a pull request on idp/add-pipeline with azure-pipelines.yml, and the pipeline; then "already has one"', async () => {
    const found = await world.addPipeline.inspect('payments-web');
    if (found.kind !== 'ready') throw new Error(found.kind);
    const pending = await world.addPipeline.preview({ repository: found.repository, stack: 'node', environments: ['dev', 'staging'], ownerTeam: found.ownerTeam!, hasDescriptor: true }, actor('alice'));
    expect(world.ado.snapshot().pullRequests).toEqual([]); // the preview changes nothing
    const [a, b] = await Promise.all([world.addPipeline.confirm(pending.id, actor('alice'), NOTIFY), world.addPipeline.confirm(pending.id, actor('alice'), NOTIFY)]);
    expect(a.job.id).toBe(b.job.id); // a double click runs it once
    const { job } = a;
    const done = await world.settled(job.id);
    expect(done.status).toBe('succeeded');
    const snap = world.ado.snapshot();
    expect(snap.pullRequests).toEqual([expect.objectContaining({ sourceRefName: `refs/heads/${ADD_PIPELINE_BRANCH}`, targetRefName: 'refs/heads/main', status: 'active' })]);
    expect(snap.pipelines).toEqual([expect.objectContaining({ name: 'payments-web', yamlPath: '/azure-pipelines.yml' })]);
    const yaml = await world.ado.readFile('Payments', 'payments-web', '/azure-pipelines.yml', ADD_PIPELINE_BRANCH);
    expect(parse(yaml!).stages.map((s: { stage: string }) => s.stage)).toEqual(['Build', 'Scan', 'Containerise', 'Deploy_dev', 'Deploy_staging']);
    expect(await world.ado.readFile('Payments', 'payments-web', '/azure-pipelines.yml')).toBeNull(); // main untouched

    expect(await world.addPipeline.inspect('payments-web')).toMatchObject({ kind: 'has-pipeline', pipelines: [expect.objectContaining({ name: 'payments-web' })] });
  });

  test('a repository without catalog-info.yaml gets one in the pull request', async () => {
    const { repository } = await world.ado.ensureRepository('Search', 'search-crawler');
    await world.ado.ensureInitialCommit('Search', repository.id, 'main', [{ path: '/requirements.txt', content: 'requests\n' }], 'init');
    const found = await world.addPipeline.inspect('search-crawler');
    expect(found).toMatchObject({ kind: 'ready', hasDescriptor: false, detection: { stack: 'python' } });
    if (found.kind !== 'ready') return;
    expect(found.ownerTeam).toBeUndefined();
    const pending = await world.addPipeline.preview({ repository: found.repository, stack: 'python', environments: ['dev'], ownerTeam: 'team-search', hasDescriptor: false }, actor('dave'));
    const { job } = await world.addPipeline.confirm(pending.id, actor('dave'), NOTIFY);
    expect((await world.settled(job.id)).status).toBe('succeeded');
    const descriptor = await world.ado.readFile('Search', 'search-crawler', '/catalog-info.yaml', ADD_PIPELINE_BRANCH);
    expect(parse(descriptor!).spec.owner).toBe('group:default/team-search');
  });

  test('someone outside the owner team is refused and nothing is created', async () => {
    const found = await world.addPipeline.inspect('payments-web');
    if (found.kind !== 'ready') throw new Error(found.kind);
    await expect(world.addPipeline.prepare({ repository: found.repository, stack: 'node', environments: ['dev'], ownerTeam: found.ownerTeam!, hasDescriptor: true }, actor('dave'))).rejects.toMatchObject({ code: 'ACCESS.DENIED' });
    expect(world.ado.snapshot().pullRequests).toEqual([]);
  });

  describe('the preview: Confirm and Cancel', () => {
    const previewed = async () => {
      const found = await world.addPipeline.inspect('payments-web');
      if (found.kind !== 'ready') throw new Error(found.kind);
      return world.addPipeline.preview({ repository: found.repository, stack: 'node', environments: ['dev'], ownerTeam: found.ownerTeam!, hasDescriptor: true }, actor('alice'));
    };

    test('only the requester may confirm or cancel; nothing starts', async () => {
      const pending = await previewed();
      await expect(world.addPipeline.confirm(pending.id, actor('bob'), NOTIFY)).rejects.toMatchObject({ code: 'REPOS.NOT_REQUESTER' });
      await expect(world.addPipeline.cancel(pending.id, actor('bob'))).rejects.toMatchObject({ code: 'REPOS.NOT_REQUESTER' });
      expect(await world.addPipeline.jobOf((await world.addPipeline.getRequest(pending.id))!)).toBeNull();
    });

    test('after Cancel, Confirm is refused and no job exists', async () => {
      const pending = await previewed();
      const cancelled = await world.addPipeline.cancel(pending.id, actor('alice'));
      expect(cancelled.status).toBe('cancelled');
      await expect(world.addPipeline.confirm(pending.id, actor('alice'), NOTIFY)).rejects.toMatchObject({ code: 'REPOS.REQUEST_CANCELLED', details: { startAgain: 'add pipeline to Payments/payments-web' } });
      expect(world.audit.entries.filter((e) => e.action === 'repo.add-pipeline.start')).toHaveLength(0);
    });

    test('Confirm and Cancel at the same moment: exactly one wins, and a lost Confirm starts nothing', async () => {
      for (let round = 0; round < 10; round++) {
        const pending = await previewed();
        const [confirm, cancel] = await Promise.allSettled([world.addPipeline.confirm(pending.id, actor('alice'), NOTIFY), world.addPipeline.cancel(pending.id, actor('alice'))]);
        const stored = (await world.addPipeline.getRequest(pending.id))!;
        const job = await world.addPipeline.jobOf(stored);
        if (stored.status === 'cancelled') {
          expect(confirm).toMatchObject({ status: 'rejected', reason: { code: 'REPOS.REQUEST_CANCELLED' } });
          expect(job).toBeNull();
        } else {
          expect(cancel).toMatchObject({ status: 'rejected', reason: { code: 'REPOS.ALREADY_CONFIRMED' } });
          expect(job).not.toBeNull();
        }
      }
    });

    test('the policy is decided again on Confirm: a requester who left the team is refused', async () => {
      const pending = await previewed();
      const denied = world.policy.canActFor;
      world.policy.canActFor = async () => ({ allowed: false, reason: 'Alice Developer is no longer a member of the team Payments.' });
      try {
        await expect(world.addPipeline.confirm(pending.id, actor('alice'), NOTIFY)).rejects.toMatchObject({ code: 'ACCESS.DENIED' });
      } finally {
        world.policy.canActFor = denied;
      }
      expect((await world.addPipeline.getRequest(pending.id))!.status).toBe('pending');
    });
  });
});
