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
    const input = await world.addPipeline.prepare({ repository: found.repository, stack: 'node', environments: ['dev', 'staging'], ownerTeam: found.ownerTeam!, hasDescriptor: true }, actor('alice'));
    const { job } = await world.addPipeline.start(input, actor('alice'), NOTIFY, 'k1');
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
    const input = await world.addPipeline.prepare({ repository: found.repository, stack: 'python', environments: ['dev'], ownerTeam: 'team-search', hasDescriptor: false }, actor('dave'));
    const { job } = await world.addPipeline.start(input, actor('dave'), NOTIFY, 'k2');
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
});
