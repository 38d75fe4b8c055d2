/**
 * What "create repo" and "add pipeline" are configured with (src/config.ts builds it): the naming
 * convention, the branch policies, where images go, and which Azure DevOps organisation and
 * projects the bot works in.
 */
import type { ContainerRegistry } from '../pipelines/pipelines.types';
import type { NamingRules } from './repo-naming';

export interface RepoSettings {
  naming: NamingRules;
  /** Approvals a pull request needs on the default branch; the author's own vote never counts. */
  minimumReviewers: number;
  /** Branch of the first commit and of the branch policies. */
  defaultBranch: string;
  /** Organisation URL, e.g. https://dev.azure.com/contoso (links in previews). */
  orgUrl: string;
  /** Projects the bot may create repositories in (case-insensitive); empty: every project it can see. */
  projects: readonly string[];
  registry: ContainerRegistry;
  variableGroupPrefix?: string;
  /** Directory groups whose members may act for any team. */
  platformGroups: readonly string[];
  /** A preview can be confirmed for this long. */
  requestTtlMs: number;
}

/** `https://dev.azure.com/contoso` -> `contoso`; `https://contoso.visualstudio.com` -> `contoso`. */
export function organisationOf(orgUrl: string): string {
  const url = new URL(orgUrl);
  const segment = url.pathname.split('/').filter(Boolean).pop();
  const name = segment ?? url.hostname.split('.')[0] ?? 'org';
  // The skeleton validates the organisation name: keep what a name may hold.
  return decodeURIComponent(name).replace(/[^A-Za-z0-9-]/g, '-').replace(/^-+|-+$/g, '') || 'org';
}

/** Where a person browses a repository before it exists (preview) or when the service did not say. */
export const repositoryWebUrl = (orgUrl: string, project: string, name: string): string =>
  `${orgUrl.replace(/\/+$/, '')}/${encodeURIComponent(project)}/_git/${encodeURIComponent(name)}`;
