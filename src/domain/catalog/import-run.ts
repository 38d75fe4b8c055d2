/**
 * One import pass over a set of locations, whatever they are read from (files, Azure DevOps):
 * read a chunk of locations, skip the ones whose text has not changed since the last import
 * (fingerprint kept by the store), parse the others, follow Location entities, apply the chunk
 * to the store in one call, and write one audit record per location that changed.
 * Orphaning as Backstage does it: a location that a Location entity pointed to last time (the
 * store remembers each location's `follows`) and that nothing read this time points to any more
 * (target removed, target file deleted, the Location's own file gone) has its entities orphaned,
 * and so has what only it pointed to. A location still reached from any root of the run is kept.
 */
import type { AuditLog } from '../audit/audit.port';
import type { CatalogStore, LocationBatch } from './catalog-store.port';
import type { ImportNote, ImportProblem, ImportResult } from './catalog.types';
import { sha256 } from './canonical-hash';
import { PARSER_VERSION, parseDescriptors, type ParseOptions } from './descriptor-parser';
import { mayHavePlaceholders, placeholderFingerprint, placeholderTargetsOf, type PlaceholderTargets } from './descriptor-placeholders';
import { splitRef } from './entity-refs';

export const IMPORT_ACTOR = 'system:catalog-import';

/**
 * A location's content: text (Azure DevOps) or a file's bytes, which stay bytes (outside the JS
 * heap) unless they changed: a re-import of 100k unchanged entities then hashes ~120 MB of files
 * without making ~120 MB of strings.
 */
export type LocationRead = { location: string; content: string | Buffer } | { location: string; absent: true } | { location: string; error: string };

/** How one kind of location is read. */
export interface LocationReader {
  read(locations: string[]): Promise<LocationRead[]>;
  /** Locations that a Location entity's targets in `from` point to, and why some cannot be followed. */
  follow(from: string, targets: string[]): Promise<{ locations: string[]; problems: string[] }>;
  parseOptions(location: string): ParseOptions;
  /**
   * Reads the `$text`/`$json`/`$yaml` targets of the descriptor at `from` (paths relative to it,
   * URLs only from hosts the reader may fetch from; any other URL is a reference). Without it,
   * every target is unread.
   */
  readPlaceholders?(from: string, targets: string[]): Promise<PlaceholderTargets>;
}

export interface ImportRunDeps {
  store: CatalogStore;
  audit: AuditLog;
}

export interface ImportRun {
  results: ImportResult[];
  /** Every location read (or tried): the ones under the same roots that were not are gone. */
  visited: Set<string>;
}

/** Stops the run between chunks (the job lost its lease, or the process is stopping). */
export interface RunControl {
  signal?: AbortSignal;
}

export interface ImportLimits {
  /** Locations read (and their stored state looked up) at once. */
  chunkSize: number;
  /** Parsed entities held before they are written: bounds memory on a first import of big files. */
  maxPendingEntities: number;
}

export async function runImport(deps: ImportRunDeps, reader: LocationReader, roots: string[], limits: ImportLimits, control: RunControl = {}): Promise<ImportRun> {
  const results: ImportResult[] = [];
  const visited = new Set<string>();
  const followed = new Set<string>();
  /** Locations a Location entity read this time pointed to last time but no longer does. */
  const dropped = new Set<string>();
  const queue = [...new Set(roots)];
  while (queue.length) {
    control.signal?.throwIfAborted();
    // Two Locations pointing at one file put it in the queue twice: read it once.
    const chunk = [...new Set(queue.splice(0, limits.chunkSize))].filter((l) => !visited.has(l));
    chunk.forEach((l) => visited.add(l));
    if (!chunk.length) continue;
    const [reads, storedList] = await Promise.all([reader.read(chunk), deps.store.getLocations(chunk)]);
    const stored = new Map(storedList.map((s) => [s.location, s]));
    const batches: LocationBatch[] = [];
    let pending = 0;
    const next: string[] = [];
    for (const read of reads) {
      const { location } = read;
      const previous = stored.get(location);
      if ('error' in read) {
        results.push(emptyResult(location, [{ location, reason: `cannot be read: ${read.error}` }])); // what is stored stays as it is
        // ...and so does what it pointed to: unread is not gone.
        previous?.follows.forEach((l) => followed.add(l));
        next.push(...(previous?.follows ?? []));
        continue;
      }
      if ('absent' in read) {
        const problems = followed.has(location) ? [{ location, reason: 'Location target not found' }] : [];
        previous?.follows.forEach((l) => dropped.add(l));
        // The descriptor went away: its entities are orphaned, and it points nowhere any more.
        if (previous && (previous.entityCount > 0 || previous.follows.length)) batches.push({ location, entities: [], problems });
        else if (problems.length) results.push(emptyResult(location, problems));
        continue;
      }
      const options = reader.parseOptions(location);
      // Placeholder targets are read before the fingerprint check: their contents are part of it.
      const placeholders = reader.readPlaceholders && mayHavePlaceholders(read.content) ? await readTargets(reader, location, read.content) : undefined;
      // Text and its UTF-8 bytes hash the same, so a file's fingerprint does not depend on how it was read.
      const fingerprint = sha256(`${PARSER_VERSION}\n${JSON.stringify(options)}\n`, read.content, placeholderFingerprint(placeholders));
      if (previous?.fingerprint === fingerprint) {
        // Same text (and targets) as last time, and the store still holds what it declared: nothing to parse or write.
        results.push({ ...emptyResult(location, previous.problems, previous.notes), unchanged: previous.entityCount });
        previous.follows.forEach((l) => followed.add(l));
        next.push(...previous.follows);
        continue;
      }
      const parsed = await parseDescriptors(textOf(read.content), location, { ...options, ...(placeholders ? { placeholders } : {}) });
      const follow = parsed.locationTargets.length ? await reader.follow(location, parsed.locationTargets) : { locations: [], problems: [] };
      if (parsed.unidentifiedProblems) follow.locations = [...new Set([...follow.locations, ...(previous?.follows ?? [])])]; // part unread: keep what it pointed to
      const now = new Set(follow.locations);
      previous?.follows.forEach((l) => now.has(l) || dropped.add(l));
      follow.locations.forEach((l) => followed.add(l));
      next.push(...follow.locations);
      batches.push({
        location,
        entities: parsed.entities,
        retain: parsed.rejectedRefs,
        keepAbsent: parsed.unidentifiedProblems,
        fingerprint,
        problems: [...parsed.problems, ...follow.problems.map((reason) => ({ location, reason }))],
        notes: parsed.notes,
        follows: follow.locations,
      });
      pending += parsed.entities.length;
      if (pending >= limits.maxPendingEntities) {
        results.push(...(await applyAndAudit(deps, batches.splice(0))));
        pending = 0;
      }
    }
    results.push(...(await applyAndAudit(deps, batches)));
    queue.push(...next.filter((l) => !visited.has(l)));
  }
  control.signal?.throwIfAborted();
  results.push(...(await orphanUnreached(deps, [...dropped], visited, limits)));
  return { results, visited };
}

/**
 * The locations no longer pointed to, and what only they pointed to (their stored `follows`),
 * unless this run read them: their entities are orphaned and their follows forgotten (no
 * fingerprint either, so a target added back is read and its entities come back).
 */
async function orphanUnreached(deps: ImportRunDeps, dropped: string[], visited: Set<string>, limits: ImportLimits): Promise<ImportResult[]> {
  const seen = new Set(dropped.filter((l) => !visited.has(l)));
  const queue = [...seen];
  const results: ImportResult[] = [];
  while (queue.length) {
    const stored = await deps.store.getLocations(queue.splice(0, limits.chunkSize));
    for (const s of stored) {
      for (const l of s.follows) {
        if (visited.has(l) || seen.has(l)) continue;
        seen.add(l);
        queue.push(l);
      }
    }
    results.push(...(await applyAndAudit(deps, stored.map((s) => ({ location: s.location, entities: [] })))));
  }
  return results;
}

/** Applies the batches in one store call; conflicts become problems; one audit record per location that changed. */
export async function applyAndAudit(deps: ImportRunDeps, batches: LocationBatch[]): Promise<ImportResult[]> {
  if (!batches.length) return [];
  const applied = await deps.store.applyLocations(batches);
  const results = batches.map((batch, i): ImportResult => {
    const { created, updated, unchanged, orphaned, conflicts = [] } = applied[i]!;
    const conflictProblems = conflicts.map((c) => ({
      location: batch.location,
      entity: splitRef(c.ref)?.name ?? c.ref,
      reason: `${c.ref} is already defined in ${c.heldBy} (an entity belongs to one location; remove one of the two)`,
    }));
    return { location: batch.location, created, updated, unchanged, orphaned, problems: [...(batch.problems ?? []), ...conflictProblems], notes: batch.notes ?? [] };
  });
  for (const r of results) {
    if (!r.created && !r.updated && !r.orphaned) continue;
    await deps.audit.record({
      actor: IMPORT_ACTOR,
      action: 'catalog.import',
      target: r.location,
      result: 'success',
      details: { created: r.created, updated: r.updated, orphaned: r.orphaned, unchanged: r.unchanged, problems: r.problems.length },
    });
  }
  return results;
}

export const emptyResult = (location: string, problems: ImportProblem[] = [], notes: ImportNote[] = []): ImportResult => ({ location, created: 0, updated: 0, unchanged: 0, orphaned: 0, problems, notes });

async function readTargets(reader: LocationReader, location: string, content: string | Buffer): Promise<PlaceholderTargets | undefined> {
  const targets = placeholderTargetsOf(textOf(content));
  return targets.length ? reader.readPlaceholders!(location, targets) : undefined;
}

/** The text of a location's content (a leading byte-order mark dropped). */
const textOf = (content: string | Buffer): string => (typeof content === 'string' ? content : content.toString('utf8')).replace(/^\uFEFF/, '');
