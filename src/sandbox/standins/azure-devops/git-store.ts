/**
 * One Git repository in memory: commits as full file snapshots (copy-on-write per commit), refs,
 * and pushes, with the rules Azure Repos enforces on pushes and ref updates. Object ids are SHA-1
 * like Git's (blob ids are exactly Git's), so they look and compare like the real thing.
 */
import { createHash } from 'node:crypto';
import { AdoError, badRequest } from './errors';

export const ZERO_ID = '0'.repeat(40);
const OBJECT_ID = /^[0-9a-f]{40}$/;

export interface GitUserDate {
  name: string;
  email: string;
  date: string;
}

export type ChangeKind = 'add' | 'edit' | 'delete' | 'rename';

export interface ChangeInput {
  changeType: ChangeKind;
  path: string;
  /** Rename: the path the file moves from. */
  sourcePath?: string;
  content?: Buffer;
}

export interface CommitInput {
  comment: string;
  changes: ChangeInput[];
  parents?: string[];
  author?: GitUserDate;
}

export interface CommitRecord {
  commitId: string;
  treeId: string;
  parents: string[];
  comment: string;
  author: GitUserDate;
  committer: GitUserDate;
  changes: { changeType: ChangeKind; path: string; sourcePath?: string }[];
  files: ReadonlyMap<string, Buffer>;
  pushId?: number;
}

export interface RefUpdate {
  name: string;
  oldObjectId: string;
  newObjectId: string;
}

export interface PushRecord {
  pushId: number;
  date: string;
  commitIds: string[];
  refUpdates: RefUpdate[];
}

export interface TreeEntry {
  path: string;
  isFolder: boolean;
  objectId: string;
  size: number;
}

export type RecursionLevel = 'none' | 'oneLevel' | 'full';
export type RefUpdateStatus = 'succeeded' | 'staleOldObjectId' | 'invalidRefName' | 'unresolvableToCommit';

const sha1 = (data: string | Buffer): string => createHash('sha1').update(data).digest('hex');
export const blobId = (content: Buffer): string => sha1(Buffer.concat([Buffer.from(`blob ${content.length}\0`), content]));

/** "/a//b/" and "a/b" both mean "/a/b"; the root is "/". */
export function normalizePath(path: string): string {
  const parts = path.split('/').filter((p) => p && p !== '.');
  if (parts.includes('..')) throw badRequest(`The path '${path}' is not valid.`);
  return `/${parts.join('/')}`;
}

export const isObjectId = (id: unknown): id is string => typeof id === 'string' && OBJECT_ID.test(id.toLowerCase());

export class GitRepoStore {
  readonly refs = new Map<string, string>();
  readonly commits = new Map<string, CommitRecord>();
  readonly pushes: PushRecord[] = [];
  /** Full ref name; the first branch pushed becomes the default, as in Azure Repos. */
  defaultBranch?: string;
  /** Commits made so far: part of each commit id, so it is saved with the repository. */
  sequence = 0;

  constructor(private readonly identity: GitUserDate) {}

  get isEmpty(): boolean {
    return this.commits.size === 0;
  }

  /** Roughly the pack size the service reports as `size`: distinct blobs plus a little per commit; 0 when empty. */
  get size(): number {
    const blobs = new Map<string, number>();
    for (const c of this.commits.values()) for (const content of c.files.values()) blobs.set(blobId(content), content.length);
    return [...blobs.values()].reduce((a, b) => a + b, 0) + 200 * this.commits.size;
  }

  /** A branch ("main", "refs/heads/main"), tag or commit id to its commit. */
  resolve(version: string | undefined, type: 'branch' | 'tag' | 'commit' = 'branch'): CommitRecord | undefined {
    if (type === 'commit') return version ? this.commits.get(version.toLowerCase()) : undefined;
    const name = version ?? this.defaultBranch;
    if (!name) return undefined;
    const full = name.startsWith('refs/') ? name : `refs/${type === 'tag' ? 'tags' : 'heads'}/${name}`;
    const id = this.refs.get(full);
    return id ? this.commits.get(id) : undefined;
  }

  /** Creates commits on a branch; `oldObjectId` must be the branch's current commit (zeros for a new branch). */
  push(refName: string, oldObjectId: string, commits: CommitInput[], pushedAt = new Date()): PushRecord {
    if (!refName.startsWith('refs/heads/') && !refName.startsWith('refs/tags/')) throw badRequest(`'${refName}' is not a valid name for a Git ref.`);
    if (!isObjectId(oldObjectId)) throw badRequest(`The oldObjectId '${oldObjectId}' of the ref update is not a valid object id.`);
    if (commits.length === 0) throw badRequest('A push must contain at least one commit.');
    const old = oldObjectId.toLowerCase();
    const current = this.refs.get(refName);
    let parent: string | undefined;
    if (current) {
      if (old !== current) throw staleRef(refName);
      parent = current;
    } else if (old !== ZERO_ID) {
      // A new branch may name the commit it starts from as its oldObjectId (the documented way).
      if (!this.commits.has(old)) throw staleRef(refName);
      parent = old;
    }

    const pushId = this.pushes.length + 1;
    const created: CommitRecord[] = [];
    const lookup = (id: string) => this.commits.get(id) ?? created.find((c) => c.commitId === id);
    for (const input of commits) {
      const parentId = input.parents?.[0]?.toLowerCase() ?? parent;
      const parentCommit = parentId ? lookup(parentId) : undefined;
      if (parentId && !parentCommit) throw badRequest(`The parent commit '${parentId}' does not exist.`);
      const record = this.commit(parentCommit, input, pushedAt, pushId);
      created.push(record);
      parent = record.commitId;
    }
    // Validation passed for every commit: only now does the repository change.
    for (const c of created) this.commits.set(c.commitId, c);
    const newObjectId = parent!;
    this.refs.set(refName, newObjectId);
    if (!this.defaultBranch && refName.startsWith('refs/heads/')) this.defaultBranch = refName;
    const push: PushRecord = {
      pushId,
      date: pushedAt.toISOString(),
      commitIds: created.map((c) => c.commitId),
      refUpdates: [{ name: refName, oldObjectId: current ?? ZERO_ID, newObjectId }],
    };
    this.pushes.push(push);
    return push;
  }

  /** Creates, moves or deletes (newObjectId zeros) a ref, if oldObjectId still matches. */
  updateRef(update: RefUpdate): RefUpdateStatus {
    const name = update.name ?? '';
    if (!/^refs\/(heads|tags)\/[^\s~^:?*[\\]+$/.test(name) || name.endsWith('/') || name.includes('..')) return 'invalidRefName';
    if (!isObjectId(update.oldObjectId) || !isObjectId(update.newObjectId)) return 'unresolvableToCommit';
    const oldId = update.oldObjectId.toLowerCase();
    const newId = update.newObjectId.toLowerCase();
    if ((this.refs.get(name) ?? ZERO_ID) !== oldId) return 'staleOldObjectId';
    if (newId === ZERO_ID) {
      this.refs.delete(name);
      return 'succeeded';
    }
    if (!this.commits.has(newId)) return 'unresolvableToCommit';
    this.refs.set(name, newId);
    if (!this.defaultBranch && name.startsWith('refs/heads/')) this.defaultBranch = name;
    return 'succeeded';
  }

  /** The item at scopePath and, for folders, its children to the given depth; undefined if absent. */
  entries(commit: CommitRecord, scopePath: string, level: RecursionLevel): TreeEntry[] | undefined {
    const scope = normalizePath(scopePath);
    const file = commit.files.get(scope);
    if (file) return [{ path: scope, isFolder: false, objectId: blobId(file), size: file.length }];
    const prefix = scope === '/' ? '/' : `${scope}/`;
    const under = [...commit.files.keys()].filter((p) => p.startsWith(prefix));
    if (scope !== '/' && under.length === 0) return undefined;

    const result = new Map<string, TreeEntry>([[scope, this.folderEntry(commit, scope)]]);
    if (level !== 'none') {
      for (const path of under) {
        const segments = path.slice(prefix.length).split('/');
        const depth = level === 'full' ? segments.length : 1;
        for (let i = 1; i <= depth; i++) {
          const child = prefix + segments.slice(0, i).join('/');
          if (result.has(child)) continue;
          const content = commit.files.get(child);
          result.set(child, content ? { path: child, isFolder: false, objectId: blobId(content), size: content.length } : this.folderEntry(commit, child));
        }
      }
    }
    // Code-point order, as Git sorts paths.
    return [...result.values()].sort((a, b) => (a.path === scope ? -1 : b.path === scope ? 1 : a.path < b.path ? -1 : 1));
  }

  private folderEntry(commit: CommitRecord, folder: string): TreeEntry {
    const prefix = folder === '/' ? '/' : `${folder}/`;
    const listing = [...commit.files.entries()]
      .filter(([p]) => p.startsWith(prefix))
      .map(([p, c]) => `${p} ${blobId(c)}`)
      .sort()
      .join('\n');
    return { path: folder, isFolder: true, objectId: sha1(`tree ${folder}\n${listing}`), size: 0 };
  }

  private commit(parent: CommitRecord | undefined, input: CommitInput, at: Date, pushId: number): CommitRecord {
    if (input.changes.length === 0) throw badRequest('A commit must contain at least one change.');
    const files = new Map(parent?.files ?? []);
    const changes: CommitRecord['changes'] = [];
    for (const change of input.changes) {
      const path = normalizePath(change.path);
      if (path === '/') throw badRequest('The path of a change cannot be the repository root.');
      const isFolder = [...files.keys()].some((p) => p.startsWith(`${path}/`));
      switch (change.changeType) {
        case 'add':
          if (files.has(path) || isFolder) throw badRequest(`The path '${path}' specified in the add operation already exists. Please specify a new path.`);
          if (ancestorIsFile(files, path)) throw badRequest(`The path '${path}' is below a file.`);
          files.set(path, change.content ?? Buffer.alloc(0));
          break;
        case 'edit':
          if (!files.has(path)) throw badRequest(`The path '${path}' specified in the edit operation does not exist.`);
          files.set(path, change.content ?? Buffer.alloc(0));
          break;
        case 'delete':
          if (!files.has(path)) throw badRequest(`The path '${path}' specified in the delete operation does not exist.`);
          files.delete(path);
          break;
        case 'rename': {
          const source = normalizePath(change.sourcePath ?? '');
          const content = files.get(source);
          if (!content) throw badRequest(`The source path '${source}' of the rename does not exist.`);
          if (files.has(path)) throw badRequest(`The path '${path}' specified in the rename operation already exists.`);
          files.delete(source);
          files.set(path, content);
          break;
        }
      }
      changes.push({ changeType: change.changeType, path, ...(change.sourcePath ? { sourcePath: normalizePath(change.sourcePath) } : {}) });
    }
    const treeId = sha1(`tree\n${[...files.entries()].map(([p, c]) => `${p} ${blobId(c)}`).sort().join('\n')}`);
    const author = input.author ?? { ...this.identity, date: at.toISOString() };
    const committer = { ...this.identity, date: at.toISOString() };
    const parents = parent ? [parent.commitId] : [];
    this.sequence += 1;
    const commitId = sha1(`commit\ntree ${treeId}\nparent ${parents.join(' ')}\nauthor ${author.email} ${author.date}\nseq ${this.sequence}\n\n${input.comment}`);
    return { commitId, treeId, parents, comment: input.comment, author, committer, changes, files, pushId };
  }
}

const staleRef = (refName: string): AdoError =>
  new AdoError(
    409,
    'GitReferenceStaleException',
    `TF401028: The reference '${refName}' has already been updated by another client, so you cannot update it. Please try again.`,
  );

function ancestorIsFile(files: Map<string, Buffer>, path: string): boolean {
  const parts = path.split('/').slice(1, -1);
  return parts.some((_, i) => files.has(`/${parts.slice(0, i + 1).join('/')}`));
}
