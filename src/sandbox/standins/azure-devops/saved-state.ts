/**
 * The Azure DevOps stand-in's state as JSON for its state file, and back. File contents are
 * stored once per distinct blob (base64, by Git blob id): every commit holds a full snapshot of
 * its files, so writing them per commit would grow with the history, not with the content.
 */
import type { AdoState } from './state';
import { sha256 } from './variable-values';
import { blobId, type CommitRecord, type PushRecord } from './git-store';

const FORMAT = 'idp-sandbox-azure-devops/1';
/** Contents are shared between commits and never change: hash each once, not on every save. */
const blobIds = new WeakMap<Buffer, string>();
const idOf = (content: Buffer): string => {
  let id = blobIds.get(content);
  if (!id) blobIds.set(content, (id = blobId(content)));
  return id;
};

interface SavedCommit extends Omit<CommitRecord, 'files'> {
  /** [path, blob id] */
  files: [string, string][];
}

interface SavedRepo {
  id: string;
  name: string;
  projectId: string;
  defaultBranch?: string;
  sequence: number;
  refs: [string, string][];
  commits: SavedCommit[];
  pushes: PushRecord[];
}

export interface SavedAdoState {
  format: typeof FORMAT;
  org: string;
  projects: AdoState['projects'];
  repos: SavedRepo[];
  pullRequests: AdoState['pullRequests'];
  policies: AdoState['policies'];
  definitions: AdoState['definitions'];
  builds: AdoState['builds'];
  environments: AdoState['environments'];
  checks: AdoState['checks'];
  variableGroups: AdoState['variableGroups'];
  /** Absent in files written before the entitlements host existed: nobody is in the organisation then. */
  entitlements?: AdoState['entitlements'];
  /** Absent in files written before service connections were served: the seed's stay. */
  serviceEndpoints?: AdoState['serviceEndpoints'];
  sequences: [string, number][];
  /** blob id -> content, base64 */
  blobs: Record<string, string>;
}

export function saveAdoState(state: AdoState): SavedAdoState {
  const blobs: Record<string, string> = {};
  const repos = state.repos.map((r): SavedRepo => ({
    id: r.id,
    name: r.name,
    projectId: r.projectId,
    ...(r.git.defaultBranch ? { defaultBranch: r.git.defaultBranch } : {}),
    sequence: r.git.sequence,
    refs: [...r.git.refs],
    pushes: r.git.pushes,
    commits: [...r.git.commits.values()].map(({ files, ...commit }) => ({
      ...commit,
      files: [...files].map(([path, content]) => {
        const id = idOf(content);
        blobs[id] ??= content.toString('base64');
        return [path, id];
      }),
    })),
  }));
  return {
    format: FORMAT,
    org: state.org,
    projects: state.projects,
    repos,
    pullRequests: state.pullRequests,
    policies: state.policies,
    definitions: state.definitions,
    builds: state.builds,
    environments: state.environments,
    checks: state.checks,
    variableGroups: state.variableGroups,
    entitlements: state.entitlements,
    serviceEndpoints: state.serviceEndpoints,
    sequences: [...state.sequences],
    blobs,
  };
}

/** Replaces everything `state` holds (the seed included) with what was saved. */
export function restoreAdoState(state: AdoState, raw: unknown): void {
  const saved = raw as SavedAdoState;
  if (saved?.format !== FORMAT) throw new Error(`Not an Azure DevOps stand-in state file (${String(saved?.format)})`);
  if (saved.org.toLowerCase() !== state.org.toLowerCase()) throw new Error(`The saved state is of organisation "${saved.org}", not "${state.org}"`);
  replace(state.projects, saved.projects);
  replace(state.pullRequests, saved.pullRequests);
  replace(state.policies, saved.policies);
  replace(state.definitions, saved.definitions);
  replace(state.builds, saved.builds);
  replace(state.environments, saved.environments);
  replace(state.checks, saved.checks);
  replace(state.variableGroups, saved.variableGroups.map(withoutSecretValues));
  replace(state.entitlements, saved.entitlements ?? []);
  if (saved.serviceEndpoints) replace(state.serviceEndpoints, saved.serviceEndpoints);
  state.sequences.clear();
  for (const [kind, id] of saved.sequences) state.sequences.set(kind, id);

  const contents = new Map(Object.entries(saved.blobs).map(([id, base64]) => [id, Buffer.from(base64, 'base64')]));
  state.repos.length = 0;
  for (const r of saved.repos) {
    const repo = state.createRepo(state.projects.find((p) => p.id === r.projectId)!, r.name, r.id);
    const git = repo.git;
    git.sequence = r.sequence;
    git.defaultBranch = r.defaultBranch;
    for (const [name, id] of r.refs) git.refs.set(name, id);
    git.pushes.push(...r.pushes);
    for (const { files, ...commit } of r.commits) {
      git.commits.set(commit.commitId, { ...commit, files: new Map(files.map(([path, id]) => [path, contents.get(id)!])) });
    }
  }
}

/** Files written before secret values were kept as digests held them in clear: digest them on the way in. */
function withoutSecretValues(group: AdoState['variableGroups'][number]): AdoState['variableGroups'][number] {
  const variables = Object.fromEntries(
    Object.entries(group.variables).map(([name, v]) => {
      if (!v.isSecret || v.value === undefined) return [name, v];
      const { value, ...rest } = v;
      return [name, { ...rest, valueSha256: sha256(value) }];
    }),
  );
  return { ...group, variables };
}

function replace<T>(target: T[], items: T[]): void {
  target.length = 0;
  target.push(...items);
}
