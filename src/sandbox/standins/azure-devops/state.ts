/**
 * Everything the Azure DevOps stand-in holds, in memory: projects, Git repositories, pull requests,
 * policy configurations, build definitions and builds, environments with their checks, and
 * variable groups. Seeded from the demo organisation: each
 * seeded repository with files gets a `main` branch with one commit holding them (a seeded
 * repository with no files stays empty, like a freshly created one).
 */
import { randomUUID } from 'node:crypto';
import type { DemoProject } from '../../seed/demo-org';
import { AdoError, projectNotFound, repositoryNotFound } from './errors';
import { memberIdFor, type EntitlementRecord, type EntitlementSeed, type OrgPrincipal } from './entitlement-state';
import { GitRepoStore, type GitUserDate } from './git-store';

export const STANDIN_USER = {
  id: '5e7a0d1e-0000-4000-8000-000000000ad0',
  displayName: 'Azure DevOps Stand-in',
  uniqueName: 'standin@contoso.example',
};
const GIT_USER: GitUserDate = { name: STANDIN_USER.displayName, email: STANDIN_USER.uniqueName, date: '' };
/** When the seeded repositories' first commit was made (their files' last change, for the catalog health). */
export const SEED_DATE = new Date('2024-01-01T09:00:00Z');

export interface ProjectRecord {
  id: string;
  name: string;
  description: string;
  lastUpdateTime: string;
}

export interface RepoRecord {
  id: string;
  name: string;
  projectId: string;
  git: GitRepoStore;
}

export type PullRequestStatus = 'active' | 'abandoned' | 'completed';

export interface PullRequestRecord {
  pullRequestId: number;
  repositoryId: string;
  title: string;
  description: string;
  sourceRefName: string;
  targetRefName: string;
  status: PullRequestStatus;
  isDraft: boolean;
  creationDate: string;
  sourceCommitId: string;
  targetCommitId: string;
  reviewers: { id: string; vote: number; isRequired: boolean }[];
  /** Who opened it (default: the stand-in's own user, whom every API call is made as). */
  createdBy?: AdoIdentity;
  /** Completed or abandoned: when, and by whom. */
  closedDate?: string;
  closedBy?: AdoIdentity;
}

/** A person as pull requests name them (IdentityRef). */
export interface AdoIdentity {
  id: string;
  displayName: string;
  uniqueName: string;
}

export interface PolicyRecord {
  id: number;
  revision: number;
  projectId: string;
  typeId: string;
  isEnabled: boolean;
  isBlocking: boolean;
  settings: Record<string, unknown>;
  createdDate: string;
}

export interface DefinitionRecord {
  id: number;
  revision: number;
  projectId: string;
  name: string;
  path: string;
  repositoryId: string;
  defaultBranch: string;
  yamlFilename?: string;
  processType: number;
  createdDate: string;
  variables: Record<string, unknown>;
}

export interface BuildRecord {
  id: number;
  definitionId: number;
  projectId: string;
  buildNumber: string;
  sourceBranch: string;
  sourceVersion: string;
  status: 'notStarted' | 'inProgress' | 'completed';
  reason: string;
  queueTime: string;
}

export interface EnvironmentRecord {
  id: number;
  projectId: string;
  name: string;
  description: string;
  createdOn: string;
}

/** A check configuration (Approvals and checks) on a protected resource, e.g. an environment. */
export interface CheckRecord {
  id: number;
  projectId: string;
  typeId: string;
  typeName: string;
  resource: { type: string; id: string };
  settings: Record<string, unknown>;
  timeout: number;
  createdOn: string;
}

/**
 * A variable as the service keeps it. A secret variable's value is write-only on the service; the
 * stand-in keeps only its SHA-256 (a test can check what was sent, nothing can read it back).
 * A Key Vault-linked group's variables hold no value at all (`enabled`/`contentType` from the vault).
 */
export interface VariableRecord {
  value?: string;
  isSecret?: boolean;
  valueSha256?: string;
  enabled?: boolean;
  contentType?: string;
}

/** A service connection (service endpoint), shared with projects; found by name per project. */
export interface ServiceEndpointRecord {
  id: string;
  name: string;
  /** e.g. `azurerm` (what a Key Vault-linked variable group needs). */
  type: string;
  url: string;
  projectIds: string[];
}

export interface VariableGroupRecord {
  id: number;
  name: string;
  description: string;
  /** `Vsts` (plain) or `AzureKeyVault` (linked; `providerData` names the service connection and vault). */
  type: string;
  providerData?: { serviceEndpointId: string; vault: string };
  variables: Record<string, VariableRecord>;
  /** The projects it is shared with. */
  projectIds: string[];
  createdOn: string;
}

export interface ServiceEndpointSeed {
  name: string;
  id?: string;
  type?: string;
  url?: string;
  /** Shared with these projects (names); default every seeded project. */
  projects?: string[];
}

export class AdoState {
  readonly projects: ProjectRecord[] = [];
  readonly repos: RepoRecord[] = [];
  readonly pullRequests: PullRequestRecord[] = [];
  readonly policies: PolicyRecord[] = [];
  readonly definitions: DefinitionRecord[] = [];
  readonly builds: BuildRecord[] = [];
  readonly environments: EnvironmentRecord[] = [];
  readonly checks: CheckRecord[] = [];
  readonly variableGroups: VariableGroupRecord[] = [];
  readonly serviceEndpoints: ServiceEndpointRecord[] = [];
  /** User entitlements (the `vsaex` host): who is in the organisation, with which access level and project groups. */
  readonly entitlements: EntitlementRecord[] = [];
  /** The last integer id given per kind (kept with the rest when the state is saved). */
  readonly sequences = new Map<string, number>();

  constructor(
    readonly org: string,
    seed: DemoProject[],
    /** Who the organisation's directory resolves (not saved: the directory is the seed's). */
    readonly principals: OrgPrincipal[] = [],
    entitlements: EntitlementSeed[] = [],
    serviceEndpoints: ServiceEndpointSeed[] = [],
  ) {
    for (const p of seed) {
      const project = { id: p.id.toLowerCase(), name: p.name, description: p.description, lastUpdateTime: SEED_DATE.toISOString() };
      this.projects.push(project);
      for (const r of p.repositories) {
        const repo = this.createRepo(project, r.name, r.id);
        const changes = Object.entries(r.files).map(([path, text]) => ({ changeType: 'add' as const, path, content: Buffer.from(text, 'utf8') }));
        if (changes.length) repo.git.push('refs/heads/main', '0'.repeat(40), [{ comment: 'Initial commit', changes }], SEED_DATE);
      }
    }
    for (const e of serviceEndpoints) {
      const projects = e.projects ?? this.projects.map((p) => p.name);
      this.serviceEndpoints.push({ id: e.id ?? randomUUID(), name: e.name, type: e.type ?? 'azurerm', url: e.url ?? 'https://management.azure.com/', projectIds: projects.map((p) => this.requireProject(p).id) });
    }
    for (const e of entitlements) {
      const principal = principals.find((p) => p.principalName.toLowerCase() === e.principalName.toLowerCase());
      if (!principal) throw new Error(`Seeded entitlement of ${e.principalName}, who is not in the directory`);
      this.entitlements.push({
        id: memberIdFor(principal.originId),
        principalName: principal.principalName,
        displayName: principal.displayName,
        originId: principal.originId,
        accountLicenseType: e.accountLicenseType,
        dateCreated: SEED_DATE.toISOString(),
        groups: e.groups.map((g) => ({ projectId: this.requireProject(g.project).id, groupType: g.groupType })),
      });
    }
  }

  /** Integer ids (pull requests, policies, definitions, builds, environments, checks, variable groups) are never reused, even after a delete. */
  nextId(kind: 'pullRequest' | 'policy' | 'definition' | 'build' | 'environment' | 'check' | 'variableGroup'): number {
    const id = (this.sequences.get(kind) ?? 0) + 1;
    this.sequences.set(kind, id);
    return id;
  }

  /** By id or (case-insensitive) name, as the service accepts either in `{project}`. */
  project(idOrName: string): ProjectRecord | undefined {
    const key = idOrName.toLowerCase();
    return this.projects.find((p) => p.id === key || p.name.toLowerCase() === key);
  }

  requireProject(idOrName: string): ProjectRecord {
    const project = this.project(idOrName);
    if (!project) throw projectNotFound(idOrName);
    return project;
  }

  /** By id anywhere (within `project` when given), by name only within a project. */
  repo(idOrName: string, project?: ProjectRecord): RepoRecord | undefined {
    const key = idOrName.toLowerCase();
    return this.repos.find(
      (r) => (!project || r.projectId === project.id) && (r.id === key || (project !== undefined && r.name.toLowerCase() === key)),
    );
  }

  requireRepo(idOrName: string, project?: ProjectRecord): RepoRecord {
    const repo = this.repo(idOrName, project);
    if (!repo) throw repositoryNotFound(idOrName);
    return repo;
  }

  createRepo(project: ProjectRecord, name: string, id: string = randomUUID()): RepoRecord {
    if (!/^[^\\/:*?"<>|;#$%{}`+=[\]]+$/.test(name) || name.startsWith('.') || name.startsWith('_')) {
      throw new AdoError(400, 'InvalidArgumentValueException', `The repository name '${name}' is not valid.`);
    }
    if (this.repos.some((r) => r.projectId === project.id && r.name.toLowerCase() === name.toLowerCase())) {
      throw new AdoError(409, 'GitRepositoryNameAlreadyExistsException', `TF400948: A Git repository with the name ${name} already exists.`);
    }
    const repo: RepoRecord = { id: id.toLowerCase(), name, projectId: project.id, git: new GitRepoStore(GIT_USER) };
    this.repos.push(repo);
    return repo;
  }

  /** Its pull requests go with it, as on the service; definitions that build it stay (and break). */
  deleteRepo(repo: RepoRecord): void {
    this.repos.splice(this.repos.indexOf(repo), 1);
    for (let i = this.pullRequests.length - 1; i >= 0; i--) if (this.pullRequests[i].repositoryId === repo.id) this.pullRequests.splice(i, 1);
  }

  projectOf(repo: RepoRecord): ProjectRecord {
    return this.projects.find((p) => p.id === repo.projectId)!;
  }

  /** What a test or a person checks: the whole state as plain JSON (file contents as UTF-8 text). */
  snapshot(): unknown {
    return {
      org: this.org,
      projects: this.projects.map(({ id, name, description }) => ({ id, name, description })),
      repositories: this.repos.map((r) => ({
        id: r.id,
        name: r.name,
        project: this.projectOf(r).name,
        defaultBranch: r.git.defaultBranch ?? null,
        refs: Object.fromEntries(r.git.refs),
        files: Object.fromEntries(
          [...r.git.refs]
            .filter(([name]) => name.startsWith('refs/heads/'))
            .map(([name, id]) => [name.slice('refs/heads/'.length), Object.fromEntries([...r.git.commits.get(id)!.files].map(([p, c]) => [p, c.toString('utf8')]))]),
        ),
        commits: [...r.git.commits.values()].map((c) => ({ commitId: c.commitId, parents: c.parents, comment: c.comment, changes: c.changes, pushId: c.pushId })),
        pushes: r.git.pushes,
      })),
      pullRequests: this.pullRequests,
      policies: this.policies,
      definitions: this.definitions,
      builds: this.builds,
      environments: this.environments.map((e) => ({ ...e, project: this.projects.find((p) => p.id === e.projectId)?.name })),
      checks: this.checks,
      // Secret values never leave the stand-in, not even in the snapshot.
      variableGroups: this.variableGroups.map((g) => ({
        ...g,
        variables: Object.fromEntries(Object.entries(g.variables).map(([k, v]) => [k, v.isSecret ? { isSecret: true, ...(v.enabled !== undefined ? { enabled: v.enabled } : {}) } : v])),
      })),
      serviceEndpoints: this.serviceEndpoints,
      entitlements: this.entitlements.map((e) => ({
        id: e.id,
        principalName: e.principalName,
        accessLevel: e.accountLicenseType,
        groups: e.groups.map((g) => ({ project: this.projects.find((p) => p.id === g.projectId)?.name ?? g.projectId, group: g.groupType })),
      })),
    };
  }
}
