/**
 * Policy area: the built-in policy types (their real, fixed GUIDs) and policy configurations per
 * project. Listing filters by `policyType` and, for raw REST callers, by `repositoryId` / `refName`
 * against each configuration's `settings.scope` (the service's documented filter for that is
 * `_apis/git/policy/configurations`, in git-policy-routes.ts). Creating validates what the service
 * does for the golden-path types: a positive reviewer count, and a build policy's pipeline exists.
 */
import { json, type StandInRequest } from '../standin-server';
import { AdoError, badRequest } from './errors';
import { bodyObject, listOf, page, queryParam, type AdoRouter } from './router';
import type { AdoShapes, PolicyTypeInfo } from './shapes';
import type { AdoState, PolicyRecord, ProjectRecord } from './state';

export const POLICY_TYPES: PolicyTypeInfo[] = [
  { id: 'fa4e907d-c16b-4a4c-9dfa-4906e5d171dd', displayName: 'Minimum number of reviewers', description: 'This policy will ensure that a minimum number of reviewers have approved a pull request before completion.' },
  { id: '0609b952-1397-4640-95ec-e00a01b2c241', displayName: 'Build', description: 'This policy will require a successful build has been performed before updating protected refs.' },
  { id: '40e92b44-2fe1-4dd6-b3d8-74a9c21d0c6e', displayName: 'Work item linking', description: 'This policy encourages developers to link commits to work items.' },
  { id: 'c6a1889d-b943-4856-b76f-9e46bb6b0df2', displayName: 'Comment requirements', description: 'Check if the pull request has any active comments' },
  { id: 'fa4e907d-c16b-4a4c-9dfa-4916e5d171ab', displayName: 'Require a merge strategy', description: 'This policy ensures that pull requests use a consistent merge strategy.' },
  { id: 'fd2167ab-b0be-447a-8ec8-39368250530e', displayName: 'Required reviewers', description: 'This policy will ensure that required reviewers are added for modified files matching specified patterns.' },
  { id: 'cbdc66da-9728-4af8-aada-9a5a32e4a226', displayName: 'Status', description: 'This policy will require a successful status to be posted before updating protected refs.' },
  { id: '2e26e725-8201-4edd-8bf5-978563c34a80', displayName: 'File size restriction', description: 'This policy will reject pushes to a repository for files which exceed a certain size.' },
];

interface ScopeEntry {
  repositoryId?: string | null;
  refName?: string;
  matchKind?: string;
}

export function registerPolicyRoutes(router: AdoRouter, state: AdoState, shapes: AdoShapes): void {
  const typeOf = (id: unknown) => POLICY_TYPES.find((t) => t.id === String(id).toLowerCase());
  const find = (project: ProjectRecord, id: string): PolicyRecord => {
    const policy = state.policies.find((p) => p.projectId === project.id && p.id === Number(id));
    if (!policy) throw new AdoError(404, 'PolicyConfigurationNotFoundException', `The policy configuration ${id} does not exist.`);
    return policy;
  };
  const shape = (p: PolicyRecord) => shapes.policy(p, typeOf(p.typeId)!);

  /** Validates a configuration body: a known type, booleans, and a scope naming repositories of this project. */
  const read = (req: StandInRequest, project: ProjectRecord) => {
    const body = bodyObject(req);
    const type = typeOf((body.type as { id?: unknown } | undefined)?.id);
    if (!type) throw badRequest(`The policy type '${String((body.type as { id?: unknown } | undefined)?.id)}' does not exist.`);
    if (typeof body.isEnabled !== 'boolean' || typeof body.isBlocking !== 'boolean') throw badRequest('isEnabled and isBlocking are required booleans.');
    const settings = (body.settings ?? {}) as Record<string, unknown>;
    if (typeof settings !== 'object' || Array.isArray(settings)) throw badRequest('settings must be an object.');
    if (settings.scope !== undefined) {
      if (!Array.isArray(settings.scope)) throw badRequest('settings.scope must be a list.');
      for (const s of settings.scope as ScopeEntry[]) {
        if (s.repositoryId && !state.repo(s.repositoryId, project)) throw badRequest(`The repository '${s.repositoryId}' in the policy scope does not exist in ${project.name}.`);
        if (s.refName !== undefined && !String(s.refName).startsWith('refs/')) throw badRequest(`The refName '${s.refName}' in the policy scope must start with refs/.`);
        if (s.matchKind !== undefined && !/^(exact|prefix|defaultbranch)$/i.test(String(s.matchKind))) throw badRequest(`The matchKind '${s.matchKind}' is not valid.`);
      }
    }
    checkTypeSettings(type.id, settings, project, state);
    return { type, isEnabled: body.isEnabled, isBlocking: body.isBlocking, settings };
  };

  router
    .add('GET', '/:project/_apis/policy/types', (_req, { project }) => listOf(POLICY_TYPES.map((t) => shapes.policyType(project!.id, t))))
    .add('GET', '/:project/_apis/policy/types/:typeId', (req, { project }) => {
      const type = typeOf(req.params.typeId);
      if (!type) throw new AdoError(404, 'PolicyTypeNotFoundException', `The policy type ${req.params.typeId} does not exist.`);
      return json(200, shapes.policyType(project!.id, type));
    })
    .add('POST', '/:project/_apis/policy/configurations', (req, { project }) => {
      const input = read(req, project!);
      const policy: PolicyRecord = {
        id: state.nextId('policy'),
        revision: 1,
        projectId: project!.id,
        typeId: input.type.id,
        isEnabled: input.isEnabled,
        isBlocking: input.isBlocking,
        settings: input.settings,
        createdDate: new Date().toISOString(),
      };
      state.policies.push(policy);
      return json(200, shape(policy));
    })
    .add('PUT', '/:project/_apis/policy/configurations/:configurationId', (req, { project }) => {
      const policy = find(project!, req.params.configurationId);
      const input = read(req, project!);
      Object.assign(policy, { typeId: input.type.id, isEnabled: input.isEnabled, isBlocking: input.isBlocking, settings: input.settings, revision: policy.revision + 1 });
      return json(200, shape(policy));
    })
    .add('GET', '/:project/_apis/policy/configurations', (req, { project }) => {
      const policyType = queryParam(req, 'policyType')?.toLowerCase();
      const repositoryId = queryParam(req, 'repositoryId')?.toLowerCase();
      const refName = queryParam(req, 'refName');
      const found = state.policies
        .filter((p) => p.projectId === project!.id && (!policyType || p.typeId === policyType))
        .filter((p) => (!repositoryId && !refName) || scopeMatches(p, repositoryId, refName));
      return listOf(page(found, req).map(shape));
    })
    .add('GET', '/:project/_apis/policy/configurations/:configurationId', (req, { project }) => json(200, shape(find(project!, req.params.configurationId))))
    .add('DELETE', '/:project/_apis/policy/configurations/:configurationId', (req, { project }) => {
      const policy = find(project!, req.params.configurationId);
      state.policies.splice(state.policies.indexOf(policy), 1);
      return json(204);
    });
}

/** A scope entry applies when its repository is unset (all) or equal, and its ref matches exactly or by prefix. */
function scopeMatches(policy: PolicyRecord, repositoryId: string | undefined, refName: string | undefined): boolean {
  const scope = (policy.settings.scope ?? []) as ScopeEntry[];
  return scope.some((s) => {
    const repoOk = !repositoryId || !s.repositoryId || s.repositoryId.toLowerCase() === repositoryId;
    const kind = String(s.matchKind ?? 'exact').toLowerCase();
    const refOk = !refName || !s.refName || (kind === 'prefix' ? refName.startsWith(s.refName) : refName === s.refName);
    return repoOk && refOk;
  });
}

const MIN_REVIEWERS = 'fa4e907d-c16b-4a4c-9dfa-4906e5d171dd';
const BUILD = '0609b952-1397-4640-95ec-e00a01b2c241';

function checkTypeSettings(typeId: string, settings: Record<string, unknown>, project: ProjectRecord, state: AdoState): void {
  if (typeId === MIN_REVIEWERS) {
    const count = settings.minimumApproverCount;
    if (!Number.isInteger(count) || (count as number) < 1) throw badRequest('settings.minimumApproverCount must be a positive integer.');
  }
  if (typeId === BUILD) {
    const id = Number(settings.buildDefinitionId);
    if (!state.definitions.some((d) => d.projectId === project.id && d.id === id)) throw badRequest(`The build definition ${String(settings.buildDefinitionId)} does not exist in ${project.name}.`);
  }
}
