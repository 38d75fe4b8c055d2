import type { CatalogEntity, CatalogEntityInput, Deployment, EntityStatus, OnCall } from './catalog.types';

export interface ApplyLocationResult {
  created: number;
  updated: number;
  unchanged: number;
  orphaned: number;
}

/** The catalog's persistence. Writes are bulk and idempotent; reads feed the in-memory index. */
export interface CatalogStore {
  /**
   * Makes the stored entities of `location` match `entities`: new ones created, changed ones
   * (different sourceHash) updated, unchanged ones untouched (no write), entities of that location
   * that are absent marked orphaned (never deleted). Deployments and on-call set from outside survive.
   */
  applyLocation(location: string, entities: CatalogEntityInput[]): Promise<ApplyLocationResult>;
  get(ref: string): Promise<CatalogEntity | null>;
  getMany(refs: string[]): Promise<CatalogEntity[]>;
  /** Entities with revision > `revision`, in revision order, in pages (the index's incremental refresh). */
  changedSince(revision: number, limit: number): Promise<CatalogEntity[]>;
  /** Highest revision in the store (0 when empty): a cheap "did anything change?" probe. */
  currentRevision(): Promise<number>;
  recordDeployment(ref: string, deployment: Deployment): Promise<CatalogEntity | null>;
  setOnCall(ref: string, onCall: OnCall): Promise<CatalogEntity | null>;
  count(filter?: { status?: EntityStatus }): Promise<number>;
}
