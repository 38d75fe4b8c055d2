/** The first commit of a new repository, from the request and the settings (preview and job alike). */
import type { FileToCommit } from './repository-provisioning.port';
import type { RepoRequest } from './repo-request';
import { organisationOf, type RepoSettings } from './repo-settings';
import { generateSkeleton } from './skeleton/generate-skeleton';
import type { SkeletonOwner } from './skeleton/skeleton.types';

export interface SkeletonInput {
  request: RepoRequest;
  owner: SkeletonOwner;
  settings: Pick<RepoSettings, 'orgUrl' | 'registry' | 'variableGroupPrefix' | 'defaultBranch'>;
  repoUrl: string;
}

/** Absolute paths ("/README.md"), as the provisioning port takes them. */
export function skeletonFiles({ request, owner, settings, repoUrl }: SkeletonInput): FileToCommit[] {
  const files = generateSkeleton(request, {
    owner,
    org: organisationOf(settings.orgUrl),
    links: { repoUrl },
    pipeline: {
      registry: settings.registry,
      defaultBranch: settings.defaultBranch,
      ...(settings.variableGroupPrefix !== undefined ? { variableGroupPrefix: settings.variableGroupPrefix } : {}),
    },
  });
  return files.map((f) => ({ path: `/${f.path}`, content: f.content }));
}
