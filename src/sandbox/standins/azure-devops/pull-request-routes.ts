/**
 * Pull requests: create, get, list (per repository and per project) with the service's search
 * criteria (`searchCriteria.status`, `.sourceRefName`, `.targetRefName`, `.repositoryId`).
 * Ids are numbered across the organisation, as on the service.
 */
import { json, type StandInRequest } from '../standin-server';
import { AdoError, badRequest } from './errors';
import { fullBranchName, parsePullRequestStatus } from './git-wire';
import { bodyObject, listOf, page, queryParam, type AdoRouter } from './router';
import type { AdoShapes } from './shapes';
import type { AdoState, ProjectRecord, PullRequestRecord } from './state';

export function registerPullRequestRoutes(router: AdoRouter, state: AdoState, shapes: AdoShapes): void {
  const search = (req: StandInRequest, candidates: PullRequestRecord[]) => {
    const status = parsePullRequestStatus(queryParam(req, 'searchCriteria.status'));
    const source = queryParam(req, 'searchCriteria.sourceRefName');
    const target = queryParam(req, 'searchCriteria.targetRefName');
    const repositoryId = queryParam(req, 'searchCriteria.repositoryId')?.toLowerCase();
    const found = candidates
      .filter((pr) => status === 'all' || pr.status === status)
      .filter((pr) => !source || pr.sourceRefName === fullBranchName(source))
      .filter((pr) => !target || pr.targetRefName === fullBranchName(target))
      .filter((pr) => !repositoryId || pr.repositoryId === repositoryId)
      .sort((a, b) => b.pullRequestId - a.pullRequestId);
    return listOf(page(found, req).map((pr) => shapes.pullRequest(pr)));
  };
  const inProject = (project: ProjectRecord | undefined) => (pr: PullRequestRecord) => !project || state.repo(pr.repositoryId)?.projectId === project.id;
  const notFound = (id: string) => new AdoError(404, 'GitPullRequestNotFoundException', `TF401180: The requested pull request was not found. (${id})`);

  router
    .addWithOptionalProject('POST', '/_apis/git/repositories/:repositoryId/pullRequests', (req, { project }) => {
      const repo = state.requireRepo(req.params.repositoryId, project);
      const body = bodyObject(req);
      if (typeof body.sourceRefName !== 'string' || typeof body.targetRefName !== 'string') throw badRequest('sourceRefName and targetRefName are required.');
      if (typeof body.title !== 'string' || !body.title.trim()) throw badRequest('A pull request needs a title.');
      const sourceRefName = fullBranchName(body.sourceRefName);
      const targetRefName = fullBranchName(body.targetRefName);
      if (sourceRefName === targetRefName) throw badRequest('The source and target branch of a pull request must differ.');
      const sourceCommitId = repo.git.refs.get(sourceRefName);
      const targetCommitId = repo.git.refs.get(targetRefName);
      if (!sourceCommitId || !targetCommitId) {
        throw badRequest('TF401398: The pull request cannot be activated because the source and/or the target branch no longer exists, or the requested refs are not branches');
      }
      const duplicate = state.pullRequests.find(
        (pr) => pr.repositoryId === repo.id && pr.status === 'active' && pr.sourceRefName === sourceRefName && pr.targetRefName === targetRefName,
      );
      if (duplicate) throw new AdoError(409, 'GitPullRequestExistsException', 'TF401179: An active pull request for the source and target branch already exists.');
      const reviewers = Array.isArray(body.reviewers) ? (body.reviewers as { id?: string; isRequired?: boolean }[]) : [];
      const pr: PullRequestRecord = {
        pullRequestId: state.nextId('pullRequest'),
        repositoryId: repo.id,
        title: body.title,
        description: typeof body.description === 'string' ? body.description : '',
        sourceRefName,
        targetRefName,
        status: 'active',
        isDraft: body.isDraft === true,
        creationDate: new Date().toISOString(),
        sourceCommitId,
        targetCommitId,
        reviewers: reviewers.filter((r) => typeof r.id === 'string').map((r) => ({ id: r.id!, vote: 0, isRequired: r.isRequired === true })),
      };
      state.pullRequests.push(pr);
      return json(201, shapes.pullRequest(pr));
    })
    .addWithOptionalProject('GET', '/_apis/git/repositories/:repositoryId/pullRequests', (req, { project }) => {
      const repo = state.requireRepo(req.params.repositoryId, project);
      return search(req, state.pullRequests.filter((pr) => pr.repositoryId === repo.id));
    })
    .addWithOptionalProject('GET', '/_apis/git/repositories/:repositoryId/pullRequests/:pullRequestId', (req, { project }) => {
      const repo = state.requireRepo(req.params.repositoryId, project);
      const pr = state.pullRequests.find((p) => p.repositoryId === repo.id && p.pullRequestId === Number(req.params.pullRequestId));
      if (!pr) throw notFound(req.params.pullRequestId);
      return json(200, shapes.pullRequest(pr));
    })
    .add('GET', '/:project/_apis/git/pullRequests', (req, { project }) => search(req, state.pullRequests.filter(inProject(project))))
    .addWithOptionalProject('GET', '/_apis/git/pullRequests/:pullRequestId', (req, { project }) => {
      const pr = state.pullRequests.filter(inProject(project)).find((p) => p.pullRequestId === Number(req.params.pullRequestId));
      if (!pr) throw notFound(req.params.pullRequestId);
      return json(200, shapes.pullRequest(pr));
    });
}
