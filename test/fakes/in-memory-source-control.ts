/**
 * SourceControl in memory, seeded from the demo organisation's shape. It answers as the Azure DevOps
 * adapter does against the service (the contract suite checks both): projects by id or name,
 * names case-insensitive, each seeded repository with files on `main`, one without files empty.
 */
import { createHash } from 'node:crypto';
import type { DemoProject } from '../../src/sandbox/seed/demo-org';
import { DomainError } from '../../src/domain/domain-error';
import type { LastCommit, SourceControl } from '../../src/domain/repos/source-control.port';
import { SEED_DATE } from '../../src/sandbox/standins/azure-devops/state';
import type { ListFilesOptions, ProjectInfo, RepositoryInfo } from '../../src/domain/repos/repos.types';

export interface FakeRepo {
  id: string;
  name: string;
  /** Short branch name -> (absolute path -> text). */
  branches: Map<string, Map<string, string>>;
  /** Absolute path -> the newest commit that changed it on the default branch. */
  history: Map<string, LastCommit>;
  defaultBranch?: string;
}

export interface FakeProject extends ProjectInfo {
  repos: FakeRepo[];
}

export class InMemorySourceControl implements SourceControl {
  protected readonly projects: FakeProject[];

  constructor(
    seed: DemoProject[],
    protected readonly org = 'contoso',
  ) {
    this.projects = seed.map((p) => ({
      id: p.id,
      name: p.name,
      description: p.description,
      repos: p.repositories.map((r) => {
        const files = new Map(Object.entries(r.files).map(([path, text]) => [normalize(path), text]));
        // One seed commit holding every file, made when the stand-in makes its own.
        const seed = { commitId: fakeCommitId(`${r.id} initial`), date: SEED_DATE };
        const history = new Map([...files.keys()].map((path) => [path, seed]));
        return files.size ? { id: r.id, name: r.name, branches: new Map([['main', files]]), defaultBranch: 'main', history } : { id: r.id, name: r.name, branches: new Map(), history };
      }),
    }));
  }

  /** Test helper: writes a file on a branch (creating the branch, and the default branch of an empty repository), committed at `at`. */
  putFile(project: string, repository: string, path: string, text: string, branch = 'main', at = new Date()): void {
    const repo = this.repo(project, repository);
    if (!repo) throw new Error(`No repository ${project}/${repository}`);
    const files = repo.branches.get(branch) ?? new Map<string, string>();
    files.set(normalize(path), text);
    repo.branches.set(branch, files);
    repo.defaultBranch ??= branch;
    if (branch === repo.defaultBranch) repo.history.set(normalize(path), { commitId: fakeCommitId(`${repo.id} ${path} ${at.toISOString()} ${repo.history.size}`), date: at });
  }

  async listProjects(): Promise<ProjectInfo[]> {
    return this.projects.map(({ id, name, description }) => ({ id, name, ...(description ? { description } : {}) })).sort(byName);
  }

  async listRepositories(project: string): Promise<RepositoryInfo[]> {
    const p = this.project(project);
    if (!p) throw new DomainError('REPOS.PROJECT_NOT_FOUND', `Azure DevOps has no project "${project}".`, { project });
    return p.repos.map((r) => this.info(p, r)).sort(byName);
  }

  async getRepository(project: string, name: string): Promise<RepositoryInfo | null> {
    const p = this.project(project);
    const r = p && this.repo(project, name);
    return p && r ? this.info(p, r) : null;
  }

  async readFile(project: string, repository: string, path: string, branch?: string): Promise<string | null> {
    return this.files(project, repository, branch)?.get(normalize(path)) ?? null;
  }

  async listFiles(project: string, repository: string, options: ListFilesOptions = {}): Promise<string[]> {
    if (!this.repo(project, repository)) {
      throw new DomainError('REPOS.REPOSITORY_NOT_FOUND', `Azure DevOps has no repository "${repository}" in project "${project}".`, { project, repository });
    }
    const paths = [...(this.files(project, repository, options.branch)?.keys() ?? [])];
    return paths.filter((p) => options.recursive || p.lastIndexOf('/') === 0).sort();
  }

  async lastCommit(project: string, repository: string, path: string): Promise<LastCommit | null> {
    const commit = this.repo(project, repository)?.history.get(normalize(path));
    return commit ? { ...commit } : null;
  }

  protected project(idOrName: string): FakeProject | undefined {
    const key = idOrName.toLowerCase();
    return this.projects.find((p) => p.id === key || p.name.toLowerCase() === key);
  }

  protected repo(project: string, idOrName: string): FakeRepo | undefined {
    const key = idOrName.toLowerCase();
    return this.project(project)?.repos.find((r) => r.id === key || r.name.toLowerCase() === key);
  }

  protected files(project: string, repository: string, branch?: string): Map<string, string> | undefined {
    const repo = this.repo(project, repository);
    const name = branch?.replace(/^refs\/heads\//, '') ?? repo?.defaultBranch;
    return name ? repo?.branches.get(name) : undefined;
  }

  protected info(p: FakeProject, r: FakeRepo): RepositoryInfo {
    const path = `${this.org}/${encodeURIComponent(p.name)}/_git/${encodeURIComponent(r.name)}`;
    return {
      id: r.id,
      name: r.name,
      project: p.name,
      ...(r.defaultBranch ? { defaultBranch: r.defaultBranch } : {}),
      webUrl: `https://dev.azure.com/${path}`,
      remoteUrl: `https://${this.org}@dev.azure.com/${path}`,
      isEmpty: !r.defaultBranch,
    };
  }
}

const byName = <T extends { name: string }>(a: T, b: T): number => a.name.localeCompare(b.name);

const fakeCommitId = (seed: string): string => createHash('sha1').update(seed).digest('hex');

export const normalize = (path: string): string => `/${path.split('/').filter(Boolean).join('/')}`;
