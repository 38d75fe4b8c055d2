/**
 * What the Git writes need to read first: where a branch points, and which requested files a
 * commit already holds. Files are compared by Git blob id (SHA-1 of "blob <size>\0<bytes>"), which
 * the items listing returns for every file, so one request answers for the whole tree.
 */
import { createHash } from 'node:crypto';
import {
  GitVersionType,
  ItemContentType,
  VersionControlChangeType,
  VersionControlRecursionType,
  type GitChange,
} from 'azure-devops-node-api/interfaces/GitInterfaces';
import { DomainError } from '../../domain/domain-error';
import type { FileToCommit } from '../../domain/repos/repository-provisioning.port';
import type { AzureDevOpsConnection } from './azure-devops-connection';
import { absolutePath, fullBranch } from './git-mapping';

export const CODE_READ = 'Code (Read)';
export const CODE_WRITE = 'Code (Read & write)';

const blobId = (content: string): string => {
  const bytes = Buffer.from(content, 'utf8');
  return createHash('sha1').update(Buffer.concat([Buffer.from(`blob ${bytes.length}\0`), bytes])).digest('hex');
};

/** Requested files by absolute path (a later duplicate wins). */
export const byPath = (files: FileToCommit[]): Map<string, string> => new Map(files.map((f) => [absolutePath(f.path), f.content]));

export const projectNotFound = (project: string): DomainError => new DomainError('REPOS.PROJECT_NOT_FOUND', `Azure DevOps has no project "${project}".`, { project });

export const repositoryNotFound = (project: string, repository: string): DomainError =>
  new DomainError('REPOS.REPOSITORY_NOT_FOUND', `Azure DevOps has no repository "${repository}" in project "${project}".`, { project, repository });

export const branchNotFound = (project: string, repository: string, branch: string): DomainError =>
  new DomainError('REPOS.BRANCH_NOT_FOUND', `The repository "${repository}" in project "${project}" has no branch "${branch}".`, { project, repository, branch });

/** The commit the branch points at; undefined when the branch does not exist; REPOS.REPOSITORY_NOT_FOUND when the repository does not. */
export async function branchHead(conn: AzureDevOpsConnection, project: string, repoId: string, branch: string): Promise<string | undefined> {
  const ref = fullBranch(branch);
  const refs = await conn.call({ operation: `read branch "${branch}"`, permission: CODE_READ, project }, async () =>
    // `filter` is a prefix ("heads/main" also matches "heads/main-old"): pick the exact name.
    (await conn.git()).getRefs(repoId, project, ref.slice('refs/'.length)),
  );
  if (!refs) throw repositoryNotFound(project, repoId);
  return refs.find((r) => r.name === ref)?.objectId;
}

export interface TreeDiff {
  /** Requested paths the commit lacks or holds with other content. */
  differing: string[];
  /** Requested paths the commit has (so a change to them is an edit). */
  existing: Set<string>;
}

export async function diffTree(conn: AzureDevOpsConnection, project: string, repoId: string, commitId: string, wanted: Map<string, string>): Promise<TreeDiff> {
  const items = await conn.call({ operation: 'list files', permission: CODE_READ, project }, async () =>
    (await conn.git()).getItems(repoId, project, '/', VersionControlRecursionType.Full, undefined, undefined, undefined, undefined, {
      version: commitId,
      versionType: GitVersionType.Commit,
    }),
  );
  const present = new Map((items ?? []).filter((i) => !i.isFolder && i.path).map((i) => [i.path!, i.objectId]));
  return {
    differing: [...wanted].filter(([path, content]) => present.get(path) !== blobId(content)).map(([path]) => path),
    existing: new Set([...wanted.keys()].filter((path) => present.has(path))),
  };
}

/** Add for a new path, edit for an existing one; raw text keeps the request log readable. */
export function changes(wanted: Map<string, string>, paths: string[], existing: Set<string>): GitChange[] {
  return paths.map((path) => ({
    changeType: existing.has(path) ? VersionControlChangeType.Edit : VersionControlChangeType.Add,
    item: { path },
    newContent: { content: wanted.get(path)!, contentType: ItemContentType.RawText },
  }));
}
