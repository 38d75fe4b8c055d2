/**
 * The diff behind `CatalogStore.applyLocations`, pure so the Mongo adapter and the in-memory fake
 * decide the same way: given what is stored for a set of locations and what they now declare,
 * which entities to create, update, orphan or leave alone, and which declarations conflict.
 */
import type { EntityConflict, LocationBatch } from './catalog-store.port';
import type { CatalogEntityInput, EntityStatus } from './catalog.types';

/** The part of a stored entity the diff needs (what the store reads with one projected query). */
export interface StoredEntityState {
  ref: string;
  location: string;
  sourceHash: string;
  status: EntityStatus;
  revision: number;
}

export interface LocationPlan {
  location: string;
  /** Not stored under any location of the call: insert (the store may still hold it elsewhere, see resolveCollision). */
  creates: CatalogEntityInput[];
  /** Changed, un-orphaned, or moved between two locations of the call. */
  updates: { input: CatalogEntityInput; previous: StoredEntityState }[];
  orphans: StoredEntityState[];
  unchanged: number;
  conflicts: EntityConflict[];
}

export function planLocations(batches: LocationBatch[], stored: StoredEntityState[]): LocationPlan[] {
  const seen = new Set<string>();
  for (const b of batches) {
    if (seen.has(b.location)) throw new Error(`Location "${b.location}" appears twice in one applyLocations call`);
    seen.add(b.location);
  }
  const storedByRef = new Map(stored.map((s) => [s.ref, s]));
  const declared = batches.map((b) => firstByRef(b.entities));
  const owner = owners(batches, declared, storedByRef);

  return batches.map((batch, i) => {
    const plan: LocationPlan = { location: batch.location, creates: [], updates: [], orphans: [], unchanged: 0, conflicts: [] };
    for (const input of declared[i]!.values()) {
      const held = owner.get(input.ref)!;
      if (held !== i) {
        plan.conflicts.push({ ref: input.ref, heldBy: batches[held]!.location });
        continue;
      }
      const previous = storedByRef.get(input.ref);
      if (!previous) plan.creates.push(input);
      else if (isUnchanged(previous, input, batch.location)) plan.unchanged++;
      else plan.updates.push({ input, previous });
    }
    const retain = new Set(batch.retain ?? []);
    for (const s of batch.keepAbsent ? [] : stored) {
      if (s.location !== batch.location || s.status !== 'active' || retain.has(s.ref)) continue;
      // Still declared here, or taken over by another location of this call: not an orphan.
      if (!owner.has(s.ref)) plan.orphans.push(s);
    }
    return plan;
  });
}

export type CollisionOutcome = 'update' | 'unchanged' | 'conflict';

/**
 * An entity the plan meant to create already exists under `existing.location` (outside the call,
 * or inserted meanwhile by a concurrent import). An orphan is taken over; the same content declared
 * twice is left alone (two sources agreeing is not a conflict); anything else stays where it is.
 */
export function resolveCollision(input: CatalogEntityInput, location: string, existing: StoredEntityState): CollisionOutcome {
  if (existing.location === location) return isUnchanged(existing, input, location) ? 'unchanged' : 'update';
  if (existing.status === 'orphaned') return 'update';
  return existing.sourceHash === input.sourceHash ? 'unchanged' : 'conflict';
}

const isUnchanged = (s: StoredEntityState, input: CatalogEntityInput, location: string): boolean =>
  s.location === location && s.status === 'active' && s.sourceHash === input.sourceHash;

function firstByRef(entities: CatalogEntityInput[]): Map<string, CatalogEntityInput> {
  const byRef = new Map<string, CatalogEntityInput>();
  for (const e of entities) if (!byRef.has(e.ref)) byRef.set(e.ref, e);
  return byRef;
}

/** Which batch holds each declared ref: the location storing it if it still declares it, else the first declaring it. */
function owners(batches: LocationBatch[], declared: Map<string, CatalogEntityInput>[], storedByRef: Map<string, StoredEntityState>): Map<string, number> {
  const indexOf = new Map(batches.map((b, i) => [b.location, i]));
  const owner = new Map<string, number>();
  declared.forEach((refs, i) => {
    for (const ref of refs.keys()) {
      if (owner.has(ref)) continue;
      const holder = indexOf.get(storedByRef.get(ref)?.location ?? '');
      owner.set(ref, holder !== undefined && declared[holder]!.has(ref) ? holder : i);
    }
  });
  return owner;
}
