/**
 * Azure DevOps in memory, both ports on one state: what InMemorySourceControl reads, plus the
 * commits, pipelines, branch policies, pull requests, environments (with approval checks) and
 * variable groups that RepositoryProvisioning writes. It
 * answers as AzureDevOpsRepositoryProvisioning does against the service (the contract suite checks
 * both), and `snapshot()` shows what it holds, like the stand-in's GET /_standin/state.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { DemoProject } from '../../src/sandbox/seed/demo-org';
import { DomainError } from '../../src/domain/domain-error';
import type { RepositoryInfo } from '../../src/domain/repos/repos.types';
import type {
  ApprovalCheckSpec,
  BranchPolicyKind,
  BranchPolicySpec,
  BranchResult,
  CommitResult,
  EnsuredNamed,
  FileToCommit,
  FilesResult,
  PipelineInfo,
  PipelineResult,
  PipelineSpec,
  PullRequestResult,
  PullRequestSpec,
  RepositoryProvisioning,
  VariableGroupSpec,
} from '../../src/domain/repos/repository-provisioning.port';
import { InMemorySourceControl, normalize, type FakeProject, type FakeRepo } from './in-memory-source-control';

export interface FakePipeline {
  id: number;
  projectId: string;
  name: string;
  folder: string;
  repositoryId: string;
  yamlPath: string;
}

export interface FakePolicy {
  kind: BranchPolicyKind;
  projectId: string;
  repositoryId: string;
  refName: string;
  settings: Record<string, unknown>;
}

export interface FakePullRequest {
  id: number;
  repositoryId: string;
  sourceRefName: string;
  targetRefName: string;
  title: string;
  description: string;
  status: 'active' | 'completed' | 'abandoned';
}

export interface FakeEnvironment {
  id: number;
  projectId: string;
  name: string;
}

export interface FakeApprovalCheck {
  id: number;
  projectId: string;
  environmentId: number;
  approverIds: string[];
  approverNames: string[];
  minRequiredApprovers: number;
  requesterCannotBeApprover: boolean;
  timeoutMinutes: number;
}

export interface FakeVariableGroup {
  id: number;
  projectId: string;
  name: string;
  description: string;
  variables: Record<string, string>;
}

interface Commit {
  id: string;
  message: string;
  files: ReadonlyMap<string, string>;
}

const POLICY_KINDS: BranchPolicyKind[] = ['minimum-reviewers', 'build-validation', 'comment-resolution', 'work-item-linking'];

export class InMemoryAzureDevOps extends InMemorySourceControl implements RepositoryProvisioning {
  readonly pipelines: FakePipeline[] = [];
  readonly policies: FakePolicy[] = [];
  readonly pullRequests: FakePullRequest[] = [];
  readonly environments: FakeEnvironment[] = [];
  readonly checks: FakeApprovalCheck[] = [];
  readonly variableGroups: FakeVariableGroup[] = [];
  /** Repository id -> commits pushed through this port, oldest first (seeded content is not counted). */
  readonly pushes = new Map<string, Commit[]>();
  /** Repository id -> branch -> head commit, for branches whose head this fake has named. */
  private readonly heads = new Map<string, Map<string, Commit>>();
  private readonly snapshots = new Map<string, Commit>();
  private sequence = 0;

  constructor(seed: DemoProject[], org = 'contoso') {
    super(seed, org);
  }

  async ensureRepository(project: string, name: string): Promise<{ repository: RepositoryInfo; created: boolean }> {
    const p = this.requireProject(project);
    const existing = this.repo(project, name);
    if (existing) return { repository: this.info(p, existing), created: false };
    const repo: FakeRepo = { id: randomUUID(), name, branches: new Map(), history: new Map() };
    p.repos.push(repo);
    return { repository: this.info(p, repo), created: true };
  }

  async findRepository(project: string, idOrName: string): Promise<RepositoryInfo | null> {
    const p = this.project(project);
    const repo = p && this.repo(project, idOrName);
    return p && repo ? this.info(p, repo) : null;
  }

  async compareBranch(project: string, repoId: string, branch: string, files: FileToCommit[]): Promise<{ commitId: string; differingPaths: string[] } | null> {
    const head = this.head(this.requireRepo(project, repoId), short(branch));
    return head ? { commitId: head.id, differingPaths: differing(head.files, byPath(files)) } : null;
  }

  /** Deletes a repository as a person would in the web UI (its pipelines stay, and break). */
  deleteRepository(project: string, repoId: string): void {
    const p = this.requireProject(project);
    p.repos.splice(p.repos.indexOf(this.requireRepo(project, repoId)), 1);
  }

  async ensureInitialCommit(project: string, repoId: string, branch: string, files: FileToCommit[], message: string): Promise<CommitResult> {
    const repo = this.requireRepo(project, repoId);
    const wanted = byPath(files);
    const name = short(branch);
    const head = this.head(repo, name);
    if (head) return { commitId: head.id, created: false, differingPaths: differing(head.files, wanted) };
    const commit = this.commit(repo, name, message, wanted);
    return { commitId: commit.id, created: true, differingPaths: [] };
  }

  async ensureFiles(project: string, repoId: string, branch: string, files: FileToCommit[], message: string): Promise<FilesResult> {
    const repo = this.requireRepo(project, repoId);
    const name = short(branch);
    const head = this.head(repo, name);
    if (!head) throw branchNotFound(project, repoId, name);
    const wanted = byPath(files);
    const changedPaths = differing(head.files, wanted);
    if (changedPaths.length === 0) return { commitId: head.id, created: false, changedPaths };
    const next = new Map(head.files);
    for (const path of changedPaths) next.set(path, wanted.get(path)!);
    return { commitId: this.commit(repo, name, message, next).id, created: true, changedPaths };
  }

  async ensureBranch(project: string, repoId: string, name: string, fromCommitId: string): Promise<BranchResult> {
    const repo = this.requireRepo(project, repoId);
    const branch = short(name);
    const head = this.head(repo, branch);
    if (head) return { name: branch, commitId: head.id, created: false };
    const from = this.snapshots.get(`${repo.id}:${fromCommitId.toLowerCase()}`);
    if (!from) {
      throw new DomainError('REPOS.COMMIT_NOT_FOUND', `The repository "${repoId}" in project "${project}" has no commit ${fromCommitId}.`, { project, repository: repoId, commitId: fromCommitId });
    }
    repo.branches.set(branch, new Map(from.files));
    this.branchHeads(repo).set(branch, from);
    return { name: branch, commitId: from.id, created: true };
  }

  async ensurePullRequest(project: string, repoId: string, spec: PullRequestSpec): Promise<PullRequestResult> {
    const repo = this.requireRepo(project, repoId);
    const p = this.project(project)!;
    const [source, target] = [full(spec.sourceBranch), full(spec.targetBranch)];
    const url = (id: number) => `${this.info(p, repo).webUrl}/pullrequest/${id}`;
    const active = this.pullRequests.filter((pr) => pr.repositoryId === repo.id && pr.status === 'active' && pr.sourceRefName === source);
    const reuse = active.find((pr) => pr.targetRefName === target) ?? active[0];
    if (reuse) return { id: reuse.id, url: url(reuse.id), created: false };
    if (!repo.branches.has(short(source)) || !repo.branches.has(short(target))) throw branchNotFound(project, repoId, `${short(source)}" or "${short(target)}`);
    const pr: FakePullRequest = { id: this.next(), repositoryId: repo.id, sourceRefName: source, targetRefName: target, title: spec.title, description: spec.description, status: 'active' };
    this.pullRequests.push(pr);
    return { id: pr.id, url: url(pr.id), created: true };
  }

  async ensurePipeline(project: string, spec: PipelineSpec): Promise<PipelineResult> {
    const p = this.requireProject(project);
    const folder = folderPath(spec.folder);
    const mine = this.pipelines.find((d) => d.projectId === p.id && d.name.toLowerCase() === spec.name.toLowerCase() && d.repositoryId === spec.repositoryId.toLowerCase());
    if (mine) return { id: mine.id, url: this.pipelineUrl(p, mine.id), created: false };
    if (this.pipelines.some((d) => d.projectId === p.id && d.folder === folder && d.name.toLowerCase() === spec.name.toLowerCase())) {
      throw new DomainError('PIPELINES.NAME_CONFLICT', `A pipeline named "${spec.name}" already exists in project "${project}" and builds another repository.`, { project, name: spec.name });
    }
    const repo = this.requireRepo(project, spec.repositoryId);
    const pipeline: FakePipeline = { id: this.next(), projectId: p.id, name: spec.name, folder, repositoryId: repo.id, yamlPath: normalize(spec.yamlPath) };
    this.pipelines.push(pipeline);
    return { id: pipeline.id, url: this.pipelineUrl(p, pipeline.id), created: true };
  }

  async findPipelinesForRepository(project: string, repoId: string): Promise<PipelineInfo[]> {
    const p = this.requireProject(project);
    return this.pipelines
      .filter((d) => d.projectId === p.id && d.repositoryId === repoId.toLowerCase())
      .map((d) => ({ id: d.id, name: d.name, url: this.pipelineUrl(p, d.id), yamlPath: d.yamlPath }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async ensureBranchPolicies(project: string, repoId: string, branch: string, spec: BranchPolicySpec): Promise<{ created: BranchPolicyKind[]; existing: BranchPolicyKind[] }> {
    const p = this.requireProject(project);
    const repo = this.requireRepo(project, repoId);
    const refName = full(branch);
    const pipelineExists = this.pipelines.some((d) => d.projectId === p.id && d.id === spec.buildDefinitionId);
    const result = { created: [] as BranchPolicyKind[], existing: [] as BranchPolicyKind[] };
    for (const kind of POLICY_KINDS) {
      const ours = this.policies.some(
        (x) => x.kind === kind && x.repositoryId === repo.id && x.refName === refName && (kind !== 'build-validation' || x.settings.buildDefinitionId === spec.buildDefinitionId),
      );
      if (ours) {
        result.existing.push(kind);
        continue;
      }
      if (kind === 'build-validation' && !pipelineExists) continue;
      this.policies.push({ kind, projectId: p.id, repositoryId: repo.id, refName, settings: policySettings(kind, spec) });
      result.created.push(kind);
    }
    if (!pipelineExists && !result.existing.includes('build-validation')) {
      // What the adapter reports for the service's 400 (a build policy naming a missing pipeline); the other kinds are set.
      throw new DomainError('UPSTREAM.FAILED', `Azure DevOps could not set the "build-validation" policy in project "${project}" (HTTP 400).`, { project });
    }
    return result;
  }

  async ensureEnvironments(project: string, names: string[]): Promise<EnsuredNamed[]> {
    const p = this.requireProject(project);
    return names.map((name) => {
      const found = this.environments.find((e) => e.projectId === p.id && e.name.toLowerCase() === name.toLowerCase());
      if (found) return { name: found.name, id: found.id, created: false };
      const env: FakeEnvironment = { id: this.next(), projectId: p.id, name };
      this.environments.push(env);
      return { name, id: env.id, created: true };
    });
  }

  async ensureApprovalCheck(project: string, environmentId: number, spec: ApprovalCheckSpec): Promise<{ id: number; created: boolean }> {
    const p = this.requireProject(project);
    if (!this.environments.some((e) => e.projectId === p.id && e.id === environmentId)) {
      // What the adapter reports for the service's 400 (a check on an environment that does not exist).
      throw new DomainError('UPSTREAM.FAILED', `Azure DevOps could not add the approval check to the environment in project "${project}" (HTTP 400).`, { project });
    }
    const found = this.checks.find((c) => c.projectId === p.id && c.environmentId === environmentId);
    if (found) return { id: found.id, created: false };
    const check: FakeApprovalCheck = {
      id: this.next(),
      projectId: p.id,
      environmentId,
      approverIds: [...(spec.approverGroupOrUserIds ?? [])],
      approverNames: [...(spec.approverNames ?? [])],
      minRequiredApprovers: spec.minRequiredApprovers,
      requesterCannotBeApprover: spec.requesterCannotBeApprover,
      timeoutMinutes: spec.timeoutMinutes ?? 43_200,
    };
    this.checks.push(check);
    return { id: check.id, created: true };
  }

  async ensureVariableGroups(project: string, groups: VariableGroupSpec[]): Promise<EnsuredNamed[]> {
    const p = this.requireProject(project);
    return groups.map((g) => {
      const found = this.variableGroups.find((v) => v.projectId === p.id && v.name.toLowerCase() === g.name.toLowerCase());
      if (found) return { name: found.name, id: found.id, created: false };
      const vg: FakeVariableGroup = { id: this.next(), projectId: p.id, name: g.name, description: g.description, variables: { ...g.variables } };
      this.variableGroups.push(vg);
      return { name: g.name, id: vg.id, created: true };
    });
  }

  /** What the fake holds, in the shape the contract compares with the stand-in's state. */
  snapshot(): {
    repositories: { id: string; name: string; project: string; commits: number }[];
    pipelines: FakePipeline[];
    policies: FakePolicy[];
    pullRequests: FakePullRequest[];
    environments: (FakeEnvironment & { project: string })[];
    checks: FakeApprovalCheck[];
    variableGroups: (FakeVariableGroup & { project: string })[];
  } {
    const projectName = (id: string) => this.projects.find((p) => p.id === id)!.name;
    const repositories = this.projects.flatMap((p) => p.repos.map((r) => ({ id: r.id, name: r.name, project: p.name, commits: this.pushes.get(r.id)?.length ?? 0 })));
    return {
      repositories,
      pipelines: [...this.pipelines],
      policies: [...this.policies],
      pullRequests: [...this.pullRequests],
      environments: this.environments.map((e) => ({ ...e, project: projectName(e.projectId) })),
      checks: [...this.checks],
      variableGroups: this.variableGroups.map((g) => ({ ...g, project: projectName(g.projectId) })),
    };
  }

  private requireProject(project: string): FakeProject {
    const p = this.project(project);
    if (!p) throw new DomainError('REPOS.PROJECT_NOT_FOUND', `Azure DevOps has no project "${project}".`, { project });
    return p;
  }

  private requireRepo(project: string, repoId: string): FakeRepo {
    const repo = this.repo(project, repoId);
    if (!repo) throw new DomainError('REPOS.REPOSITORY_NOT_FOUND', `Azure DevOps has no repository "${repoId}" in project "${project}".`, { project, repository: repoId });
    return repo;
  }

  private branchHeads(repo: FakeRepo): Map<string, Commit> {
    const heads = this.heads.get(repo.id) ?? new Map<string, Commit>();
    this.heads.set(repo.id, heads);
    return heads;
  }

  /** The branch's head; seeded or putFile content gets a commit named after its files the first time it is asked for. */
  private head(repo: FakeRepo, branch: string): Commit | undefined {
    const files = repo.branches.get(branch);
    if (!files) return undefined;
    const known = this.branchHeads(repo).get(branch);
    if (known && sameFiles(known.files, files)) return known;
    const id = createHash('sha1').update(`${repo.id}\n${branch}\n${JSON.stringify([...files].sort())}`).digest('hex');
    const commit = { id, message: 'Seeded content', files: new Map(files) };
    this.snapshots.set(`${repo.id}:${id}`, commit);
    this.branchHeads(repo).set(branch, commit);
    return commit;
  }

  private commit(repo: FakeRepo, branch: string, message: string, files: Map<string, string>): Commit {
    const id = createHash('sha1').update(`${repo.id}\n${branch}\n${++this.sequence}\n${message}`).digest('hex');
    const commit = { id, message, files: new Map(files) };
    this.snapshots.set(`${repo.id}:${id}`, commit);
    this.pushes.set(repo.id, [...(this.pushes.get(repo.id) ?? []), commit]);
    const before = repo.branches.get(branch) ?? new Map<string, string>();
    repo.branches.set(branch, new Map(files));
    this.branchHeads(repo).set(branch, commit);
    repo.defaultBranch ??= branch;
    if (branch === repo.defaultBranch) for (const path of differing(before, files)) repo.history.set(path, { commitId: id, date: new Date() });
    return commit;
  }

  private pipelineUrl(p: FakeProject, id: number): string {
    return `https://dev.azure.com/${this.org}/${encodeURIComponent(p.name)}/_build/definition?definitionId=${id}`;
  }

  private next(): number {
    return ++this.sequence;
  }
}

function policySettings(kind: BranchPolicyKind, spec: BranchPolicySpec): Record<string, unknown> {
  if (kind === 'minimum-reviewers') return { minimumApproverCount: spec.minimumReviewers, creatorVoteCounts: spec.creatorVoteCounts };
  if (kind === 'build-validation') return { buildDefinitionId: spec.buildDefinitionId };
  return {};
}

const byPath = (files: FileToCommit[]): Map<string, string> => new Map(files.map((f) => [normalize(f.path), f.content]));

const differing = (present: ReadonlyMap<string, string>, wanted: Map<string, string>): string[] => [...wanted].filter(([path, text]) => present.get(path) !== text).map(([path]) => path);

const sameFiles = (a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean => a.size === b.size && [...a].every(([path, text]) => b.get(path) === text);

const short = (ref: string): string => ref.replace(/^refs\/heads\//, '');

const full = (name: string): string => (name.startsWith('refs/') ? name : `refs/heads/${name}`);

const folderPath = (folder: string | undefined): string => `\\${(folder ?? '').split(/[\\/]+/).filter(Boolean).join('\\')}`;

const branchNotFound = (project: string, repository: string, branch: string): DomainError =>
  new DomainError('REPOS.BRANCH_NOT_FOUND', `The repository "${repository}" in project "${project}" has no branch "${branch}".`, { project, repository, branch });
