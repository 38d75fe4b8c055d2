import type { CatalogEntity, CatalogEntityInput, Deployment, EntityStatus, ImportNote, ImportProblem, OnCall } from './catalog.types';

export interface ApplyLocationResult {
  created: number;
  updated: number;
  unchanged: number;
  orphaned: number;
  /** Entities this location declares that another location already holds (one entity, one location). */
  conflicts?: EntityConflict[];
}

export interface EntityConflict {
  ref: string;
  /** The location that holds the entity. */
  heldBy: string;
}

/** One location's content for `applyLocations`. */
export interface LocationBatch {
  location: string;
  entities: CatalogEntityInput[];
  /**
   * Refs of entities the location still declares but that failed validation this time: their
   * stored version is kept rather than orphaned, so one typo does not make a service vanish.
   */
  retain?: string[];
  /** Orphan nothing this time: part of the source could not be read, so absence proves nothing. */
  keepAbsent?: boolean;
  /** Hash of the location's source text (+ parser version): lets the next import skip an unchanged file. */
  fingerprint?: string;
  /** Problems found while reading it, kept with the fingerprint so a skipped file still reports them. */
  problems?: ImportProblem[];
  /** Notes (not problems) found while reading it, kept for the same reason. */
  notes?: ImportNote[];
  /** Other locations this one points to (Location entities), kept for the same reason. */
  follows?: string[];
}

/** What the store remembers about a location between imports. */
export interface StoredLocation {
  location: string;
  fingerprint?: string;
  problems: ImportProblem[];
  /** Absent in what older versions stored. */
  notes?: ImportNote[];
  follows: string[];
  /** Active entities held by the location after its last import. */
  entityCount: number;
}

/** A stored entity as the index reads it: without the import's bookkeeping (location, source hash, write time). */
export type IndexedEntity = Omit<CatalogEntity, 'location' | 'sourceHash' | 'updatedAt'>;

/** An entity as streamAll gives it: `location` only when asked for (the index does not keep it). */
export type LocatedEntity = IndexedEntity & { location?: string };

export interface StreamOptions {
  /** Also read each entity's location (the catalog health needs it; the index does not). */
  withLocation?: boolean;
}

/** The catalog's persistence. Writes are bulk and idempotent; reads feed the in-memory index. */
export interface CatalogStore {
  /**
   * Makes the stored entities of `location` match `entities`: new ones created, changed ones
   * (different sourceHash) updated, unchanged ones untouched (no write), entities of that location
   * that are absent marked orphaned (never deleted). Deployments and on-call set from outside survive.
   */
  applyLocation(location: string, entities: CatalogEntityInput[]): Promise<ApplyLocationResult>;
  /**
   * `applyLocation` for several locations at once (one read of what is stored for all of them),
   * results in the same order. An entity declared by two locations stays with the one holding it
   * (reported in `conflicts`) unless that location no longer declares it or it is orphaned.
   */
  applyLocations(batches: LocationBatch[]): Promise<ApplyLocationResult[]>;
  /** What the store remembers about these locations, in the order asked (unknown ones left out). */
  getLocations(locations: string[]): Promise<StoredLocation[]>;
  /** Locations starting with `prefix` that hold active entities (finds the ones that disappeared). */
  listLocations(prefix: string): Promise<string[]>;
  get(ref: string): Promise<CatalogEntity | null>;
  /** The entities found, in the order of `refs` (missing ones left out). */
  getMany(refs: string[]): Promise<CatalogEntity[]>;
  /**
   * Entities with revision > `revision`, in revision order, in pages (the index's incremental refresh).
   * Revisions are reserved before the write, so two concurrent writers may commit out of order:
   * a reader that wants every change re-reads a small overlap or resyncs now and then.
   */
  changedSince(revision: number, limit: number): Promise<CatalogEntity[]>;
  /**
   * Every stored entity (active and orphaned) once, in no particular order, in batches of at most
   * `batchSize`, read in one pass (one query, not one per page): the index's initial build. Batches
   * are the caller's to keep or drop. An entity written during the pass may come in either version,
   * or not at all if created during it: read `currentRevision()` before, then catch up with
   * `changedSince`. Optional: without it the index pages through `changedSince(0)`.
   */
  streamAll?(batchSize: number, options?: StreamOptions): AsyncIterable<LocatedEntity[]>;
  /** Highest revision handed out (0 when empty): a cheap "did anything change?" probe. */
  currentRevision(): Promise<number>;
  /** Keeps the latest deployment per environment (an older one than stored is ignored). Null: no such entity. */
  recordDeployment(ref: string, deployment: Deployment): Promise<CatalogEntity | null>;
  /**
   * Who is on call, recorded from outside: wins over the descriptor's `idp.dev/oncall-*` annotations
   * (rotation and escalation only when given) and survives re-imports. Null: no such entity.
   */
  setOnCall(ref: string, onCall: OnCall): Promise<CatalogEntity | null>;
  count(filter?: { status?: EntityStatus }): Promise<number>;
}
