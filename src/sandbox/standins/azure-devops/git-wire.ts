/**
 * Reading Git request bodies and query values as the service does. Enums arrive either as numbers
 * (azure-devops-node-api sends its TypeScript enums as-is) or as names (raw REST callers), so both
 * are accepted; names are case-insensitive.
 */
import { badRequest } from './errors';
import type { ChangeInput, ChangeKind, CommitInput, GitUserDate, RecursionLevel } from './git-store';
import type { PullRequestStatus } from './state';

function enumValue<T>(value: unknown, byNumber: Record<number, T>, byName: Record<string, T>, what: string): T {
  const found = typeof value === 'number' ? byNumber[value] : typeof value === 'string' ? (byName[value.toLowerCase()] ?? byNumber[Number(value)]) : undefined;
  if (found === undefined) throw badRequest(`The value '${String(value)}' is not valid for ${what}.`);
  return found;
}

/** VersionControlRecursionType: None 0, OneLevel 1, OneLevelPlusNestedEmptyFolders 4, Full 120. */
export function parseRecursion(value: string | undefined): RecursionLevel {
  if (value === undefined || value === '') return 'none';
  return enumValue<RecursionLevel>(
    value,
    { 0: 'none', 1: 'oneLevel', 4: 'oneLevel', 120: 'full' },
    { none: 'none', onelevel: 'oneLevel', onelevelplusnestedemptyfolders: 'oneLevel', full: 'full' },
    'recursionLevel',
  );
}

/** GitVersionType: Branch 0, Tag 1, Commit 2. */
export function parseVersionType(value: string | undefined): 'branch' | 'tag' | 'commit' {
  if (value === undefined || value === '') return 'branch';
  return enumValue(value, { 0: 'branch', 1: 'tag', 2: 'commit' }, { branch: 'branch', tag: 'tag', commit: 'commit' }, 'versionType');
}

/** PullRequestStatus: NotSet 0, Active 1, Abandoned 2, Completed 3, All 4; the default is active. */
export function parsePullRequestStatus(value: string | undefined): PullRequestStatus | 'all' {
  if (value === undefined || value === '') return 'active';
  return enumValue<PullRequestStatus | 'all'>(
    value,
    { 0: 'active', 1: 'active', 2: 'abandoned', 3: 'completed', 4: 'all' },
    { notset: 'active', active: 'active', abandoned: 'abandoned', completed: 'completed', all: 'all' },
    'status',
  );
}

/** VersionControlChangeType flags: Add 1, Edit 2, Rename 8, Delete 16 (an edit may carry the rename flag). */
function parseChangeType(value: unknown): ChangeKind {
  if (typeof value === 'number') {
    if (value & 16) return 'delete';
    if (value & 8) return 'rename';
    if (value & 1) return 'add';
    if (value & 2) return 'edit';
  } else if (typeof value === 'string') {
    const names = value.toLowerCase().split(',').map((s) => s.trim());
    for (const kind of ['delete', 'rename', 'add', 'edit'] as const) if (names.includes(kind)) return kind;
  }
  throw badRequest(`The changeType '${String(value)}' is not supported.`);
}

/** ItemContentType: RawText 0, Base64Encoded 1. */
function parseContent(newContent: unknown): Buffer | undefined {
  if (newContent === undefined || newContent === null) return undefined;
  const { content, contentType } = newContent as { content?: unknown; contentType?: unknown };
  if (typeof content !== 'string') throw badRequest('newContent.content must be a string.');
  const type = enumValue(contentType ?? 0, { 0: 'raw', 1: 'base64' }, { rawtext: 'raw', base64encoded: 'base64' }, 'contentType');
  return type === 'base64' ? Buffer.from(content, 'base64') : Buffer.from(content, 'utf8');
}

function parseChange(raw: unknown): ChangeInput {
  const change = (raw ?? {}) as { changeType?: unknown; item?: { path?: unknown }; newContent?: unknown; sourceServerItem?: unknown };
  const changeType = parseChangeType(change.changeType);
  if (typeof change.item?.path !== 'string' || !change.item.path) throw badRequest('Every change needs item.path.');
  const content = parseContent(change.newContent);
  if ((changeType === 'add' || changeType === 'edit') && content === undefined) throw badRequest(`The ${changeType} of '${change.item.path}' needs newContent.`);
  const sourcePath = typeof change.sourceServerItem === 'string' ? change.sourceServerItem : undefined;
  if (changeType === 'rename' && !sourcePath) throw badRequest(`The rename of '${change.item.path}' needs sourceServerItem.`);
  return { changeType, path: change.item.path, sourcePath, content };
}

function parseAuthor(raw: unknown): GitUserDate | undefined {
  const a = raw as Partial<GitUserDate> | undefined;
  if (!a || typeof a.name !== 'string' || typeof a.email !== 'string') return undefined;
  return { name: a.name, email: a.email, date: a.date ? new Date(a.date).toISOString() : new Date().toISOString() };
}

export interface PushInput {
  refName: string;
  oldObjectId: string;
  commits: CommitInput[];
}

/** A GitPush body: one ref update and the commits to put on it. */
export function parsePush(body: unknown): PushInput {
  const push = (body ?? {}) as { refUpdates?: unknown; commits?: unknown };
  if (!Array.isArray(push.refUpdates) || push.refUpdates.length !== 1) throw badRequest('A push must contain exactly one ref update.');
  const ref = push.refUpdates[0] as { name?: unknown; oldObjectId?: unknown };
  if (typeof ref.name !== 'string') throw badRequest('refUpdates[0].name is required.');
  if (!Array.isArray(push.commits) || push.commits.length === 0) throw badRequest('A push must contain at least one commit.');
  const commits = push.commits.map((raw): CommitInput => {
    const c = (raw ?? {}) as { comment?: unknown; changes?: unknown; parents?: unknown; author?: unknown };
    if (!Array.isArray(c.changes) || c.changes.length === 0) throw badRequest('Every commit needs at least one change.');
    return {
      comment: typeof c.comment === 'string' ? c.comment : '',
      changes: c.changes.map(parseChange),
      parents: Array.isArray(c.parents) ? c.parents.filter((p): p is string => typeof p === 'string') : undefined,
      author: parseAuthor(c.author),
    };
  });
  return { refName: ref.name, oldObjectId: typeof ref.oldObjectId === 'string' ? ref.oldObjectId : '', commits };
}

/** "main" and "refs/heads/main" name the same branch. */
export const fullBranchName = (name: string): string => (name.startsWith('refs/') ? name : `refs/heads/${name}`);
