/** Azure Repos Git shapes in the portal's words, shared by the read and write adapters. */
import { GitVersionType, type GitRepository, type GitVersionDescriptor } from 'azure-devops-node-api/interfaces/GitInterfaces';
import type { RepositoryInfo } from '../../domain/repos/repos.types';

export const ZERO_OBJECT_ID = '0'.repeat(40);

export const absolutePath = (path: string): string => `/${path.split('/').filter(Boolean).join('/')}`;

export const shortBranch = (ref: string): string => ref.replace(/^refs\/heads\//, '');

export const fullBranch = (name: string): string => (name.startsWith('refs/') ? name : `refs/heads/${name}`);

export function branchVersion(branch: string | undefined): GitVersionDescriptor | undefined {
  return branch ? { version: shortBranch(branch), versionType: GitVersionType.Branch } : undefined;
}

export function toRepositoryInfo(repo: GitRepository): RepositoryInfo {
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
