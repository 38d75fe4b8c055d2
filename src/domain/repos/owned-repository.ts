/**
 * The repository a create-repo job owns, as its later steps need it. The job stores the id its
 * first step got; by a Retry (or a resume) that repository may have been deleted by hand. A stale
 * id would fail every later step forever, so each one checks it first: the job's own repository
 * is made again with its first commit (the first step only succeeds for a repository it created,
 * or an empty one it filled), and a different repository that took the name meanwhile is never
 * touched: that fails with REPOS.REPOSITORY_REPLACED, saying what to do.
 */
import { DomainError } from '../domain-error';
import type { FileToCommit, RepositoryProvisioning } from './repository-provisioning.port';

export interface OwnedRepository {
  repositoryId: string;
  webUrl: string;
  remoteUrl: string;
}

export interface OwnedRepositoryRequest {
  project: string;
  name: string;
  branch: string;
  /** The first commit, for the repository found or made (the skeleton names its URL). */
  firstCommit(repo: OwnedRepository): { files: FileToCommit[]; message: string };
}

/** `stored` when it still exists; else the repository re-made (`recreated`), or a DomainError. */
export async function liveOwnedRepository(
  provisioning: RepositoryProvisioning,
  stored: OwnedRepository,
  request: OwnedRepositoryRequest,
): Promise<OwnedRepository & { recreated: boolean }> {
  const { project, name, branch } = request;
  if (await provisioning.findRepository(project, stored.repositoryId)) return { ...stored, recreated: false };

  // Parallel steps may both get here: both ensures are safe (a 409 finds the other's result).
  const { repository } = await provisioning.ensureRepository(project, name);
  const repo = { repositoryId: repository.id, webUrl: repository.webUrl, remoteUrl: repository.remoteUrl };
  const { files, message } = request.firstCommit(repo);
  const commit = await provisioning.ensureInitialCommit(project, repo.repositoryId, branch, files, message);
  if (!commit.created && commit.differingPaths.length) {
    throw new DomainError(
      'REPOS.REPOSITORY_REPLACED',
      `${project}/${name} (${stored.repositoryId}) was replaced by ${repo.repositoryId}, whose ${commit.differingPaths.length} files differ`,
      { project, name, vanishedRepositoryId: stored.repositoryId, repositoryId: repo.repositoryId, differing: commit.differingPaths.length },
    );
  }
  return { ...repo, recreated: true };
}
