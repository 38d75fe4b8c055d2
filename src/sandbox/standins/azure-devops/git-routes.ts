/**
 * Git area: repositories, refs, pushes and commits (items and pull requests have their own files).
 * Every route exists with and without the `{project}` segment, as the route templates allow.
 */
import { json } from '../standin-server';
import { AdoError, badRequest, unresolvable } from './errors';
import { parseVersionType, parsePush } from './git-wire';
import { normalizePath, type CommitRecord, type RefUpdate } from './git-store';
import { bodyObject, listOf, page, queryParam, type AdoRouter } from './router';
import type { AdoShapes } from './shapes';
import type { AdoState, ProjectRecord } from './state';

const REPO = '/_apis/git/repositories/:repositoryId';

export function registerGitRoutes(router: AdoRouter, state: AdoState, shapes: AdoShapes): void {
  const repoOf = (repositoryId: string, project?: ProjectRecord) => state.requireRepo(repositoryId, project);

  router
    .addWithOptionalProject('GET', '/_apis/git/repositories', (_req, { project }) =>
      listOf(state.repos.filter((r) => !project || r.projectId === project.id).map((r) => shapes.repo(r))),
    )
    .addWithOptionalProject('POST', '/_apis/git/repositories', (req, { project }) => {
      const body = bodyObject(req);
      const name = typeof body.name === 'string' ? body.name.trim() : '';
      if (!name) throw badRequest('The repository name is required.');
      const bodyProject = body.project as { id?: string; name?: string } | undefined;
      const target = project ?? (bodyProject?.id || bodyProject?.name ? state.requireProject(String(bodyProject.id ?? bodyProject.name)) : undefined);
      if (!target) throw badRequest('A project is required to create a repository.');
      return json(201, shapes.repo(state.createRepo(target, name)));
    })
    .addWithOptionalProject('GET', REPO, (req, { project }) => {
      const repo = repoOf(req.params.repositoryId, project);
      return json(200, { ...shapes.repo(repo), _links: { self: { href: shapes.repoUrl(repo) }, web: { href: shapes.repo(repo).webUrl } } });
    })
    .addWithOptionalProject('DELETE', REPO, (req, { project }) => {
      state.deleteRepo(repoOf(req.params.repositoryId, project));
      return json(204);
    })

    // Refs: `filter` is a prefix after "refs/" ("heads/", "heads/feature"); `filterContains` a substring.
    .addWithOptionalProject('GET', `${REPO}/refs`, (req, { project }) => {
      const repo = repoOf(req.params.repositoryId, project);
      const filter = queryParam(req, 'filter');
      const prefix = filter === undefined ? 'refs/' : filter.startsWith('refs/') ? filter : `refs/${filter}`;
      const contains = queryParam(req, 'filterContains')?.toLowerCase();
      const refs = [...repo.git.refs]
        .filter(([name]) => name.startsWith(prefix) && (!contains || name.toLowerCase().includes(contains)))
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, id]) => shapes.ref(repo, name, id));
      return listOf(page(refs, req));
    })
    .addWithOptionalProject('POST', `${REPO}/refs`, (req, { project }) => {
      const repo = repoOf(req.params.repositoryId, project);
      if (!Array.isArray(req.body) || req.body.length === 0) throw badRequest('The body must be a non-empty list of ref updates.');
      // BestEffort, as the service's default mode: each ref reports its own result; the call is 200.
      const results = (req.body as RefUpdate[]).map((u) => {
        const updateStatus = repo.git.updateRef(u);
        return {
          repositoryId: repo.id,
          name: u.name,
          oldObjectId: u.oldObjectId,
          newObjectId: u.newObjectId,
          isLocked: false,
          success: updateStatus === 'succeeded',
          updateStatus,
          customMessage: updateStatus === 'succeeded' ? null : refFailureMessage(updateStatus, u.name),
        };
      });
      return listOf(results);
    })

    .addWithOptionalProject('POST', `${REPO}/pushes`, (req, { project }) => {
      const repo = repoOf(req.params.repositoryId, project);
      const input = parsePush(req.body);
      return json(201, shapes.push(repo, repo.git.push(input.refName, input.oldObjectId, input.commits)));
    })
    .addWithOptionalProject('GET', `${REPO}/pushes`, (req, { project }) => {
      const repo = repoOf(req.params.repositoryId, project);
      const pushes = [...repo.git.pushes].reverse().map((p) => ({ ...shapes.push(repo, p), commits: undefined, refUpdates: undefined }));
      return listOf(page(pushes, req));
    })
    .addWithOptionalProject('GET', `${REPO}/pushes/:pushId`, (req, { project }) => {
      const repo = repoOf(req.params.repositoryId, project);
      const push = repo.git.pushes.find((p) => p.pushId === Number(req.params.pushId));
      if (!push) throw new AdoError(404, 'GitPushNotFoundException', `The push ${req.params.pushId} could not be found.`);
      return json(200, shapes.push(repo, push));
    })

    // Commits, newest first along first parents from the requested (default: default-branch) version.
    .addWithOptionalProject('GET', `${REPO}/commits`, (req, { project }) => {
      const repo = repoOf(req.params.repositoryId, project);
      const version = queryParam(req, 'searchCriteria.itemVersion.version');
      const start = repo.git.resolve(version, parseVersionType(queryParam(req, 'searchCriteria.itemVersion.versionType')));
      if (!start) {
        if (version) throw unresolvable(version, repo.name);
        return listOf([]);
      }
      const itemPath = queryParam(req, 'searchCriteria.itemPath');
      const from = dateParam(queryParam(req, 'searchCriteria.fromDate'), 'fromDate');
      const to = dateParam(queryParam(req, 'searchCriteria.toDate'), 'toDate');
      const history: CommitRecord[] = [];
      for (let c: CommitRecord | undefined = start; c; c = c.parents[0] ? repo.git.commits.get(c.parents[0]) : undefined) {
        const at = Date.parse(c.committer.date);
        if (from !== undefined && at < from) continue;
        if (to !== undefined && at > to) continue;
        if (!itemPath || touches(c, normalizePath(itemPath))) history.push(c);
      }
      if (queryParam(req, 'searchCriteria.showOldestCommitsFirst') === 'true') history.reverse();
      const top = queryParam(req, 'searchCriteria.$top') ?? queryParam(req, '$top');
      const skip = Number(queryParam(req, 'searchCriteria.$skip') ?? queryParam(req, '$skip') ?? 0) || 0;
      const selected = history.slice(skip, top ? skip + Number(top) : undefined);
      return listOf(selected.map((c) => shapes.commitRef(repo, c)));
    })
    .addWithOptionalProject('GET', `${REPO}/commits/:commitId`, (req, { project }) => {
      const repo = repoOf(req.params.repositoryId, project);
      const commit = repo.git.commits.get(req.params.commitId.toLowerCase());
      if (!commit) throw unresolvable(req.params.commitId, repo.name, 'Commit');
      const push = repo.git.pushes.find((p) => p.pushId === commit.pushId);
      return json(200, shapes.commit(repo, commit, push?.date));
    });
}

/** The service accepts any date .NET parses; ISO 8601 is what clients send. */
function dateParam(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw badRequest(`The value '${value}' of searchCriteria.${name} is not a valid date.`);
  return at;
}

const touches = (c: CommitRecord, path: string): boolean => c.changes.some((ch) => ch.path === path || ch.path.startsWith(`${path === '/' ? '' : path}/`));

function refFailureMessage(status: string, name: string): string {
  switch (status) {
    case 'staleOldObjectId':
      return `The ref '${name}' has moved: its current object id is not the oldObjectId given.`;
    case 'invalidRefName':
      return `'${name}' is not a valid ref name.`;
    default:
      return `The new object id of '${name}' does not resolve to a commit.`;
  }
}
