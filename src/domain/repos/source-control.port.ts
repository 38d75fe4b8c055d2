import type { ListFilesOptions, ProjectInfo, RepositoryInfo } from './repos.types';

/**
 * Read access to source control, what catalog ingestion needs (e.g. `catalog-info.yaml` at a
 * repository root). Paths are absolute within the repository ("/catalog-info.yaml"); a path
 * without the leading slash means the same file.
 *
 * Errors: `REPOS.PROJECT_NOT_FOUND` (listRepositories), `REPOS.REPOSITORY_NOT_FOUND` (listFiles),
 * and `UPSTREAM.FORBIDDEN` / `UPSTREAM.THROTTLED` / `UPSTREAM.UNAVAILABLE` / `UPSTREAM.FAILED`
 * when the service refuses or cannot answer.
 */
export interface SourceControl {
  /** Every project the credentials can see, sorted by name. */
  listProjects(): Promise<ProjectInfo[]>;
  /** The project's repositories, sorted by name. */
  listRepositories(project: string): Promise<RepositoryInfo[]>;
  /** Null when the project or the repository does not exist. */
  getRepository(project: string, name: string): Promise<RepositoryInfo | null>;
  /** The file's text; null when the repository, branch or file does not exist, or the path is a folder. */
  readFile(project: string, repository: string, path: string, branch?: string): Promise<string | null>;
  /** File paths (no folders), sorted; [] for an empty repository or a missing branch. */
  listFiles(project: string, repository: string, options?: ListFilesOptions): Promise<string[]>;
  /**
   * The newest commit on the default branch that changed the file (its committer date); null when
   * the project, repository or file is unknown, the repository is empty, or the file has no history.
   */
  lastCommit(project: string, repository: string, path: string): Promise<LastCommit | null>;
}

export interface LastCommit {
  commitId: string;
  date: Date;
}
