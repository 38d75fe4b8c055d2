/** What the portal needs to know about source control, in its own words (no SDK types). */

export interface ProjectInfo {
  id: string;
  name: string;
  description?: string;
}

export interface RepositoryInfo {
  id: string;
  name: string;
  /** Name of the project that holds the repository. */
  project: string;
  /** Short branch name ("main"), absent while the repository has no commits. */
  defaultBranch?: string;
  /** Where a person browses the repository. */
  webUrl: string;
  /** What `git clone` takes. */
  remoteUrl: string;
  /** True when the repository has no commits yet. */
  isEmpty?: boolean;
}

export interface ListFilesOptions {
  /** Short ("main") or full ("refs/heads/main") branch name; default: the repository's default branch. */
  branch?: string;
  /** Include files below the root; default false (root files only). */
  recursive?: boolean;
}
