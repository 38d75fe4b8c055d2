/**
 * Git items: one item (metadata JSON, JSON with `content`, or the raw bytes) or a listing of a
 * folder to a recursion level. What comes back depends on `$format` first, then the Accept header:
 * GitApi.getItem/getItems ask for application/json, getItemText for text/plain and
 * getItemContent for application/octet-stream.
 */
import { json, type StandInRequest } from '../standin-server';
import { AdoError, badRequest, unresolvable } from './errors';
import { parseRecursion, parseVersionType } from './git-wire';
import { queryParam, listOf, type AdoRouter } from './router';
import type { AdoShapes } from './shapes';
import type { AdoState } from './state';

export function registerGitItemRoutes(router: AdoRouter, state: AdoState, shapes: AdoShapes): void {
  router.addWithOptionalProject('GET', '/_apis/git/repositories/:repositoryId/items', (req, { project }) => {
    const repo = state.requireRepo(req.params.repositoryId, project);
    const version = queryParam(req, 'versionDescriptor.version');
    const versionType = parseVersionType(queryParam(req, 'versionDescriptor.versionType'));
    const commit = repo.git.resolve(version, versionType);
    if (!commit) throw unresolvable(version ?? shortName(repo.git.defaultBranch) ?? 'main', repo.name, capitalize(versionType));

    const path = queryParam(req, 'path');
    const level = parseRecursion(queryParam(req, 'recursionLevel'));
    const metadata = queryParam(req, 'includeContentMetadata') === 'true';
    const target = path ?? queryParam(req, 'scopePath') ?? '/';
    const entries = repo.git.entries(commit, target, level);
    if (!entries) {
      throw new AdoError(
        404,
        'GitItemNotFoundException',
        `TF401174: The item '${target}' could not be found in the repository '${repo.name}' at the version specified by '<${capitalize(versionType)}: ${version ?? shortName(repo.git.defaultBranch)} >' (resolved to commit '${commit.commitId}').`,
      );
    }

    // A listing: no single path, or a path with recursion.
    if (path === undefined || level !== 'none') return listOf(entries.map((e) => shapes.item(repo, commit, e, { metadata })));

    const [entry] = entries;
    const format = responseFormat(req);
    if (format === 'json') {
      const content = !entry.isFolder && queryParam(req, 'includeContent') === 'true' ? commit.files.get(entry.path)!.toString('utf8') : undefined;
      return json(200, shapes.item(repo, commit, entry, { content, metadata }));
    }
    if (entry.isFolder) throw badRequest(`The item '${entry.path}' is a folder; ask for a zip or a JSON listing.`);
    const bytes = commit.files.get(entry.path)!;
    const headers: Record<string, string> = { 'content-type': format === 'text' ? 'text/plain; charset=utf-8' : 'application/octet-stream' };
    if (queryParam(req, 'download') === 'true') headers['content-disposition'] = `attachment; filename=${entry.path.split('/').pop()}`;
    return { status: 200, body: bytes, headers };
  });
}

function responseFormat(req: StandInRequest): 'json' | 'text' | 'octetStream' {
  const format = queryParam(req, '$format')?.toLowerCase();
  if (format === 'json') return 'json';
  if (format === 'text') return 'text';
  if (format === 'octetstream') return 'octetStream';
  const accept = String(req.headers.accept ?? 'application/json').toLowerCase();
  if (accept.includes('application/json')) return 'json';
  if (accept.includes('text/plain')) return 'text';
  return 'octetStream';
}

const shortName = (ref: string | undefined): string | undefined => ref?.replace(/^refs\/heads\//, '');
const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
