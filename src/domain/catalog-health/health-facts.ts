/**
 * The facts from outside a run needs, gathered once: the Entra members of every owner group that
 * has an Entra id (one Graph call per group), and the last commit of every distinct descriptor
 * file read from Azure DevOps (one call per file), both with bounded concurrency. A failing call
 * is kept as a `{ failed: code }` fact for that group or file; it never fails the run.
 */
import type { Directory } from '../access/directory.port';
import { mapWithConcurrency } from '../catalog/bounded-concurrency';
import { isDomainError } from '../domain-error';
import type { SourceControl } from '../repos/source-control.port';
import type { EntraMember, Fact, HealthFacts } from './health-context';
import type { HealthEntity } from './health-entity';

export interface FactSources {
  directory?: Pick<Directory, 'membersOf'>;
  sourceControl?: Pick<SourceControl, 'lastCommit'>;
  concurrency: number;
  signal?: AbortSignal;
}

export interface GatheredFacts extends HealthFacts {
  /** Calls made and calls failed per source, for the run's log and its "not evaluated" notes. */
  calls: { graph: number; graphFailed: number; devOps: number; devOpsFailed: number };
}

const codeOf = (e: unknown): string => (isDomainError(e) ? e.code : e instanceof Error ? e.name : 'UNKNOWN');

async function fact<T>(signal: AbortSignal | undefined, read: () => Promise<T>): Promise<Fact<T>> {
  signal?.throwIfAborted();
  try {
    return { ok: await read() };
  } catch (e) {
    signal?.throwIfAborted();
    return { failed: codeOf(e) };
  }
}

export async function gatherFacts(
  entities: ReadonlyMap<string, HealthEntity>,
  needs: { groups: boolean; commits: boolean },
  sources: FactSources,
): Promise<GatheredFacts> {
  const groupIds = new Set<string>();
  const files = new Map<string, { project: string; repository: string; path: string }>();
  for (const e of entities.values()) {
    if (e.status !== 'active' || !e.checked) continue;
    if (needs.groups && sources.directory && e.owner) {
      const owner = entities.get(e.owner);
      if (owner?.status === 'active' && owner.aadObjectId && owner.kindKey === 'group') groupIds.add(owner.aadObjectId);
    }
    if (needs.commits && sources.sourceControl) {
      if (e.descriptor) files.set(e.descriptor.key, e.descriptor);
    }
  }

  const { directory, sourceControl, concurrency, signal } = sources;
  const ids = [...groupIds];
  const members = directory
    ? await mapWithConcurrency(ids, concurrency, (id) => fact(signal, async () => (await directory.membersOf(id)).map((u): EntraMember => ({ id: u.id, accountEnabled: u.accountEnabled }))))
    : [];
  const keys = [...files.keys()];
  const commits = sourceControl
    ? await mapWithConcurrency(keys, concurrency, (key) =>
        fact(signal, async () => {
          const f = files.get(key)!;
          const last = await sourceControl.lastCommit(f.project, f.repository, f.path);
          return last ? { date: last.date } : null;
        }),
      )
    : [];
  return {
    entraMembers: new Map(ids.map((id, i) => [id, members[i]!])),
    commits: new Map(keys.map((key, i) => [key, commits[i]!])),
    calls: {
      graph: members.length,
      graphFailed: members.filter((m) => 'failed' in m).length,
      devOps: commits.length,
      devOpsFailed: commits.filter((c) => 'failed' in c).length,
    },
  };
}
