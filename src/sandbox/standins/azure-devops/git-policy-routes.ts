/**
 * GET {project}/_apis/git/policy/configurations: the policy configurations that *apply* to a
 * repository and branch, as the service documents the filters:
 *   repositoryId + refName   every configuration applying to that branch of that repository
 *                            (repository-wide and project-wide ones included, prefixes matched)
 *   repositoryId only        every configuration applying to the repository
 *   refName only             project-level configurations for that branch, plus project-wide ones
 *   neither                  the configurations defined at project level
 * `policyType` narrows to one type. Paged: `$top`, and `continuationToken` is the configuration id
 * to start after; the next one comes back in the `x-ms-continuationtoken` header.
 */
import { listOf, queryParam, type AdoRouter } from './router';
import type { AdoShapes } from './shapes';
import type { AdoState, PolicyRecord } from './state';
import { POLICY_TYPES } from './policy-routes';

interface ScopeEntry {
  repositoryId?: string | null;
  refName?: string;
  matchKind?: string;
}

export function registerGitPolicyRoutes(router: AdoRouter, state: AdoState, shapes: AdoShapes): void {
  router.add('GET', '/:project/_apis/git/policy/configurations', (req, { project }) => {
    const policyType = queryParam(req, 'policyType')?.toLowerCase();
    const repositoryId = queryParam(req, 'repositoryId')?.toLowerCase();
    const refName = queryParam(req, 'refName') || undefined;
    const defaultBranch = repositoryId ? state.repo(repositoryId, project)?.git.defaultBranch : undefined;
    const after = Number(queryParam(req, 'continuationToken') ?? 0) || 0;
    const top = Number(queryParam(req, '$top') ?? 0) || undefined;

    const found = state.policies
      .filter((p) => p.projectId === project!.id && (!policyType || p.typeId === policyType) && p.id > after)
      .filter((p) => applies(p, repositoryId, refName, defaultBranch))
      .sort((a, b) => a.id - b.id);
    const pageItems = top ? found.slice(0, top) : found;
    const response = listOf(pageItems.map((p) => shapes.policy(p, POLICY_TYPES.find((t) => t.id === p.typeId)!)));
    if (top && found.length > top) response.headers = { 'x-ms-continuationtoken': String(pageItems[pageItems.length - 1].id) };
    return response;
  });
}

function applies(policy: PolicyRecord, repositoryId: string | undefined, refName: string | undefined, defaultBranch: string | undefined): boolean {
  const scope = (policy.settings.scope ?? [{}]) as ScopeEntry[];
  return scope.some((s) => {
    const entryRepo = s.repositoryId?.toLowerCase();
    if (!repositoryId && entryRepo) return false; // only project-level definitions
    if (repositoryId && entryRepo && entryRepo !== repositoryId) return false;
    if (!refName) return true;
    const kind = String(s.matchKind ?? 'exact').toLowerCase();
    if (kind === 'defaultbranch') return refName === defaultBranch;
    if (!s.refName) return true; // repository-wide
    return kind === 'prefix' ? refName.startsWith(s.refName) : refName === s.refName;
  });
}
