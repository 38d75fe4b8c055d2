/**
 * The catalog search this replica answers from: "who owns X", compose-box search, link unfurling
 * and team suggestions read it; the chat edge starts, refreshes and flushes it. Matching follows
 * the domain's rules (CatalogMatcher); how entities are held is the implementation's business
 * (src/adapters/catalog-index: in memory, from the catalog store, restored from snapshots).
 */
import type { CatalogEntry, EntityView } from './catalog-entry';
import type { Lookup } from './catalog-matcher';
import type { EntityKind, RelationType } from './catalog.types';

export type { Lookup } from './catalog-matcher';

/** A search result: enough for a message-extension preview. */
export interface CatalogSummary {
  ref: string;
  kind: EntityKind;
  name: string;
  title?: string;
  description?: string;
  type?: string;
  owner?: string;
  ownerName?: string;
  tier?: string;
  lifecycle?: string;
  score: number;
  matchedBy: string;
}

/** What a start, build or refresh did. */
export interface IndexUpdate {
  /** Entities read from the store. */
  read: number;
  /** Active entities held afterwards. */
  size: number;
  revision: number;
  rebuilt: boolean;
  /** start(): it came from a snapshot (then topped up from the store). */
  restored?: boolean;
  ms: number;
}

export interface CatalogSearch {
  /** Highest catalog store revision applied: answers may change whenever it moves. */
  readonly revision: number;
  /** Active entities held. */
  readonly size: number;
  /** False until the first start()/build() finished: only exact refs can be answered then (entityFromStore). */
  readonly isBuilt: boolean;

  /** The first load of this replica (from a snapshot when there is a usable one, else a full build). */
  start(): Promise<IndexUpdate>;
  /** Reads everything again (a periodic resync, or a store that went backwards). */
  build(): Promise<IndexUpdate>;
  /** Applies what changed in the store since the last build/refresh. */
  refresh(): Promise<IndexUpdate>;
  /** The store's current revision (cheap): whether a refresh() would find anything. */
  storeRevision(): Promise<number>;
  /** Finishes work still waiting (a snapshot save): before the store closes. */
  flush(): Promise<void>;

  /** Free text -> one entity, "did you mean" candidates, or none with suggestions. */
  lookup(text: string): Lookup;
  /** Ranked entries for a compose-box search. */
  search(text: string, limit?: number): CatalogSummary[];
  /** The entity a repository or link URL belongs to, when exactly one does (link unfurling). */
  findByUrl(url: string): { ref: string; matchedBy: string } | undefined;
  /** The entry of a ref the search holds (what previews and relation summaries read). */
  get(ref: string): CatalogEntry | undefined;
  /** The whole entity, for an answer card. */
  view(ref: string): EntityView | undefined;
  /**
   * Refs R with "ref type R", declared by either end (A dependsOn B = B dependencyOf A); sorted.
   * Kept for dependencies, APIs, ownership (`ownerOf`: what X owns), membership (`hasMember`,
   * `memberOf`) and the group tree (`parentOf`, `childOf`). A ref the search does not hold still
   * has what others declare about it: an owner that is not in the catalog owns what names it.
   */
  related(ref: string, type: RelationType): string[];
  /** An active entity read from the store: a ref the search does not hold yet (imported since, or before the first build). */
  entityFromStore(ref: string): Promise<EntityView | undefined>;
}
