/**
 * An entity as the catalog search hands it out, in two parts: CatalogEntry, the fields matching,
 * search previews and relation summaries read on every question, and EntityDetails, what only an
 * answer card shows. EntityView joins both: the card-ready entity.
 */
import type { ApiDefinitionRef, Deployment, EntityKind, EntityLink, EntityRelation, OnCall } from './catalog.types';

export interface CatalogEntry {
  readonly ref: string;
  readonly kind: EntityKind;
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  /** spec.type: service, website, library, openapi, database, team... */
  readonly type?: string;
  readonly owner?: string;
  readonly system?: string;
  readonly domain?: string;
  readonly tier?: string;
  readonly lifecycle?: string;
  readonly tags: readonly string[];
  readonly aliases: readonly string[];
  /** Group/User display name (profile.displayName). */
  readonly displayName?: string;
  readonly repository?: { readonly project: string; readonly name: string };
  readonly pipelines: readonly string[];
  readonly secretPrefix?: string;
  readonly revision: number;
}

export interface EntityDetails {
  /** Relations this entity declares (dependencies, APIs); inverses are the search's business. */
  relations: EntityRelation[];
  contacts: { teamsChannelUrl?: string; email?: string };
  onCall?: OnCall;
  /** Latest deployment per environment, sorted by environment. */
  deployments: Deployment[];
  links: EntityLink[];
  profile?: { displayName?: string; email?: string; aadObjectId?: string };
  /** Group members / User groups (refs). */
  members: string[];
  repositoryUrl?: string;
  /** API: where its definition is (inline, a file read at import, or a URL the card links). */
  definition?: ApiDefinitionRef;
}

/** The whole entity as an answer card shows it. */
export type EntityView = CatalogEntry & EntityDetails;

/** What a person reads for an entity: its title, a Group/User display name, or its name. */
export const displayName = (r: Pick<CatalogEntry, 'name' | 'title' | 'displayName'>): string => r.title ?? r.displayName ?? r.name;
