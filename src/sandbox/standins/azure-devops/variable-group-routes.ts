/**
 * Variable groups (distributedtask area) as the service answers them: added and updated
 * organisation-wide and shared with the projects the body names, listed per project (names unique
 * per project, case-insensitive). An update (PUT) replaces the whole group: a variable left out is
 * deleted; a secret sent with a null value keeps the value it had. A secret's value is never
 * returned (`isSecret: true, value: null`). A Key Vault-linked group (`type: AzureKeyVault`)
 * names a service connection shared with the project and a vault in `providerData`; its variables
 * are the vault's secret names and hold no value. Service connections: GET by name per project.
 */
import { json } from '../standin-server';
import { resourceNameOf } from './deployment-routes';
import { AdoError, badRequest } from './errors';
import { bodyObject, listOf, page, queryParam, type AdoRouter } from './router';
import type { AdoShapes } from './shapes';
import type { AdoState, ProjectRecord, ServiceEndpointRecord, VariableGroupRecord, VariableRecord } from './state';
import { sha256 } from './variable-values';

const KEY_VAULT = 'AzureKeyVault';
const TYPES = new Set(['Vsts', KEY_VAULT]);

const wildcard = (pattern: string): RegExp => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i');

type WireVariable = { value?: unknown; isSecret?: unknown; enabled?: unknown; contentType?: unknown };

export function registerVariableGroupRoutes(router: AdoRouter, state: AdoState, shapes: AdoShapes): void {
  const projectRef = (p: ProjectRecord) => ({ id: p.id, name: p.name });
  const variableGroup = (g: VariableGroupRecord) => ({
    id: g.id,
    name: g.name,
    description: g.description,
    type: g.type,
    ...(g.providerData ? { providerData: { ...g.providerData, lastRefreshedOn: g.createdOn } } : {}),
    variables: Object.fromEntries(
      Object.entries(g.variables).map(([k, v]) => {
        if (g.type === KEY_VAULT) return [k, { value: null, isSecret: true, enabled: v.enabled ?? true, contentType: v.contentType ?? '' }];
        return [k, v.isSecret ? { value: null, isSecret: true } : { value: v.value ?? '' }];
      }),
    ),
    createdBy: shapes.identity(),
    createdOn: g.createdOn,
    modifiedBy: shapes.identity(),
    modifiedOn: g.createdOn,
    isShared: false,
    variableGroupProjectReferences: g.projectIds.map((id) => {
      const p = state.projects.find((x) => x.id === id)!;
      return { name: g.name, description: g.description, projectReference: projectRef(p) };
    }),
  });
  const endpoint = (e: ServiceEndpointRecord) => ({
    id: e.id,
    name: e.name,
    type: e.type,
    url: e.url,
    owner: 'Library',
    isReady: true,
    isShared: e.projectIds.length > 1,
    authorization: { scheme: 'WorkloadIdentityFederation', parameters: {} },
    data: {},
    createdBy: shapes.identity(),
    serviceEndpointProjectReferences: e.projectIds.map((id) => ({ name: e.name, projectReference: projectRef(state.projects.find((p) => p.id === id)!) })),
  });

  /** The projects a create or update body shares the group with. */
  const projectsOf = (body: Record<string, unknown>): ProjectRecord[] => {
    const refs = body.variableGroupProjectReferences;
    if (!Array.isArray(refs) || refs.length === 0) throw badRequest('variableGroupProjectReferences must name at least one project.');
    return refs.map((r: { name?: unknown; projectReference?: { id?: unknown; name?: unknown } }) => {
      const ref = r?.projectReference;
      const p = ref?.id ? state.project(String(ref.id)) : ref?.name ? state.project(String(ref.name)) : undefined;
      if (!p) throw badRequest(`The project '${String(ref?.id ?? ref?.name)}' in variableGroupProjectReferences does not exist.`);
      // The service refuses a reference without the group's name in it ("Project information name is not valid").
      if (typeof r.name !== 'string' || !r.name.trim()) throw badRequest('Project information name is not valid for variable group.');
      return p;
    });
  };

  /** The group's fields from a body; `before` is the group an update replaces (its secret values are kept when not sent). */
  const fromBody = (body: Record<string, unknown>, before?: VariableGroupRecord): Omit<VariableGroupRecord, 'id' | 'createdOn'> => {
    const name = resourceNameOf(body, 'variable group');
    const type = typeof body.type === 'string' ? body.type : 'Vsts';
    if (!TYPES.has(type)) throw badRequest(`The variable group type '${type}' is not valid.`);
    const projects = projectsOf(body);
    for (const p of projects) {
      const clash = state.variableGroups.find((g) => g !== before && g.projectIds.includes(p.id) && g.name.toLowerCase() === name.toLowerCase());
      if (clash) throw new AdoError(409, 'VariableGroupExistsException', `Variable group with name ${name} already exists.`);
    }
    const variables = (body.variables ?? {}) as Record<string, WireVariable>;
    if (typeof variables !== 'object' || Array.isArray(variables)) throw badRequest('variables must be an object.');
    const names = Object.keys(variables).map((k) => k.toLowerCase());
    if (new Set(names).size !== names.length) throw badRequest('Variable names must be unique (they are case-insensitive).');
    const description = typeof body.description === 'string' ? body.description : '';
    if (type === KEY_VAULT) {
      const data = (body.providerData ?? {}) as { serviceEndpointId?: unknown; vault?: unknown };
      const vault = typeof data.vault === 'string' ? data.vault.trim() : '';
      if (!vault) throw badRequest('providerData.vault is required for an AzureKeyVault variable group.');
      const ep = state.serviceEndpoints.find((e) => e.id === String(data.serviceEndpointId ?? '').toLowerCase());
      if (!ep || !projects.every((p) => ep.projectIds.includes(p.id))) throw badRequest(`The service connection '${String(data.serviceEndpointId)}' does not exist or is not shared with the project.`);
      if (ep.type.toLowerCase() !== 'azurerm') throw badRequest(`The service connection '${ep.name}' is not an Azure Resource Manager connection.`);
      const linked = Object.fromEntries(Object.entries(variables).map(([k, v]): [string, VariableRecord] => [k, { isSecret: true, enabled: v?.enabled !== false, ...(typeof v?.contentType === 'string' ? { contentType: v.contentType } : {}) }]));
      return { name, description, type, providerData: { serviceEndpointId: ep.id, vault }, variables: linked, projectIds: projects.map((p) => p.id) };
    }
    const previous = (k: string) => (before && before.type !== KEY_VAULT ? Object.entries(before.variables).find(([n]) => n.toLowerCase() === k.toLowerCase())?.[1] : undefined);
    const plain = Object.fromEntries(
      Object.entries(variables).map(([k, v]): [string, VariableRecord] => {
        if (v?.isSecret !== true) return [k, { value: v?.value == null ? '' : String(v.value), isSecret: false }];
        if (typeof v.value === 'string') return [k, { isSecret: true, valueSha256: sha256(v.value) }];
        const kept = previous(k);
        return [k, { isSecret: true, ...(kept?.isSecret && kept.valueSha256 ? { valueSha256: kept.valueSha256 } : {}) }];
      }),
    );
    return { name, description, type, variables: plain, projectIds: projects.map((p) => p.id) };
  };

  const findGroup = (id: unknown, project?: ProjectRecord): VariableGroupRecord => {
    const g = state.variableGroups.find((x) => x.id === Number(id) && (!project || x.projectIds.includes(project.id)));
    if (!g) throw new AdoError(404, 'VariableGroupNotFoundException', `Variable group with id ${String(id)} does not exist.`);
    return g;
  };

  router
    .add('GET', '/:project/_apis/distributedtask/variablegroups', (req, { project }) => {
      const groupName = queryParam(req, 'groupName');
      const re = groupName ? wildcard(groupName) : undefined;
      const found = state.variableGroups.filter((g) => g.projectIds.includes(project!.id) && (!re || re.test(g.name)));
      return listOf(page(found, req).map(variableGroup));
    })
    .add('GET', '/:project/_apis/distributedtask/variablegroups/:groupId', (req, { project }) => json(200, variableGroup(findGroup(req.params.groupId, project))))
    .add('POST', '/_apis/distributedtask/variablegroups', (req) => {
      const group: VariableGroupRecord = { id: state.nextId('variableGroup'), ...fromBody(bodyObject(req)), createdOn: new Date().toISOString() };
      state.variableGroups.push(group);
      return json(200, variableGroup(group));
    })
    .add('PUT', '/_apis/distributedtask/variablegroups/:groupId', (req) => {
      const before = findGroup(req.params.groupId);
      const after = fromBody(bodyObject(req), before);
      delete before.providerData;
      Object.assign(before, after);
      return json(200, variableGroup(before));
    })
    // ---- service connections
    .add('GET', '/:project/_apis/serviceendpoint/endpoints', (req, { project }) => {
      const names = (queryParam(req, 'endpointNames') ?? '').split(',').map((n) => n.trim().toLowerCase()).filter(Boolean);
      const ids = (queryParam(req, 'endpointIds') ?? '').split(',').map((n) => n.trim().toLowerCase()).filter(Boolean);
      const type = queryParam(req, 'type')?.toLowerCase();
      const found = state.serviceEndpoints.filter(
        (e) => e.projectIds.includes(project!.id) && (!names.length || names.includes(e.name.toLowerCase())) && (!ids.length || ids.includes(e.id)) && (!type || e.type.toLowerCase() === type),
      );
      return listOf(found.map(endpoint));
    });
}
