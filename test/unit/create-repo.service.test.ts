/** CreateRepoService and its job on in-memory fakes: plan validates first, confirm runs once, retry resumes. */
import { NOTIFY, notifyAt } from '../helpers/notify-target';
import { DomainError } from '../../src/domain/domain-error';
import { DEFAULT_NAMING_RULES, namingRulesFrom } from '../../src/domain/repos/repo-naming';
import { userBySlug } from '../../src/sandbox/seed/demo-org';
import { repoWorld } from '../helpers/repo-fakes';

const actor = (slug: string) => {
  const u = userBySlug(slug);
  return { id: u.id, name: u.displayName, email: u.userPrincipalName, channelId: u.teamsId };
};
const alice = actor('alice');
const full = { name: 'payments-ledger', project: 'Payments', stack: 'node' as const, ownerTeam: 'team-payments', description: 'Double-entry ledger of card payments.', environments: ['dev', 'staging', 'prod'] as ('dev' | 'staging' | 'prod')[] };

describe('CreateRepoService.plan', () => {
  let world: Awaited<ReturnType<typeof repoWorld>>;
  beforeEach(async () => (world = await repoWorld()));
  afterEach(() => world.stop());

  test('a complete, valid request is previewed and nothing is created', async () => {
    const result = await world.createRepo.plan(full, alice);
    expect(result.kind).toBe('ready');
    if (result.kind !== 'ready') return;
    const { preview } = result.pending;
    expect(preview.repository).toEqual({ project: 'Payments', name: 'payments-ledger', url: 'https://dev.azure.com/contoso/Payments/_git/payments-ledger' });
    expect(preview.files).toEqual(expect.arrayContaining(['README.md', 'catalog-info.yaml', 'azure-pipelines.yml', '.gitignore', 'CODEOWNERS', 'package.json']));
    expect(preview.branchPolicies).toHaveLength(4);
    expect(preview.branchPolicies[0]).toMatch(/2 approvals; the author's own vote does not count/);
    expect(preview.pipeline.stages).toEqual(['Build', 'Scan', 'Containerise', 'Deploy_dev', 'Deploy_staging', 'Deploy_prod']);
    expect(preview.catalog.ref).toBe('component:default/payments-ledger');
    expect(preview.deployment).toEqual({
      environments: ['payments-ledger-dev', 'payments-ledger-staging', 'payments-ledger-prod'],
      approval: { environment: 'payments-ledger-prod', approvers: 'team-payments' },
      variableGroups: ['vg-payments-ledger-dev', 'vg-payments-ledger-staging', 'vg-payments-ledger-prod'],
    });
    expect(world.ado.snapshot().repositories.map((r) => r.name)).not.toContain('payments-ledger');
    expect(world.audit.entries.map((e) => e.action)).toEqual(['repo.create.preview']);
  });

  test('canonical names: the project and team as the services spell them', async () => {
    const result = await world.createRepo.plan({ ...full, project: 'payments', ownerTeam: 'group:default/team-payments' }, alice);
    expect(result.kind === 'ready' && [result.pending.request.project, result.pending.request.ownerTeam]).toEqual(['Payments', 'team-payments']);
  });

  test('missing fields are listed, given ones kept', async () => {
    const result = await world.createRepo.plan({ name: 'payments-ledger', project: 'Payments' }, alice);
    expect(result).toMatchObject({ kind: 'needs-input', missing: ['stack', 'ownerTeam', 'description', 'environments'], problems: [] });
  });

  test('an invalid name gets every reason and a valid suggestion', async () => {
    const result = await world.createRepo.plan({ ...full, name: '1Payments Ledger' }, alice);
    expect(result.kind).toBe('needs-input');
    if (result.kind !== 'needs-input') return;
    const name = result.problems.find((p) => p.field === 'name')!;
    expect(name.reasons).toEqual(expect.arrayContaining(['contains spaces', 'contains upper case letters', 'starts with a digit']));
    expect(name.suggestion).toBe('svc-1-payments-ledger');
  });

  test('configured naming rules: pattern, length, reserved names', async () => {
    const strict = await repoWorld({ naming: namingRulesFrom({ pattern: '[a-z]+-(api|svc)', maxLength: 12, reserved: ['ledger-api'] }) });
    try {
      const result = await strict.createRepo.plan({ ...full, name: 'ledger-api' }, alice);
      expect(result.kind === 'needs-input' && result.problems[0]!.reasons).toEqual(['is a reserved name']);
      const long = await strict.createRepo.plan({ ...full, name: 'payments-ledger' }, alice);
      expect(long.kind === 'needs-input' && long.problems[0]!.reasons).toEqual(expect.arrayContaining(['is 15 characters long (limit 12)']));
    } finally {
      await strict.stop();
    }
    expect(DEFAULT_NAMING_RULES.maxLength).toBe(50);
  });

  test('an unknown project lists the known ones; an unknown team is said so', async () => {
    const result = await world.createRepo.plan({ ...full, project: 'Paymnts', ownerTeam: 'team-nobody' }, alice);
    expect(result.kind).toBe('needs-input');
    if (result.kind !== 'needs-input') return;
    expect(result.problems.find((p) => p.field === 'project')!.reasons[0]).toMatch(/known: Payments, Platform, Search/);
    expect(result.problems.find((p) => p.field === 'ownerTeam')!.reasons[0]).toMatch(/not a team in the service catalog/);
  });

  test('an existing repository is reported (open or adopt it), not previewed', async () => {
    const result = await world.createRepo.plan({ ...full, name: 'payments-api' }, alice);
    expect(result).toMatchObject({ kind: 'exists', repository: { name: 'payments-api', project: 'Payments' } });
  });

  test('a requester outside the team and the platform groups is denied and audited', async () => {
    const result = await world.createRepo.plan(full, actor('dave'));
    expect(result.kind).toBe('denied');
    expect(result.kind === 'denied' && result.reason).toMatch(/Dave Searcher is not a member of the team Payments/);
    expect(world.audit.entries).toEqual([expect.objectContaining({ action: 'repo.create.plan', result: 'denied', actor: userBySlug('dave').id })]);
    expect(world.requests.requests.size).toBe(0);
  });

  test('a platform engineer may create for any team (directory group)', async () => {
    expect((await world.createRepo.plan(full, actor('carol'))).kind).toBe('ready');
  });
});

describe('CreateRepoService.confirm and the repo.create job', () => {
  let world: Awaited<ReturnType<typeof repoWorld>>;
  beforeEach(async () => (world = await repoWorld()));
  afterEach(() => world.stop());

  const planned = async () => {
    const result = await world.createRepo.plan(full, alice);
    if (result.kind !== 'ready') throw new Error(`not ready: ${JSON.stringify(result)}`);
    return result.pending;
  };

  test('confirm creates the repo, commit, pipeline, 4 policies and the catalog entry, once', async () => {
    const pending = await planned();
    const [a, b] = await Promise.all([world.createRepo.confirm(pending.id, alice, notifyAt('a')), world.createRepo.confirm(pending.id, alice, notifyAt('b'))]);
    expect(a.job.id).toBe(b.job.id);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    const job = await world.settled(a.job.id);
    expect(job.status).toBe('succeeded');

    const snap = world.ado.snapshot();
    const repo = snap.repositories.find((r) => r.name === 'payments-ledger')!;
    expect(repo.commits).toBe(1);
    expect(snap.pipelines.filter((p) => p.repositoryId === repo.id)).toHaveLength(1);
    const policies = snap.policies.filter((p) => p.repositoryId === repo.id);
    expect(policies.map((p) => p.kind).sort()).toEqual(['build-validation', 'comment-resolution', 'minimum-reviewers', 'work-item-linking']);
    expect(policies.find((p) => p.kind === 'minimum-reviewers')!.settings).toEqual({ minimumApproverCount: 2, creatorVoteCounts: false });
    expect(snap.environments.map((e) => e.name)).toEqual(['payments-ledger-dev', 'payments-ledger-staging', 'payments-ledger-prod']);
    const prod = snap.environments.find((e) => e.name === 'payments-ledger-prod')!;
    expect(snap.checks).toEqual([expect.objectContaining({ environmentId: prod.id, approverIds: ['10000000-0000-4000-b000-000000000001'], approverNames: ['team-payments'], minRequiredApprovers: 1, requesterCannotBeApprover: true })]);
    expect(snap.variableGroups.map((g) => [g.name, g.variables.ENVIRONMENT])).toEqual([['vg-payments-ledger-dev', 'dev'], ['vg-payments-ledger-staging', 'staging'], ['vg-payments-ledger-prod', 'prod']]);
    const files = await world.ado.listFiles('Payments', 'payments-ledger', { recursive: true });
    expect(files).toEqual(expect.arrayContaining(['/README.md', '/catalog-info.yaml', '/azure-pipelines.yml', '/.gitignore', '/CODEOWNERS']));
    expect(await world.ado.readFile('Payments', 'payments-ledger', '/CODEOWNERS')).toContain('@contoso/team-payments');

    const entity = await world.catalog.get('component:default/payments-ledger');
    expect(entity).toMatchObject({ owner: 'group:default/team-payments', location: 'azure-devops:Payments/payments-ledger', status: 'active' });
    const steps = world.audit.entries.filter((e) => e.action.startsWith('repo.create.') && e.result === 'success').map((e) => e.action);
    expect(steps).toEqual(expect.arrayContaining(['repo.create.create-repository', 'repo.create.initial-commit', 'repo.create.pipeline', 'repo.create.catalog', 'repo.create.branch-policies', 'repo.create.finalize']));
    expect(world.audit.entries.filter((e) => e.action.startsWith('repo.')).every((e) => e.actor === alice.id)).toBe(true);

    // A click after the end returns the same job and creates nothing more.
    const again = await world.createRepo.confirm(pending.id, alice, NOTIFY);
    expect(again).toMatchObject({ created: false, job: { id: a.job.id, status: 'succeeded' } });
  });

  test('only the requester may confirm or cancel; a refusal changes nothing', async () => {
    const pending = await planned();
    const bob = actor('bob');
    await expect(world.createRepo.confirm(pending.id, bob, NOTIFY)).rejects.toMatchObject({ code: 'REPOS.NOT_REQUESTER' });
    await expect(world.createRepo.cancel(pending.id, bob)).rejects.toMatchObject({ code: 'REPOS.NOT_REQUESTER' });
    expect((await world.requests.get(pending.id))!.status).toBe('pending');
    expect(await world.createRepo.jobOf((await world.requests.get(pending.id))!)).toBeNull();
  });

  test('cancel before confirm: nothing is created and confirm is refused afterwards', async () => {
    const pending = await planned();
    expect((await world.createRepo.cancel(pending.id, alice)).status).toBe('cancelled');
    await expect(world.createRepo.confirm(pending.id, alice, NOTIFY)).rejects.toMatchObject({ code: 'REPOS.REQUEST_CANCELLED' });
    expect(world.ado.snapshot().repositories.map((r) => r.name)).not.toContain('payments-ledger');
  });

  test('Confirm and Cancel at the same moment, 40 rounds: one wins; a lost Confirm enqueues nothing, a lost Cancel says "already confirmed"', async () => {
    const outcomes = { confirmWon: 0, cancelWon: 0 };
    for (let round = 0; round < 40; round++) {
      const result = await world.createRepo.plan({ ...full, name: `ledger-race-${round}` }, alice);
      if (result.kind !== 'ready') throw new Error(`not ready: ${JSON.stringify(result)}`);
      const { id } = result.pending;
      // Cancel starts 0 to 19 microtask turns after Confirm: every interleaving of their awaits.
      const later = async <T>(turns: number, click: () => Promise<T>) => {
        for (let i = 0; i < turns; i++) await Promise.resolve();
        return click();
      };
      const [confirm, cancel] = await Promise.allSettled([world.createRepo.confirm(id, alice, NOTIFY), later(round % 20, () => world.createRepo.cancel(id, alice))]);
      const stored = (await world.requests.get(id))!;
      const jobs = world.jobStore.all().filter((j) => j.idempotencyKey === id);
      if (cancel.status === 'fulfilled') {
        outcomes.cancelWon++;
        expect(cancel.value.status).toBe('cancelled');
        expect(confirm).toMatchObject({ status: 'rejected', reason: { code: 'REPOS.REQUEST_CANCELLED' } });
        expect(stored.status).toBe('cancelled');
        expect(jobs).toHaveLength(0);
      } else {
        outcomes.confirmWon++;
        expect(cancel.reason).toMatchObject({ code: 'REPOS.ALREADY_CONFIRMED' });
        expect(confirm).toMatchObject({ status: 'fulfilled', value: { created: true } });
        expect(stored.status).toBe('confirmed');
        expect(jobs).toHaveLength(1);
      }
    }
    // Both orders happened, so both branches above were checked.
    expect(outcomes.confirmWon).toBeGreaterThan(0);
    expect(outcomes.cancelWon).toBeGreaterThan(0);
    for (const job of world.jobStore.all()) await world.settled(job.id);
  });

  test('policy is decided again at confirm: a requester who left the team is refused', async () => {
    const pending = await planned();
    world.directory.groups.get('10000000-0000-4000-b000-000000000001')!.memberIds = [];
    // Remove alice from the catalog group too.
    const group = (await world.catalog.get('group:default/team-payments'))!;
    await world.catalog.applyLocation(group.location, [{ ...group, members: [], sourceHash: 'changed' }]);
    await expect(world.createRepo.confirm(pending.id, alice, NOTIFY)).rejects.toMatchObject({ code: 'ACCESS.DENIED' });
    expect(world.ado.snapshot().repositories.map((r) => r.name)).not.toContain('payments-ledger');
  });

  test('a failed step leaves a failed job; retry resumes there without duplicates', async () => {
    const pending = await planned();
    const original = world.ado.ensurePipeline.bind(world.ado);
    let failing = true;
    world.ado.ensurePipeline = async (...args) => {
      if (failing) throw new DomainError('UPSTREAM.FORBIDDEN', 'Azure DevOps refused to create pipeline (HTTP 403): the bot needs "Build (Read & execute)" in project "Payments".');
      return original(...args);
    };
    const { job } = await world.createRepo.confirm(pending.id, alice, NOTIFY);
    const failed = await world.settled(job.id);
    expect(failed.status).toBe('failed');
    expect(failed.steps.find((s) => s.name === 'pipeline')).toMatchObject({ status: 'failed', error: { code: 'UPSTREAM.FORBIDDEN' } });
    expect(failed.steps.find((s) => s.name === 'create-repository')!.status).toBe('succeeded');
    expect(world.audit.entries.some((e) => e.action === 'repo.create.pipeline' && e.result === 'failure')).toBe(true);

    await expect(world.createRepo.retry(job.id, actor('bob'))).rejects.toMatchObject({ code: 'REPOS.NOT_REQUESTER' });
    failing = false;
    await world.createRepo.retry(job.id, alice);
    expect((await world.settled(job.id)).status).toBe('succeeded');
    const snap = world.ado.snapshot();
    const repo = snap.repositories.filter((r) => r.name === 'payments-ledger');
    expect(repo).toHaveLength(1);
    expect(repo[0]!.commits).toBe(1);
    expect(snap.pipelines.filter((p) => p.repositoryId === repo[0]!.id)).toHaveLength(1);
    expect(snap.policies.filter((p) => p.repositoryId === repo[0]!.id)).toHaveLength(4);
  });

  test('someone else creating the repository after the preview stops the job before it touches it', async () => {
    const pending = await planned();
    const { repository } = await world.ado.ensureRepository('Payments', 'payments-ledger');
    await world.ado.ensureInitialCommit('Payments', repository.id, 'main', [{ path: '/x.txt', content: 'theirs' }], 'theirs');
    const { job } = await world.createRepo.confirm(pending.id, alice, NOTIFY);
    const done = await world.settled(job.id);
    expect(done.steps[0]).toMatchObject({ status: 'failed', error: { code: 'REPOS.REPOSITORY_EXISTS' } });
    expect(await world.ado.readFile('Payments', 'payments-ledger', '/README.md')).toBeNull();
  });
});
