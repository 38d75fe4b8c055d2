/**
 * SourceControl on Azure DevOps (Azure Repos Git) through azure-devops-node-api. Every call is a
 * read, so every call is retried on throttling, server errors, timeouts and dropped connections
 * (azure-devops-connection.ts), then translated into a DomainError (azure-devops-failures.ts). The
 * library resolves a 404 to null, which is how "no such project/repository/file" arrives.
 */
import { VersionControlRecursionType } from 'azure-devops-node-api/interfaces/GitInterfaces';
import { DomainError } from '../../domain/domain-error';
import type { LastCommit, SourceControl } from '../../domain/repos/source-control.port';
import type { ListFilesOptions, ProjectInfo, RepositoryInfo } from '../../domain/repos/repos.types';
import { AzureDevOpsConnection, type AzureDevOpsOptions } from './azure-devops-connection';
import { absolutePath, branchVersion, toRepositoryInfo } from './git-mapping';

/** Needs Code (Read) and Project and Team (Read). */
export type AzureDevOpsSourceControlOptions = AzureDevOpsOptions;

const PROJECTS_PAGE = 100;
const CODE_READ = 'Code (Read)';

export class AzureDevOpsSourceControl implements SourceControl {
  private readonly conn: AzureDevOpsConnection;

  /** Takes options, or a connection shared with the provisioning adapter (one discovery, one socket pool). */
  constructor(options: AzureDevOpsSourceControlOptions | AzureDevOpsConnection) {
    this.conn = options instanceof AzureDevOpsConnection ? options : new AzureDevOpsConnection(options);
  }

  async listProjects(): Promise<ProjectInfo[]> {
    const ctx = { operation: 'list projects', permission: 'Project and Team (Read)' };
    const projects: ProjectInfo[] = [];
    // The client drops the continuation header, so page with $top/$skip until a short page.
    for (let skip = 0; ; skip += PROJECTS_PAGE) {
      const page = await this.conn.call(ctx, async () => (await this.conn.core()).getProjects(undefined, PROJECTS_PAGE, skip));
      for (const p of page ?? []) projects.push({ id: p.id!, name: p.name!, ...(p.description ? { description: p.description } : {}) });
      if (!page || page.length < PROJECTS_PAGE) break;
    }
    return projects.sort(byName);
  }

  async listRepositories(project: string): Promise<RepositoryInfo[]> {
    const repos = await this.conn.call({ operation: 'list repositories', permission: CODE_READ, project }, async () => (await this.conn.git()).getRepositories(project));
    if (!repos) throw new DomainError('REPOS.PROJECT_NOT_FOUND', `Azure DevOps has no project "${project}".`, { project });
    return repos.map(toRepositoryInfo).sort(byName);
  }

  async getRepository(project: string, name: string): Promise<RepositoryInfo | null> {
    const repo = await this.conn.call({ operation: `read repository "${name}"`, permission: CODE_READ, project }, async () => (await this.conn.git()).getRepository(name, project));
    return repo ? toRepositoryInfo(repo) : null;
  }

  async readFile(project: string, repository: string, path: string, branch?: string): Promise<string | null> {
    const item = await this.conn.call({ operation: `read ${path} in "${repository}"`, permission: CODE_READ, project }, async () =>
      (await this.conn.git()).getItem(repository, absolutePath(path), project, undefined, undefined, undefined, undefined, undefined, branchVersion(branch), true),
    );
    if (!item || item.isFolder || typeof item.content !== 'string') return null;
    return item.content;
  }

  async listFiles(project: string, repository: string, options: ListFilesOptions = {}): Promise<string[]> {
    const recursion = options.recursive ? VersionControlRecursionType.Full : VersionControlRecursionType.OneLevel;
    const items = await this.conn.call({ operation: `list files in "${repository}"`, permission: CODE_READ, project }, async () =>
      (await this.conn.git()).getItems(repository, project, '/', recursion, undefined, undefined, undefined, undefined, branchVersion(options.branch)),
    );
    if (items) return items.filter((i) => !i.isFolder && i.path).map((i) => i.path!).sort();
    // 404: an empty repository or a missing branch has no files; a missing repository is an error.
    if (!(await this.getRepository(project, repository))) {
      throw new DomainError('REPOS.REPOSITORY_NOT_FOUND', `Azure DevOps has no repository "${repository}" in project "${project}".`, { project, repository });
    }
    return [];
  }

  async lastCommit(project: string, repository: string, path: string): Promise<LastCommit | null> {
    const commits = await this.conn.call({ operation: `read the history of ${path} in "${repository}"`, permission: CODE_READ, project }, async () =>
      (await this.conn.git()).getCommits(repository, { itemPath: absolutePath(path), $top: 1 }, project),
    );
    const newest = commits?.[0];
    const date = newest?.committer?.date ?? newest?.author?.date;
    if (!newest?.commitId || !date) return null;
    return { commitId: newest.commitId, date: new Date(date) };
  }
}

const byName = <T extends { name: string }>(a: T, b: T): number => a.name.localeCompare(b.name);
