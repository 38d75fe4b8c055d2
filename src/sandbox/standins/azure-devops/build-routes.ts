/**
 * Build area: YAML pipeline definitions on Azure Repos Git repositories, and queued builds (which
 * stay `notStarted`: the stand-in runs nothing). Definition names are unique per folder.
 */
import { json } from '../standin-server';
import { AdoError, badRequest } from './errors';
import { fullBranchName } from './git-wire';
import { bodyObject, listOf, queryParam, type AdoRouter } from './router';
import type { AdoShapes } from './shapes';
import type { AdoState, BuildRecord, DefinitionRecord, ProjectRecord } from './state';

const YAML_PROCESS = 2;

export function registerBuildRoutes(router: AdoRouter, state: AdoState, shapes: AdoShapes): void {
  const findDefinition = (project: ProjectRecord, id: unknown): DefinitionRecord => {
    const d = state.definitions.find((x) => x.projectId === project.id && x.id === Number(id));
    if (!d) throw new AdoError(404, 'DefinitionNotFoundException', `The requested build definition ${String(id)} cannot be found.`);
    return d;
  };

  router
    .add('POST', '/:project/_apis/build/definitions', (req, { project }) => {
      const body = bodyObject(req);
      const name = typeof body.name === 'string' ? body.name.trim() : '';
      if (!name) throw badRequest('The definition name is required.');
      const repository = (body.repository ?? {}) as { id?: string; type?: string; defaultBranch?: string };
      if (!repository.id) throw badRequest('Value cannot be null. Parameter name: definition.Repository');
      if (String(repository.type ?? 'TfsGit').toLowerCase() !== 'tfsgit') throw badRequest(`The repository type '${repository.type}' is not supported by the stand-in.`);
      const repo = state.repo(repository.id);
      if (!repo) throw badRequest(`The repository ${repository.id} does not exist.`);
      const process = (body.process ?? { type: YAML_PROCESS }) as { type?: number; yamlFilename?: string };
      if ((process.type ?? YAML_PROCESS) === YAML_PROCESS && !process.yamlFilename) throw badRequest('A YAML definition needs process.yamlFilename.');
      const path = typeof body.path === 'string' && body.path ? body.path : '\\';
      if (state.definitions.some((d) => d.projectId === project!.id && d.path === path && d.name.toLowerCase() === name.toLowerCase())) {
        throw new AdoError(409, 'DefinitionExistsException', `The build pipeline ${name} already exists in folder ${path}.`);
      }
      const definition: DefinitionRecord = {
        id: state.nextId('definition'),
        revision: 1,
        projectId: project!.id,
        name,
        path,
        repositoryId: repo.id,
        defaultBranch: fullBranchName(repository.defaultBranch ?? repo.git.defaultBranch ?? 'refs/heads/main'),
        yamlFilename: process.yamlFilename,
        processType: process.type ?? YAML_PROCESS,
        createdDate: new Date().toISOString(),
        variables: (body.variables as Record<string, unknown>) ?? {},
      };
      state.definitions.push(definition);
      return json(200, shapes.definition(definition));
    })
    .add('GET', '/:project/_apis/build/definitions', (req, { project }) => {
      const name = queryParam(req, 'name');
      const nameRe = name ? new RegExp(`^${name.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i') : undefined;
      const repositoryId = queryParam(req, 'repositoryId')?.toLowerCase();
      const repositoryType = queryParam(req, 'repositoryType')?.toLowerCase();
      const yamlFilename = queryParam(req, 'yamlFilename');
      const path = queryParam(req, 'path');
      const ids = queryParam(req, 'definitionIds')?.split(',').map(Number);
      const processType = queryParam(req, 'processType');
      const top = Number(queryParam(req, '$top') ?? 0) || undefined;
      const found = state.definitions
        .filter((d) => d.projectId === project!.id)
        .filter((d) => !nameRe || nameRe.test(d.name))
        .filter((d) => !repositoryId || d.repositoryId === repositoryId)
        // Every stand-in definition builds an Azure Repos (TfsGit) repository.
        .filter(() => !repositoryType || repositoryType === 'tfsgit')
        .filter((d) => !yamlFilename || d.yamlFilename === yamlFilename)
        .filter((d) => !path || d.path === path)
        .filter((d) => !ids || ids.includes(d.id))
        .filter((d) => !processType || d.processType === Number(processType))
        .slice(0, top);
      const full = queryParam(req, 'includeAllProperties') === 'true';
      return listOf(found.map((d) => (full ? shapes.definition(d) : shapes.definitionRef(d))));
    })
    .add('GET', '/:project/_apis/build/definitions/:definitionId', (req, { project }) => json(200, shapes.definition(findDefinition(project!, req.params.definitionId))))
    .add('DELETE', '/:project/_apis/build/definitions/:definitionId', (req, { project }) => {
      const d = findDefinition(project!, req.params.definitionId);
      state.definitions.splice(state.definitions.indexOf(d), 1);
      return json(204);
    })

    .add('POST', '/:project/_apis/build/builds', (req, { project }) => {
      const body = bodyObject(req);
      const definition = findDefinition(project!, (body.definition as { id?: unknown } | undefined)?.id ?? queryParam(req, 'definitionId'));
      const sourceBranch = fullBranchName(typeof body.sourceBranch === 'string' ? body.sourceBranch : definition.defaultBranch);
      const sourceVersion = state.repo(definition.repositoryId)?.git.refs.get(sourceBranch);
      if (!sourceVersion) throw badRequest(`Could not queue the build because the branch ${sourceBranch} does not exist.`);
      const now = new Date();
      const today = state.builds.filter((b) => b.definitionId === definition.id && b.queueTime.slice(0, 10) === now.toISOString().slice(0, 10)).length;
      const build: BuildRecord = {
        id: state.nextId('build'),
        definitionId: definition.id,
        projectId: project!.id,
        buildNumber: `${now.toISOString().slice(0, 10).replace(/-/g, '')}.${today + 1}`,
        sourceBranch,
        sourceVersion,
        status: 'notStarted',
        reason: 'manual',
        queueTime: now.toISOString(),
      };
      state.builds.push(build);
      return json(200, shapes.build(build));
    })
    .add('GET', '/:project/_apis/build/builds', (req, { project }) => {
      const definitions = queryParam(req, 'definitions')?.split(',').map(Number);
      const branch = queryParam(req, 'branchName');
      const status = buildStatus(queryParam(req, 'statusFilter'));
      const found = state.builds
        .filter((b) => b.projectId === project!.id)
        .filter((b) => !definitions || definitions.includes(b.definitionId))
        .filter((b) => !branch || b.sourceBranch === fullBranchName(branch))
        .filter((b) => !status || status === 'all' || b.status.toLowerCase() === status)
        .sort((a, b) => b.id - a.id);
      return listOf(found.map((b) => shapes.build(b)));
    })
    .add('GET', '/:project/_apis/build/builds/:buildId', (req, { project }) => {
      const build = state.builds.find((b) => b.projectId === project!.id && b.id === Number(req.params.buildId));
      if (!build) throw new AdoError(404, 'BuildNotFoundException', `The requested build ${req.params.buildId} could not be found.`);
      return json(200, shapes.build(build));
    });
}

/** BuildStatus arrives as a name or as the client's enum number (InProgress 1, Completed 2, NotStarted 32, All 47). */
function buildStatus(value: string | undefined): string | undefined {
  const byNumber: Record<string, string> = { '1': 'inprogress', '2': 'completed', '32': 'notstarted', '47': 'all' };
  return value === undefined ? undefined : (byNumber[value] ?? value.toLowerCase());
}
