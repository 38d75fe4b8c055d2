/**
 * What pipelines deploy through: environments (distributedtask area, per project; names unique per
 * project, case-insensitive) and their checks (PipelinesChecks area; only the Approval type, on an
 * environment of the same project). Variable groups: variable-group-routes.ts.
 */
import { json, type StandInRequest } from '../standin-server';
import { AdoError, badRequest } from './errors';
import { bodyObject, listOf, page, queryParam, type AdoRouter } from './router';
import type { AdoShapes } from './shapes';
import type { AdoState, CheckRecord, EnvironmentRecord, ProjectRecord } from './state';

export const APPROVAL_CHECK_TYPE = { id: '8c6f20a7-a545-4486-9777-f762fafe0d4d', name: 'Approval' };


/** A name the service accepts for an environment or a variable group (400 otherwise). */
export function resourceNameOf(body: Record<string, unknown>, what: string): string {
  const name = typeof body.name === 'string' ? body.name.trim() : '';
  if (!name) throw badRequest(`The ${what} name is required.`);
  if (name.length > 128 || /[\\/:*?"<>|;#$%{}`+=[\]]/.test(name)) throw badRequest(`The ${what} name '${name}' is not valid.`);
  return name;
}

export function registerDeploymentRoutes(router: AdoRouter, state: AdoState, shapes: AdoShapes): void {
  const projectRef = (p: ProjectRecord) => ({ id: p.id, name: p.name });
  const environment = (e: EnvironmentRecord, project: ProjectRecord) => ({
    id: e.id,
    name: e.name,
    description: e.description,
    createdBy: shapes.identity(),
    createdOn: e.createdOn,
    lastModifiedBy: shapes.identity(),
    lastModifiedOn: e.createdOn,
    project: projectRef(project),
  });
  const check = (c: CheckRecord, withSettings: boolean) => ({
    id: c.id,
    version: 1,
    type: { id: c.typeId, name: c.typeName },
    url: `${shapes.collectionUrl}/${c.projectId}/_apis/pipelines/checks/configurations/${c.id}`,
    resource: c.resource,
    timeout: c.timeout,
    createdBy: shapes.identity(),
    createdOn: c.createdOn,
    modifiedBy: shapes.identity(),
    modifiedOn: c.createdOn,
    ...(withSettings ? { settings: c.settings } : {}),
  });
  const findEnvironment = (project: ProjectRecord, id: unknown): EnvironmentRecord => {
    const e = state.environments.find((x) => x.projectId === project.id && x.id === Number(id));
    if (!e) throw new AdoError(404, 'EnvironmentNotFoundException', `Environment with id ${String(id)} does not exist or you do not have access.`);
    return e;
  };
  const expandsSettings = (req: StandInRequest) => /^(settings|1)$/i.test(queryParam(req, '$expand') ?? '');

  router
    // ---- environments
    .add('GET', '/:project/_apis/distributedtask/environments', (req, { project }) => {
      const name = queryParam(req, 'name')?.toLowerCase();
      const found = state.environments.filter((e) => e.projectId === project!.id && (!name || e.name.toLowerCase().includes(name)));
      return listOf(page(found, req).map((e) => environment(e, project!)));
    })
    .add('GET', '/:project/_apis/distributedtask/environments/:environmentId', (req, { project }) => json(200, environment(findEnvironment(project!, req.params.environmentId), project!)))
    .add('POST', '/:project/_apis/distributedtask/environments', (req, { project }) => {
      const body = bodyObject(req);
      const name = resourceNameOf(body, 'environment');
      if (state.environments.some((e) => e.projectId === project!.id && e.name.toLowerCase() === name.toLowerCase())) {
        throw new AdoError(409, 'EnvironmentExistsException', `Environment with name ${name} already exists.`);
      }
      const env: EnvironmentRecord = {
        id: state.nextId('environment'),
        projectId: project!.id,
        name,
        description: typeof body.description === 'string' ? body.description : '',
        createdOn: new Date().toISOString(),
      };
      state.environments.push(env);
      return json(200, environment(env, project!));
    })
    // ---- checks
    .add('GET', '/:project/_apis/pipelines/checks/configurations', (req, { project }) => {
      const resourceType = queryParam(req, 'resourceType')?.toLowerCase();
      const resourceId = queryParam(req, 'resourceId');
      const found = state.checks.filter(
        (c) => c.projectId === project!.id && (!resourceType || c.resource.type === resourceType) && (!resourceId || c.resource.id === resourceId),
      );
      return listOf(found.map((c) => check(c, expandsSettings(req))));
    })
    .add('GET', '/:project/_apis/pipelines/checks/configurations/:id', (req, { project }) => {
      const c = state.checks.find((x) => x.projectId === project!.id && x.id === Number(req.params.id));
      if (!c) throw new AdoError(404, 'CheckConfigurationNotFoundException', `Check configuration ${req.params.id} does not exist.`);
      return json(200, check(c, expandsSettings(req)));
    })
    .add('POST', '/:project/_apis/pipelines/checks/configurations', (req, { project }) => {
      const body = bodyObject(req);
      const typeId = String((body.type as { id?: unknown } | undefined)?.id ?? '').toLowerCase();
      if (typeId !== APPROVAL_CHECK_TYPE.id) throw badRequest(`The check type '${typeId}' is not supported by the stand-in (only Approval).`);
      const resource = (body.resource ?? {}) as { type?: unknown; id?: unknown };
      if (String(resource.type).toLowerCase() !== 'environment') throw badRequest(`The resource type '${String(resource.type)}' is not supported by the stand-in (only environment).`);
      const env = state.environments.find((e) => e.projectId === project!.id && String(e.id) === String(resource.id));
      if (!env) throw badRequest(`The environment ${String(resource.id)} does not exist in ${project!.name}.`);
      const settings = body.settings as Record<string, unknown> | undefined;
      if (!settings || typeof settings !== 'object' || Array.isArray(settings)) throw badRequest('settings must be an object.');
      if (!Array.isArray(settings.approvers)) throw badRequest('settings.approvers must be a list.');
      const min = settings.minRequiredApprovers;
      if (min !== undefined && (!Number.isInteger(min) || (min as number) < 0)) throw badRequest('settings.minRequiredApprovers must be a non-negative integer.');
      const timeout = body.timeout === undefined ? 43_200 : Number(body.timeout);
      if (!Number.isInteger(timeout) || timeout <= 0) throw badRequest('timeout must be a positive number of minutes.');
      const record: CheckRecord = {
        id: state.nextId('check'),
        projectId: project!.id,
        typeId,
        typeName: APPROVAL_CHECK_TYPE.name,
        resource: { type: 'environment', id: String(env.id) },
        settings,
        timeout,
        createdOn: new Date().toISOString(),
      };
      state.checks.push(record);
      return json(200, check(record, true));
    });
}
