/**
 * RepositoryProvisioning on Azure DevOps through azure-devops-node-api. Reads go through
 * `conn.call` (retried); creates go through `ensure` (find, create once, and after a failure whose
 * outcome is unknown find again before creating), so a retry after a crash, a 5xx or a lost
 * response never makes a second repository, commit, pipeline, policy, branch, pull request,
 * environment, approval check or variable group.
 */
import { GitRefUpdateStatus, PullRequestStatus, type GitPullRequest } from 'azure-devops-node-api/interfaces/GitInterfaces';
import { DomainError } from '../../domain/domain-error';
import type { RepositoryInfo } from '../../domain/repos/repos.types';
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
} from '../../domain/repos/repository-provisioning.port';
import { AzureDevOpsConnection, type AzureDevOpsOptions } from './azure-devops-connection';
import { statusOf } from './azure-devops-failures';
import { ensureBranchPolicySet } from './branch-policies';
import { ensureApprovalCheckOn, ensureEnvironmentSet, ensureVariableGroupSet } from './deployment-targets';
import { ensure } from './ensure';
import { ZERO_OBJECT_ID, fullBranch, shortBranch, toRepositoryInfo } from './git-mapping';
import { CODE_READ, CODE_WRITE, branchHead, branchNotFound, byPath, changes, diffTree, projectNotFound, repositoryNotFound } from './git-writes';
import { BUILD_EXECUTE, BUILD_READ, TFS_GIT, definitionBody, definitionUrl, toPipelineInfo } from './pipeline-definitions';

const CODE_MANAGE = 'Code (Read, write, & manage)';

export class AzureDevOpsRepositoryProvisioning implements RepositoryProvisioning {
  private readonly conn: AzureDevOpsConnection;

  /** Takes options, or a connection shared with AzureDevOpsSourceControl. */
  constructor(options: AzureDevOpsOptions | AzureDevOpsConnection) {
    this.conn = options instanceof AzureDevOpsConnection ? options : new AzureDevOpsConnection(options);
  }

  async ensureRepository(project: string, name: string): Promise<{ repository: RepositoryInfo; created: boolean }> {
    const { value, created } = await ensure(this.conn.policy, { operation: `create repository "${name}"`, permission: CODE_MANAGE, project }, {
      find: async () => {
        const repo = await this.conn.call({ operation: `read repository "${name}"`, permission: CODE_READ, project }, async () => (await this.conn.git()).getRepository(name, project));
        return repo ? toRepositoryInfo(repo) : undefined;
      },
      create: async () => {
        // A 404 (missing project) resolves to null, even on a POST.
        const repo = await (await this.conn.git()).createRepository({ name }, project);
        if (!repo) throw projectNotFound(project);
        return toRepositoryInfo(repo);
      },
      conflict: () =>
        new DomainError('REPOS.NAME_CONFLICT', `The repository name "${name}" is taken in project "${project}" (perhaps by a deleted repository still in the recycle bin).`, { project, name }),
    });
    return { repository: value, created };
  }

  async findRepository(project: string, idOrName: string): Promise<RepositoryInfo | null> {
    // A 404 (repository or project gone) resolves to null.
    const repo = await this.conn.call({ operation: `read repository "${idOrName}"`, permission: CODE_READ, project }, async () => (await this.conn.git()).getRepository(idOrName, project));
    return repo ? toRepositoryInfo(repo) : null;
  }

  async compareBranch(project: string, repoId: string, branch: string, files: FileToCommit[]): Promise<{ commitId: string; differingPaths: string[] } | null> {
    const head = await branchHead(this.conn, project, repoId, branch);
    return head ? { commitId: head, differingPaths: (await diffTree(this.conn, project, repoId, head, byPath(files))).differing } : null;
  }

  async ensureInitialCommit(project: string, repoId: string, branch: string, files: FileToCommit[], message: string): Promise<CommitResult> {
    const wanted = byPath(files);
    const { value, created } = await ensure(this.conn.policy, { operation: `push the initial commit to "${branch}"`, permission: CODE_WRITE, project }, {
      find: async () => {
        const head = await branchHead(this.conn, project, repoId, branch);
        return head ? { commitId: head, differingPaths: (await diffTree(this.conn, project, repoId, head, wanted)).differing } : undefined;
      },
      create: async () => {
        // oldObjectId zeros: the service refuses (409) if the branch appeared meanwhile.
        const push = await (await this.conn.git()).createPush(
          { refUpdates: [{ name: fullBranch(branch), oldObjectId: ZERO_OBJECT_ID }], commits: [{ comment: message, changes: changes(wanted, [...wanted.keys()], new Set()) }] },
          repoId,
          project,
        );
        if (!push) throw repositoryNotFound(project, repoId);
        return { commitId: push.refUpdates![0].newObjectId!, differingPaths: [] };
      },
    });
    return { ...value, created };
  }

  async ensureFiles(project: string, repoId: string, branch: string, files: FileToCommit[], message: string): Promise<FilesResult> {
    const wanted = byPath(files);
    let pending: { head: string; paths: string[]; existing: Set<string> } | undefined;
    let pushed: string[] = [];
    const { value, created } = await ensure(this.conn.policy, { operation: `push to "${branch}"`, permission: CODE_WRITE, project }, {
      find: async () => {
        const head = await branchHead(this.conn, project, repoId, branch);
        if (!head) throw branchNotFound(project, repoId, branch);
        const diff = await diffTree(this.conn, project, repoId, head, wanted);
        if (diff.differing.length === 0) return { commitId: head, changedPaths: pushed };
        pending = { head, paths: diff.differing, existing: diff.existing };
        return undefined;
      },
      create: async () => {
        const { head, paths, existing } = pending!;
        pushed = paths;
        const push = await (await this.conn.git()).createPush(
          { refUpdates: [{ name: fullBranch(branch), oldObjectId: head }], commits: [{ comment: message, changes: changes(wanted, paths, existing) }] },
          repoId,
          project,
        );
        if (!push) throw repositoryNotFound(project, repoId);
        return { commitId: push.refUpdates![0].newObjectId!, changedPaths: paths };
      },
      // 409: the branch moved since we read it; diff against the new head and push again.
      retryConflicts: true,
    });
    return { ...value, created };
  }

  async ensureBranch(project: string, repoId: string, name: string, fromCommitId: string): Promise<BranchResult> {
    const branch = shortBranch(name);
    const { value, created } = await ensure(this.conn.policy, { operation: `create branch "${branch}"`, permission: CODE_WRITE, project }, {
      find: async () => {
        const head = await branchHead(this.conn, project, repoId, branch);
        return head ? { name: branch, commitId: head } : undefined;
      },
      create: async () => {
        const results = await (await this.conn.git()).updateRefs([{ name: fullBranch(branch), oldObjectId: ZERO_OBJECT_ID, newObjectId: fromCommitId }], repoId, project);
        if (!results) throw repositoryNotFound(project, repoId);
        const status = results[0]?.updateStatus;
        if (results[0]?.success) return { name: branch, commitId: fromCommitId };
        if (status === GitRefUpdateStatus.StaleOldObjectId) throw Object.assign(new Error('The branch appeared meanwhile.'), { statusCode: 409 });
        if (status === GitRefUpdateStatus.InvalidRefName) throw new DomainError('REPOS.INVALID_BRANCH_NAME', `"${branch}" is not a valid branch name.`, { project, branch });
        throw new DomainError('REPOS.COMMIT_NOT_FOUND', `The repository "${repoId}" in project "${project}" has no commit ${fromCommitId}.`, { project, repository: repoId, commitId: fromCommitId });
      },
    });
    return { ...value, created };
  }

  async ensurePullRequest(project: string, repoId: string, spec: PullRequestSpec): Promise<PullRequestResult> {
    const source = fullBranch(spec.sourceBranch);
    const target = fullBranch(spec.targetBranch);
    const { value, created } = await ensure(this.conn.policy, { operation: `open a pull request from "${shortBranch(source)}"`, permission: CODE_WRITE, project }, {
      find: async () => {
        const active = await this.conn.call({ operation: 'list pull requests', permission: CODE_READ, project }, async () =>
          (await this.conn.git()).getPullRequests(repoId, { status: PullRequestStatus.Active, sourceRefName: source }, project),
        );
        if (!active) throw repositoryNotFound(project, repoId);
        const pr = active.find((p) => p.targetRefName === target) ?? active[0];
        return pr ? this.pullRequestResult(pr) : undefined;
      },
      create: async () => {
        try {
          const pr = await (await this.conn.git()).createPullRequest({ sourceRefName: source, targetRefName: target, title: spec.title, description: spec.description }, repoId, project);
          if (!pr) throw repositoryNotFound(project, repoId);
          return this.pullRequestResult(pr);
        } catch (e) {
          // TF401398: the source or target branch does not exist.
          if (statusOf(e) === 400 && /TF401398/.test((e as Error).message)) throw branchNotFound(project, repoId, `${shortBranch(source)}" or "${shortBranch(target)}`);
          throw e;
        }
      },
    });
    return { ...value, created };
  }

  async ensurePipeline(project: string, spec: PipelineSpec): Promise<PipelineResult> {
    // Started at once so the repository read overlaps the definition lookup; only a create needs it.
    const repo = this.conn.call({ operation: 'read the repository', permission: CODE_READ, project }, async () => (await this.conn.git()).getRepository(spec.repositoryId, project));
    repo.catch(() => undefined);
    const { value, created } = await ensure(this.conn.policy, { operation: `create pipeline "${spec.name}"`, permission: BUILD_EXECUTE, project }, {
      find: async () => {
        const found = await this.conn.call({ operation: `find pipeline "${spec.name}"`, permission: BUILD_READ, project }, async () =>
          (await this.conn.build()).getDefinitions(project, spec.name, spec.repositoryId, TFS_GIT),
        );
        if (!found) throw projectNotFound(project);
        const d = found.find((x) => x.name?.toLowerCase() === spec.name.toLowerCase());
        return d ? { id: d.id!, url: definitionUrl(d, this.conn.orgUrl, project) } : undefined;
      },
      create: async () => {
        const repository = await repo;
        if (!repository) throw repositoryNotFound(project, spec.repositoryId);
        const d = await (await this.conn.build()).createDefinition(definitionBody(spec, { name: repository.name!, defaultBranch: repository.defaultBranch }), project);
        if (!d) throw projectNotFound(project);
        return { id: d.id!, url: definitionUrl(d, this.conn.orgUrl, project) };
      },
      conflict: () =>
        new DomainError('PIPELINES.NAME_CONFLICT', `A pipeline named "${spec.name}" already exists in project "${project}" and builds another repository.`, { project, name: spec.name }),
    });
    return { ...value, created };
  }

  async findPipelinesForRepository(project: string, repoId: string): Promise<PipelineInfo[]> {
    const pipelines: PipelineInfo[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await this.conn.call({ operation: 'list pipelines', permission: BUILD_READ, project }, async () =>
        (await this.conn.build()).getDefinitions(project, undefined, repoId, TFS_GIT, undefined, undefined, continuationToken, undefined, undefined, undefined, undefined, undefined, true),
      );
      if (!page) throw projectNotFound(project);
      pipelines.push(...page.map((d) => toPipelineInfo(d, this.conn.orgUrl, project)));
      continuationToken = page.continuationToken || undefined;
    } while (continuationToken);
    return pipelines.sort((a, b) => a.name.localeCompare(b.name));
  }

  ensureBranchPolicies(project: string, repoId: string, branch: string, spec: BranchPolicySpec): Promise<{ created: BranchPolicyKind[]; existing: BranchPolicyKind[] }> {
    return ensureBranchPolicySet(this.conn, project, repoId, fullBranch(branch), spec);
  }

  ensureEnvironments(project: string, names: string[]): Promise<EnsuredNamed[]> {
    return ensureEnvironmentSet(this.conn, project, names);
  }

  ensureApprovalCheck(project: string, environmentId: number, spec: ApprovalCheckSpec): Promise<{ id: number; created: boolean }> {
    return ensureApprovalCheckOn(this.conn, project, environmentId, spec);
  }

  ensureVariableGroups(project: string, groups: VariableGroupSpec[]): Promise<EnsuredNamed[]> {
    return ensureVariableGroupSet(this.conn, project, groups);
  }

  private pullRequestResult(pr: GitPullRequest): { id: number; url: string } {
    const repo = pr.repository;
    const repoWeb = repo?.webUrl ?? `${this.conn.orgUrl}/${encodeURIComponent(repo?.project?.name ?? '')}/_git/${encodeURIComponent(repo?.name ?? '')}`;
    return { id: pr.pullRequestId!, url: `${repoWeb}/pullrequest/${pr.pullRequestId}` };
  }
}
