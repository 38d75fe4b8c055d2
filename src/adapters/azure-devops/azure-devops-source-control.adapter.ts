/**
 * SourceControl on Azure DevOps (Azure Repos Git) through azure-devops-node-api. Every call is a
 * read, so every call is retried on throttling, server errors, timeouts and dropped connections
 * (retry.ts), then translated into a DomainError (azure-devops-failures.ts). The library resolves
 * a 404 to null, which is how "no such project/repository/file" arrives.
 */
import { WebApi, getPersonalAccessTokenHandler } from 'azure-devops-node-api';
import type { ICoreApi } from 'azure-devops-node-api/CoreApi';
import type { IGitApi } from 'azure-devops-node-api/GitApi';
import { GitVersionType, VersionControlRecursionType, type GitRepository, type GitVersionDescriptor } from 'azure-devops-node-api/interfaces/GitInterfaces';
import { DomainError } from '../../domain/shared/domain-error';
import type { SourceControl } from '../../domain/repos/source-control.port';
import type { ListFilesOptions, ProjectInfo, RepositoryInfo } from '../../domain/repos/repos.types';
import { retryDecision, toDomainError, type CallContext } from './azure-devops-failures';
import { DEFAULT_RETRY_POLICY, withRetry, type RetryPolicy } from './retry';

export interface AzureDevOpsSourceControlOptions {
  /** The organisation (collection) URL, e.g. https://dev.azure.com/contoso. */
  orgUrl: string;
  /** A PAT (or other token the PAT handler accepts) with Code (Read) and Project and Team (Read). */
  token: string;
  retry?: Partial<RetryPolicy>;
  /** Per-request socket timeout; a stalled request counts as a transient failure. */
  requestTimeoutMs?: number;
}

const PROJECTS_PAGE = 100;
const CODE_READ = 'Code (Read)';

export class AzureDevOpsSourceControl implements SourceControl {
  private readonly connection: WebApi;
  private readonly policy: RetryPolicy;
  private gitApi?: Promise<IGitApi>;
  private coreApi?: Promise<ICoreApi>;

  constructor(options: AzureDevOpsSourceControlOptions) {
    this.connection = new WebApi(options.orgUrl.replace(/\/+$/, ''), getPersonalAccessTokenHandler(options.token), {
      socketTimeout: options.requestTimeoutMs ?? 30_000,
    });
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  }

  async listProjects(): Promise<ProjectInfo[]> {
    const ctx = { operation: 'list projects', permission: 'Project and Team (Read)' };
    const projects: ProjectInfo[] = [];
    // The client drops the continuation header, so page with $top/$skip until a short page.
    for (let skip = 0; ; skip += PROJECTS_PAGE) {
      const page = await this.call(ctx, async () => (await this.core()).getProjects(undefined, PROJECTS_PAGE, skip));
      for (const p of page ?? []) projects.push({ id: p.id!, name: p.name!, ...(p.description ? { description: p.description } : {}) });
      if (!page || page.length < PROJECTS_PAGE) break;
    }
    return projects.sort(byName);
  }

  async listRepositories(project: string): Promise<RepositoryInfo[]> {
    const repos = await this.call({ operation: 'list repositories', permission: CODE_READ, project }, async () => (await this.git()).getRepositories(project));
    if (!repos) throw new DomainError('REPOS.PROJECT_NOT_FOUND', `Azure DevOps has no project "${project}".`, { project });
    return repos.map(toRepositoryInfo).sort(byName);
  }

  async getRepository(project: string, name: string): Promise<RepositoryInfo | null> {
    const repo = await this.call({ operation: `read repository "${name}"`, permission: CODE_READ, project }, async () => (await this.git()).getRepository(name, project));
    return repo ? toRepositoryInfo(repo) : null;
  }

  async readFile(project: string, repository: string, path: string, branch?: string): Promise<string | null> {
    const item = await this.call({ operation: `read ${path} in "${repository}"`, permission: CODE_READ, project }, async () =>
      (await this.git()).getItem(repository, absolute(path), project, undefined, undefined, undefined, undefined, undefined, version(branch), true),
    );
    if (!item || item.isFolder || typeof item.content !== 'string') return null;
    return item.content;
  }

  async listFiles(project: string, repository: string, options: ListFilesOptions = {}): Promise<string[]> {
    const recursion = options.recursive ? VersionControlRecursionType.Full : VersionControlRecursionType.OneLevel;
    const items = await this.call({ operation: `list files in "${repository}"`, permission: CODE_READ, project }, async () =>
      (await this.git()).getItems(repository, project, '/', recursion, undefined, undefined, undefined, undefined, version(options.branch)),
    );
    if (items) return items.filter((i) => !i.isFolder && i.path).map((i) => i.path!).sort();
    // 404: an empty repository or a missing branch has no files; a missing repository is an error.
    if (!(await this.getRepository(project, repository))) {
      throw new DomainError('REPOS.REPOSITORY_NOT_FOUND', `Azure DevOps has no repository "${repository}" in project "${project}".`, { project, repository });
    }
    return [];
  }

  private call<T>(ctx: CallContext, operation: () => Promise<T>): Promise<T> {
    return withRetry(operation, this.policy, retryDecision).catch((e: unknown) => {
      throw toDomainError(e, ctx);
    });
  }

  // The clients are built once (the library discovers resource areas first); a failed build is retried next time.
  private git(): Promise<IGitApi> {
    this.gitApi ??= this.connection.getGitApi().catch((e: unknown) => {
      this.gitApi = undefined;
      throw e;
    });
    return this.gitApi;
  }

  private core(): Promise<ICoreApi> {
    this.coreApi ??= this.connection.getCoreApi().catch((e: unknown) => {
      this.coreApi = undefined;
      throw e;
    });
    return this.coreApi;
  }
}

const byName = <T extends { name: string }>(a: T, b: T): number => a.name.localeCompare(b.name);

const absolute = (path: string): string => (path.startsWith('/') ? path : `/${path}`);

const shortBranch = (ref: string): string => ref.replace(/^refs\/heads\//, '');

function version(branch: string | undefined): GitVersionDescriptor | undefined {
  return branch ? { version: shortBranch(branch), versionType: GitVersionType.Branch } : undefined;
}

function toRepositoryInfo(repo: GitRepository): RepositoryInfo {
  // The service omits defaultBranch and reports size 0 until the first push.
  const isEmpty = !repo.defaultBranch || repo.size === 0;
  return {
    id: repo.id!,
    name: repo.name!,
    project: repo.project?.name ?? '',
    ...(repo.defaultBranch ? { defaultBranch: shortBranch(repo.defaultBranch) } : {}),
    webUrl: repo.webUrl ?? '',
    remoteUrl: repo.remoteUrl ?? '',
    isEmpty,
  };
}
