import type { RepositoryInfo } from './repos.types';

/**
 * Write access to source control and pipelines, what "create repo" and "add pipeline to <repo>"
 * need. Every method is an `ensure`: it finds before it creates, so calling it again after a crash,
 * a Teams retry or a transient failure returns what exists and never duplicates anything.
 * `created` says whether this call made the object.
 *
 * Errors: `REPOS.PROJECT_NOT_FOUND`, `REPOS.REPOSITORY_NOT_FOUND`, `REPOS.BRANCH_NOT_FOUND`,
 * `REPOS.COMMIT_NOT_FOUND`, `REPOS.INVALID_BRANCH_NAME`, `REPOS.NAME_CONFLICT` (a repository name
 * taken by something we cannot see, e.g. a deleted repository in the recycle bin),
 * `PIPELINES.NAME_CONFLICT` (a pipeline of that name in that folder builds another repository),
 * and `UPSTREAM.FORBIDDEN` (the message names the permission and the project) /
 * `UPSTREAM.THROTTLED` / `UPSTREAM.UNAVAILABLE` / `UPSTREAM.FAILED` (anything else the service
 * refuses, e.g. a build policy naming a pipeline that does not exist).
 *
 * Environments and variable groups have unique names in a project (the service refuses a
 * duplicate); approval checks, like policies, have no uniqueness: one call at a time per environment.
 *
 * One call at a time per repository for policies: the service has no uniqueness for policy
 * configurations, so two concurrent ensureBranchPolicies calls could both create (the job runner
 * runs a job's steps in sequence). Repositories, branches, commits, pipelines and pull requests are
 * guarded by the service itself (409) and are safe even when concurrent.
 */
export interface RepositoryProvisioning {
  /** The repository of that name (case-insensitive), created when absent. */
  ensureRepository(project: string, name: string): Promise<{ repository: RepositoryInfo; created: boolean }>;
  /** The repository by id (or name); null when it does not exist (e.g. deleted since a job stored its id). Read only. */
  findRepository(project: string, idOrName: string): Promise<RepositoryInfo | null>;
  /** How `branch` compares with `files`, changing nothing: its head and the requested paths it lacks or holds otherwise; null when the branch does not exist. */
  compareBranch(project: string, repoId: string, branch: string, files: FileToCommit[]): Promise<{ commitId: string; differingPaths: string[] } | null>;
  /**
   * The first commit of `branch` holding `files`. When the branch already has a commit nothing is
   * pushed: the result is its head, and `differingPaths` lists the requested files that are
   * missing there or hold other content (empty when it is what was asked for).
   */
  ensureInitialCommit(project: string, repoId: string, branch: string, files: FileToCommit[], message: string): Promise<CommitResult>;
  /** A YAML pipeline (build definition) for the repository, found by name + repository. */
  ensurePipeline(project: string, pipeline: PipelineSpec): Promise<PipelineResult>;
  /** One configuration per policy type on exactly this repository + branch, found before created; existing ones are left as they are. */
  ensureBranchPolicies(project: string, repoId: string, branch: string, policies: BranchPolicySpec): Promise<{ created: BranchPolicyKind[]; existing: BranchPolicyKind[] }>;
  /** The pipelines that build this repository, sorted by name. */
  findPipelinesForRepository(project: string, repoId: string): Promise<PipelineInfo[]>;
  /** A branch starting at `fromCommitId`; an existing branch is returned where it is (not moved). */
  ensureBranch(project: string, repoId: string, name: string, fromCommitId: string): Promise<BranchResult>;
  /** One commit on an existing branch adding or editing only the files that differ; nothing when none does. */
  ensureFiles(project: string, repoId: string, branch: string, files: FileToCommit[], message: string): Promise<FilesResult>;
  /** An active pull request from `sourceBranch` (reused when one exists), else a new one. */
  ensurePullRequest(project: string, repoId: string, pr: PullRequestSpec): Promise<PullRequestResult>;
  /** Azure DevOps environments (deployment targets) of these names (case-insensitive), each created when absent; in the order asked. */
  ensureEnvironments(project: string, names: string[]): Promise<EnsuredNamed[]>;
  /**
   * An Approvals check on the environment, found by type + resource (one per environment: an
   * existing approval check is left as it is, whoever configured it).
   */
  ensureApprovalCheck(project: string, environmentId: number, spec: ApprovalCheckSpec): Promise<{ id: number; created: boolean }>;
  /** Variable groups of these names (case-insensitive) in the project, each created when absent; existing ones are not changed. */
  ensureVariableGroups(project: string, groups: VariableGroupSpec[]): Promise<EnsuredNamed[]>;
}

export interface EnsuredNamed {
  name: string;
  id: number;
  created: boolean;
}

/** Who approves a deployment to a protected environment (e.g. prod). */
export interface ApprovalCheckSpec {
  /** Directory (Entra) group or user ids the service knows as identities; preferred. */
  approverGroupOrUserIds?: readonly string[];
  /** Approvers by name (e.g. the owner team) when no id is known: recorded on the check (instructions), to be resolved by a person. */
  approverNames?: readonly string[];
  minRequiredApprovers: 1;
  /** Whoever queued the run may not approve it. */
  requesterCannotBeApprover: true;
  /** How long an approval may wait; default 30 days (the service's own default). */
  timeoutMinutes?: number;
}

export interface VariableGroupSpec {
  name: string;
  description: string;
  /** Non-secret placeholders only (ENVIRONMENT=prod); secrets are set by people, never by the bot. */
  variables: Record<string, string>;
}

export interface FileToCommit {
  /** Absolute within the repository ("/README.md"); without the leading slash it means the same. */
  path: string;
  content: string;
}

export interface CommitResult {
  commitId: string;
  created: boolean;
  /** Requested paths (absolute) missing from, or different on, the branch; [] when it matches. */
  differingPaths: string[];
}

export interface FilesResult {
  /** The branch head after the call. */
  commitId: string;
  created: boolean;
  /** The paths (absolute) this call added or edited; [] when nothing differed. */
  changedPaths: string[];
}

export interface BranchResult {
  /** Short name ("feature/add-pipeline"). */
  name: string;
  /** Where the branch points: `fromCommitId` when created, else its current head. */
  commitId: string;
  created: boolean;
}

export interface PipelineSpec {
  name: string;
  repositoryId: string;
  /** The YAML file in the repository ("/azure-pipelines.yml"). */
  yamlPath: string;
  /** Folder in the Pipelines view ("payments" or "\\payments"); default: the root. */
  folder?: string;
}

export interface PipelineInfo {
  id: number;
  name: string;
  /** Where a person opens the pipeline. */
  url: string;
  /** The YAML file it runs; absent for classic (designer) pipelines. */
  yamlPath?: string;
}

export interface PipelineResult {
  id: number;
  url: string;
  created: boolean;
}

/** Branch policies on the default branch, as the golden path sets them. */
export interface BranchPolicySpec {
  minimumReviewers: number;
  /** The author's own approval never counts. */
  creatorVoteCounts: false;
  /** Build validation with this pipeline. */
  buildDefinitionId: number;
  /** Every comment must be resolved. */
  commentResolution: true;
  /** Every pull request must link a work item. */
  workItemLinking: true;
}

export type BranchPolicyKind = 'minimum-reviewers' | 'build-validation' | 'comment-resolution' | 'work-item-linking';

/** How Azure DevOps names each policy type (what a card shows). */
export const BRANCH_POLICY_LABELS: Record<BranchPolicyKind, string> = {
  'minimum-reviewers': 'Minimum number of reviewers',
  'build-validation': 'Build',
  'comment-resolution': 'Comment requirements',
  'work-item-linking': 'Work item linking',
};

export interface PullRequestSpec {
  /** Short or full ref name. */
  sourceBranch: string;
  targetBranch: string;
  title: string;
  description: string;
}

export interface PullRequestResult {
  id: number;
  /** Where a person reviews it. */
  url: string;
  created: boolean;
}
