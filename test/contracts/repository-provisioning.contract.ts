/**
 * What every RepositoryProvisioning must do, run against the in-memory fake and against the Azure
 * DevOps adapter + stand-in (test/integration/repository-provisioning.contract.int.test.ts). Each
 * `ensure*` is called twice and the backend's own state must hold one object; what was written is
 * read back through the SourceControl port. The steps build on each other in order, as the
 * "create repo" and "add pipeline" jobs do. Both subjects are seeded with CONTRACT_PROJECTS.
 */
import { isDomainError } from '../../src/domain/domain-error';
import type { RepositoryProvisioning } from '../../src/domain/repos/repository-provisioning.port';
import type { SourceControl } from '../../src/domain/repos/source-control.port';

/** The service's fixed policy type GUIDs (GET {project}/_apis/policy/types). */
export const POLICY_TYPE_GUIDS = {
  minimumReviewers: 'fa4e907d-c16b-4a4c-9dfa-4906e5d171dd',
  build: '0609b952-1397-4640-95ec-e00a01b2c241',
  commentRequirements: 'c6a1889d-b943-4856-b76f-9e46bb6b0df2',
  workItemLinking: '40e92b44-2fe1-4dd6-b3d8-74a9c21d0c6e',
} as const;

/** The backend's state, as the fake and the stand-in both can show it. */
export interface ProvisioningState {
  repositories: { id: string; name: string; project: string; commits: number }[];
  pipelines: { id: number; name: string; repositoryId: string; yamlPath: string; folder: string }[];
  policies: { typeId: string; repositoryId: string; refName: string; matchKind: string; isEnabled: boolean; isBlocking: boolean; settings: Record<string, unknown> }[];
  pullRequests: { id: number; repositoryId: string; sourceRefName: string; targetRefName: string; status: string }[];
  environments: { id: number; name: string; project: string }[];
  /** Approval checks on environments; `approvers` are identity ids. */
  checks: { id: number; typeId: string; environmentId: number; approvers: string[]; minRequiredApprovers: number; requesterCannotBeApprover: boolean; timeout: number }[];
  variableGroups: { id: number; name: string; project: string; variables: Record<string, string> }[];
}

/** The service's fixed id of the "Approval" check type. */
export const APPROVAL_CHECK_TYPE_GUID = '8c6f20a7-a545-4486-9777-f762fafe0d4d';

export interface ProvisioningUnderTest {
  prov: RepositoryProvisioning;
  /** Reads the same backend. */
  sc: SourceControl;
  state(): Promise<ProvisioningState>;
  close(): Promise<void>;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    if (isDomainError(e)) return e.code;
    throw e;
  }
  throw new Error('expected a DomainError');
}

const P = 'Catalog Demo';
const FILES = [
  { path: '/README.md', content: '# ledger-api\n\nOwned by team-payments.\n' },
  { path: 'catalog-info.yaml', content: 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ledger-api\n' },
  { path: '/src/index.ts', content: 'export const ok = true;\n' },
  { path: '/azure-pipelines.yml', content: 'trigger:\n  branches:\n    include: [main]\n' },
];
const POLICIES = { minimumReviewers: 2, creatorVoteCounts: false, buildDefinitionId: 0, commentResolution: true, workItemLinking: true } as const;

export function repositoryProvisioningContract(name: string, make: () => Promise<ProvisioningUnderTest>): void {
  describe(`RepositoryProvisioning contract: ${name}`, () => {
    let subject: ProvisioningUnderTest;
    let prov: RepositoryProvisioning;
    let repoId: string;
    let mainHead: string;
    let pipelineId: number;
    const repoState = async () => (await subject.state()).repositories.find((r) => r.id === repoId)!;

    beforeAll(async () => {
      subject = await make();
      prov = subject.prov;
    });
    afterAll(async () => subject?.close());

    it('creates a repository once; the second call (any case) returns it', async () => {
      const first = await prov.ensureRepository(P, 'ledger-api');
      expect(first).toMatchObject({ created: true, repository: { name: 'ledger-api', project: P, isEmpty: true } });
      expect(first.repository.webUrl).toMatch(/\/Catalog%20Demo\/_git\/ledger-api$/);
      repoId = first.repository.id;
      const again = await prov.ensureRepository(P, 'Ledger-API');
      expect(again).toMatchObject({ created: false, repository: { id: repoId, name: 'ledger-api' } });
      expect((await subject.state()).repositories.filter((r) => r.name.toLowerCase() === 'ledger-api')).toHaveLength(1);
      expect(await subject.sc.getRepository(P, 'ledger-api')).toMatchObject({ id: repoId, isEmpty: true });
    });

    it('returns an existing seeded repository as it is, and reports an unknown project', async () => {
      expect(await prov.ensureRepository(P, 'orders-service')).toMatchObject({ created: false, repository: { id: '31000000-0000-4000-c000-0000000000c1' } });
      expect(await codeOf(prov.ensureRepository('No Such Project', 'x'))).toBe('REPOS.PROJECT_NOT_FOUND');
    });

    it('pushes the initial commit once; the files read back through SourceControl', async () => {
      const first = await prov.ensureInitialCommit(P, repoId, 'main', FILES, 'Scaffold ledger-api');
      expect(first).toMatchObject({ created: true, differingPaths: [] });
      expect(first.commitId).toMatch(/^[0-9a-f]{40}$/);
      mainHead = first.commitId;
      expect(await prov.ensureInitialCommit(P, repoId, 'main', FILES, 'Scaffold ledger-api')).toEqual({ commitId: mainHead, created: false, differingPaths: [] });
      expect((await repoState()).commits).toBe(1);

      expect(await subject.sc.getRepository(P, 'ledger-api')).toMatchObject({ defaultBranch: 'main', isEmpty: false });
      expect(await subject.sc.listFiles(P, 'ledger-api', { recursive: true })).toEqual(['/README.md', '/azure-pipelines.yml', '/catalog-info.yaml', '/src/index.ts']);
      for (const f of FILES) expect(await subject.sc.readFile(P, 'ledger-api', f.path)).toBe(f.content);
    });

    it('never pushes over an existing branch: it reports which requested files differ', async () => {
      const other = [{ path: '/README.md', content: '# something else\n' }, FILES[2], { path: '/new.txt', content: 'n\n' }];
      expect(await prov.ensureInitialCommit(P, repoId, 'main', other, 'again')).toEqual({ commitId: mainHead, created: false, differingPaths: ['/README.md', '/new.txt'] });
      expect((await repoState()).commits).toBe(1);
      expect(await codeOf(prov.ensureInitialCommit(P, 'no-such-repo', 'main', FILES, 'x'))).toBe('REPOS.REPOSITORY_NOT_FOUND');
    });

    it('finds a repository by id or name and compares a branch with files, changing nothing; null for what does not exist', async () => {
      expect(await prov.findRepository(P, repoId)).toMatchObject({ id: repoId, name: 'ledger-api' });
      expect(await prov.findRepository(P, 'LEDGER-api')).toMatchObject({ id: repoId });
      expect(await prov.findRepository(P, '00000000-0000-4000-8000-00000000dead')).toBeNull();
      expect(await prov.compareBranch(P, repoId, 'main', FILES)).toEqual({ commitId: mainHead, differingPaths: [] });
      expect(await prov.compareBranch(P, repoId, 'main', [{ path: '/README.md', content: 'other\n' }])).toEqual({ commitId: mainHead, differingPaths: ['/README.md'] });
      expect(await prov.compareBranch(P, repoId, 'no-such-branch', FILES)).toBeNull();
      expect((await repoState()).commits).toBe(1);
    });

    it('creates the YAML pipeline once, found by name + repository', async () => {
      const spec = { name: 'ledger-api-ci', repositoryId: repoId, yamlPath: '/azure-pipelines.yml', folder: 'payments' };
      const first = await prov.ensurePipeline(P, spec);
      expect(first.created).toBe(true);
      expect(first.url).toContain(`definitionId=${first.id}`);
      pipelineId = first.id;
      expect(await prov.ensurePipeline(P, { ...spec, name: 'Ledger-API-CI' })).toEqual({ ...first, created: false });
      const pipelines = (await subject.state()).pipelines.filter((d) => d.repositoryId === repoId);
      expect(pipelines).toEqual([{ id: pipelineId, name: 'ledger-api-ci', repositoryId: repoId, yamlPath: '/azure-pipelines.yml', folder: '\\payments' }]);
      expect(await prov.findPipelinesForRepository(P, repoId)).toEqual([{ id: pipelineId, name: 'ledger-api-ci', url: first.url, yamlPath: '/azure-pipelines.yml' }]);
    });

    it('refuses a pipeline name that another repository uses in the same folder; lists none for a repository without', async () => {
      const orders = '31000000-0000-4000-c000-0000000000c1';
      expect(await codeOf(prov.ensurePipeline(P, { name: 'ledger-api-ci', repositoryId: orders, yamlPath: '/azure-pipelines.yml', folder: '\\payments' }))).toBe('PIPELINES.NAME_CONFLICT');
      expect(await prov.findPipelinesForRepository(P, orders)).toEqual([]);
      expect(await codeOf(prov.findPipelinesForRepository('No Such Project', orders))).toBe('REPOS.PROJECT_NOT_FOUND');
    });

    it('sets the four branch policies once, blocking, scoped to exactly this repository and branch', async () => {
      const spec = { ...POLICIES, buildDefinitionId: pipelineId };
      const first = await prov.ensureBranchPolicies(P, repoId, 'main', spec);
      expect([...first.created].sort()).toEqual(['build-validation', 'comment-resolution', 'minimum-reviewers', 'work-item-linking']);
      expect(first.existing).toEqual([]);
      const again = await prov.ensureBranchPolicies(P, repoId, 'refs/heads/main', spec);
      expect(again.created).toEqual([]);
      expect([...again.existing].sort()).toEqual(['build-validation', 'comment-resolution', 'minimum-reviewers', 'work-item-linking']);

      const policies = (await subject.state()).policies.filter((p) => p.repositoryId === repoId);
      expect(policies.map((p) => p.typeId).sort()).toEqual(Object.values(POLICY_TYPE_GUIDS).sort());
      for (const p of policies) expect(p).toMatchObject({ refName: 'refs/heads/main', matchKind: 'exact', isEnabled: true, isBlocking: true });
      const settingsOf = (typeId: string) => policies.find((p) => p.typeId === typeId)!.settings;
      expect(settingsOf(POLICY_TYPE_GUIDS.minimumReviewers)).toMatchObject({ minimumApproverCount: 2, creatorVoteCounts: false });
      expect(settingsOf(POLICY_TYPE_GUIDS.build)).toMatchObject({ buildDefinitionId: pipelineId });
    });

    it('creates a branch from a commit once; an existing branch stays where it is', async () => {
      expect(await prov.ensureBranch(P, repoId, 'feature/add-docs', mainHead)).toEqual({ name: 'feature/add-docs', commitId: mainHead, created: true });
      expect(await prov.ensureBranch(P, repoId, 'refs/heads/feature/add-docs', mainHead)).toEqual({ name: 'feature/add-docs', commitId: mainHead, created: false });
      expect(await codeOf(prov.ensureBranch(P, repoId, 'feature/nowhere', 'f'.repeat(40)))).toBe('REPOS.COMMIT_NOT_FOUND');
    });

    it('pushes only the files that differ, once', async () => {
      const files = [FILES[2], { path: '/README.md', content: '# ledger-api\n\nNow with docs.\n' }, { path: '/docs/index.md', content: '# Docs\n' }];
      const first = await prov.ensureFiles(P, repoId, 'feature/add-docs', files, 'Add docs');
      expect(first).toMatchObject({ created: true, changedPaths: ['/README.md', '/docs/index.md'] });
      expect(first.commitId).not.toBe(mainHead);
      expect(await prov.ensureFiles(P, repoId, 'feature/add-docs', files, 'Add docs')).toEqual({ commitId: first.commitId, created: false, changedPaths: [] });
      expect((await repoState()).commits).toBe(2);
      expect(await subject.sc.readFile(P, 'ledger-api', '/README.md', 'feature/add-docs')).toBe('# ledger-api\n\nNow with docs.\n');
      expect(await subject.sc.readFile(P, 'ledger-api', '/src/index.ts', 'feature/add-docs')).toBe(FILES[2].content);
      expect(await subject.sc.readFile(P, 'ledger-api', '/README.md', 'main')).toBe(FILES[0].content);
      expect(await codeOf(prov.ensureFiles(P, repoId, 'no-such-branch', files, 'x'))).toBe('REPOS.BRANCH_NOT_FOUND');
    });

    it('opens a pull request once; an active one from the same branch is reused', async () => {
      const spec = { sourceBranch: 'feature/add-docs', targetBranch: 'main', title: 'Add docs', description: 'Adds the docs folder.' };
      const first = await prov.ensurePullRequest(P, repoId, spec);
      expect(first.created).toBe(true);
      expect(first.url).toMatch(new RegExp(`/_git/ledger-api/pullrequest/${first.id}$`));
      expect(await prov.ensurePullRequest(P, repoId, { ...spec, title: 'Add docs (again)' })).toEqual({ ...first, created: false });
      const prs = (await subject.state()).pullRequests.filter((pr) => pr.repositoryId === repoId);
      expect(prs).toEqual([{ id: first.id, repositoryId: repoId, sourceRefName: 'refs/heads/feature/add-docs', targetRefName: 'refs/heads/main', status: 'active' }]);
      expect(await codeOf(prov.ensurePullRequest(P, repoId, { ...spec, sourceBranch: 'no-such-branch' }))).toBe('REPOS.BRANCH_NOT_FOUND');
    });

    it('creates the deployment environments once each (names case-insensitive), in the order asked', async () => {
      const names = ['ledger-api-dev', 'ledger-api-staging', 'ledger-api-prod'];
      const first = await prov.ensureEnvironments(P, names);
      expect(first.map((e) => [e.name, e.created])).toEqual(names.map((n) => [n, true]));
      const again = await prov.ensureEnvironments(P, ['Ledger-API-dev', ...names.slice(1)]);
      expect(again).toEqual(first.map((e) => ({ ...e, created: false })));
      const envs = (await subject.state()).environments.filter((e) => e.name.startsWith('ledger-api-'));
      expect(envs.map(({ id, name, project }) => ({ id, name, project }))).toEqual(first.map(({ id, name }) => ({ id, name, project: P })));
      expect(await codeOf(prov.ensureEnvironments('No Such Project', ['x-dev']))).toBe('REPOS.PROJECT_NOT_FOUND');
    });

    it('puts one approval check on the prod environment; a second call finds it', async () => {
      const [prod] = await prov.ensureEnvironments(P, ['ledger-api-prod']);
      const approver = '7a1e0000-0000-4000-8000-00000000a001';
      const spec = { approverGroupOrUserIds: [approver], approverNames: ['team-payments'], minRequiredApprovers: 1, requesterCannotBeApprover: true, timeoutMinutes: 1440 } as const;
      const first = await prov.ensureApprovalCheck(P, prod!.id, spec);
      expect(first.created).toBe(true);
      expect(await prov.ensureApprovalCheck(P, prod!.id, spec)).toEqual({ id: first.id, created: false });
      const checks = (await subject.state()).checks.filter((c) => c.environmentId === prod!.id);
      expect(checks).toEqual([
        { id: first.id, typeId: APPROVAL_CHECK_TYPE_GUID, environmentId: prod!.id, approvers: [approver], minRequiredApprovers: 1, requesterCannotBeApprover: true, timeout: 1440 },
      ]);
    });

    it('creates the variable groups once each, with their non-secret placeholders', async () => {
      const groups = ['dev', 'prod'].map((env) => ({ name: `vg-ledger-api-${env}`, description: `ledger-api in ${env}`, variables: { ENVIRONMENT: env, SERVICE_NAME: 'ledger-api' } }));
      const first = await prov.ensureVariableGroups(P, groups);
      expect(first.map((g) => [g.name, g.created])).toEqual([['vg-ledger-api-dev', true], ['vg-ledger-api-prod', true]]);
      expect(await prov.ensureVariableGroups(P, [{ ...groups[0]!, name: 'VG-Ledger-API-dev' }, groups[1]!])).toEqual(first.map((g) => ({ ...g, created: false })));
      const state = (await subject.state()).variableGroups.filter((g) => g.name.startsWith('vg-ledger-api-'));
      expect(state).toEqual(first.map((g, i) => ({ id: g.id, name: g.name, project: P, variables: groups[i]!.variables })));
      expect(await codeOf(prov.ensureVariableGroups('No Such Project', groups))).toBe('REPOS.PROJECT_NOT_FOUND');
    });
  });
}
