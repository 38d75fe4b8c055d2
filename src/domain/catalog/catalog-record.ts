/**
 * The in-memory copy of an entity, in two parts sized for 100k entities in the bot's memory budget:
 *  - CatalogRecord, the "hot" fields matching, search previews and relation walks read on every
 *    question (kept as bytes in a RecordTable, decoded when a question touches them);
 *  - EntityDetails, the "cold" fields only an answer card shows (declared relations, contacts,
 *    on-call, deployments, links, profile, members), one compact string per entity (DetailsCodec:
 *    ~45 MB instead of ~160 MB as objects), decoded for the entity being answered.
 * `toView` joins both into EntityView, the card-ready entity the query service hands out.
 */
import { packRelations, relationIndex } from './catalog-relations';
import type { IndexedEntity } from './catalog-store.port';
import type { DetailsCodec, EntityDetails } from './details-codec';
import type { Deployment, EntityKind, EntityRelation } from './catalog.types';

export type { EntityDetails } from './details-codec';

export interface CatalogRecord {
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
  /** Relations answers walk, flat: [type, target, type, target, ...] (no object per edge). */
  /** Declared graph relations, compact (packRelations: one number per edge; the targets are in the details). */
  readonly relations: readonly number[];
  readonly revision: number;
  /** Its EntityDetails, encoded by the index's DetailsCodec. */
  readonly details: string;
}

/** The whole entity as an answer card shows it. */
export type EntityView = Omit<CatalogRecord, 'relations' | 'details'> & EntityDetails;

const EMPTY: readonly never[] = Object.freeze([]);
const list = <T>(xs: readonly T[] | undefined): readonly T[] => (xs && xs.length ? xs : EMPTY);

export function toRecord(e: IndexedEntity, codec: DetailsCodec): CatalogRecord {
  const relations = graphRelations(e.relations);
  const repository = e.source.repository;
  const details = codec.encode({
    relations,
    contacts: e.contacts,
    onCall: e.onCall,
    deployments: latestPerEnvironment(e.deployments),
    links: e.links,
    profile: e.profile,
    members: e.members,
    repositoryUrl: repository?.url,
  }, e.name);
  return fromRow([
    e.ref, e.kind, e.name, e.title || null, e.description || null, e.type ?? null, e.owner ?? null, e.system ?? null,
    e.domain ?? null, e.tier ?? null, e.lifecycle ?? null, e.tags, e.aliases ?? EMPTY, e.profile?.displayName ?? null,
    repository?.project ?? null, repository?.name ?? null, e.source.pipelines ?? EMPTY, e.source.secretPrefix ?? null,
    relations.length ? packRelations(relations) : EMPTY, e.revision, details,
  ]);
}

/** A record as one JSON-friendly row (index snapshots): fixed positions, null for absent. */
export type RecordRow = [
  ref: string, kind: EntityKind, name: string, title: string | null, description: string | null, type: string | null,
  owner: string | null, system: string | null, domain: string | null, tier: string | null, lifecycle: string | null,
  tags: readonly string[], aliases: readonly string[], displayName: string | null, repoProject: string | null,
  repoName: string | null, pipelines: readonly string[], secretPrefix: string | null, relations: readonly number[],
  revision: number, details: string,
];

export function toRow(r: CatalogRecord): RecordRow {
  return [
    r.ref, r.kind, r.name, r.title ?? null, r.description ?? null, r.type ?? null, r.owner ?? null, r.system ?? null,
    r.domain ?? null, r.tier ?? null, r.lifecycle ?? null, r.tags, r.aliases, r.displayName ?? null,
    r.repository?.project ?? null, r.repository?.name ?? null, r.pipelines, r.secretPrefix ?? null, r.relations,
    r.revision, r.details,
  ];
}

/** A record from its row: the one place a CatalogRecord is made (from an entity by toRecord, from the RecordTable's bytes), so every record has one shape. */
export function fromRow(row: RecordRow): CatalogRecord {
  const [ref, kind, name, title, description, type, owner, system, domain, tier, lifecycle, tags, aliases, displayName, repoProject, repoName, pipelines, secretPrefix, relations, revision, details] = row;
  const opt = (s: string | null) => s ?? undefined;
  return {
    ref,
    kind,
    name,
    title: title ?? undefined,
    description: description ?? undefined,
    type: opt(type),
    owner: opt(owner),
    system: opt(system),
    domain: opt(domain),
    tier: opt(tier),
    lifecycle: opt(lifecycle),
    tags: list(tags),
    aliases: list(aliases),
    displayName: displayName ?? undefined,
    repository: repoProject !== null ? { project: repoProject, name: repoName as string } : undefined,
    pipelines: list(pipelines),
    secretPrefix: opt(secretPrefix),
    relations: list(relations),
    revision,
    details,
  };
}

export const detailsOf = (r: CatalogRecord, codec: DetailsCodec): EntityDetails => codec.decode(r.details, r.name);

export function toView(r: CatalogRecord, codec: DetailsCodec): EntityView {
  const { details: _encoded, relations: _packed, ...hot } = r;
  return { ...hot, ...detailsOf(r, codec) };
}

/** The declared relations the index keeps (dependencies and APIs). */
export const graphRelations = (relations: readonly EntityRelation[]): EntityRelation[] => relations.filter((r) => relationIndex(r.type) >= 0);

/** What a person reads for an entity: its title, a Group/User display name, or its name. */
export const displayName = (r: Pick<CatalogRecord, 'name' | 'title' | 'displayName'>): string => r.title ?? r.displayName ?? r.name;

function latestPerEnvironment(deployments: readonly Deployment[] | undefined): Deployment[] {
  if (!deployments?.length) return [];
  const latest = new Map<string, Deployment>();
  for (const d of deployments) {
    const seen = latest.get(d.environment);
    if (!seen || new Date(d.deployedAt).getTime() > new Date(seen.deployedAt).getTime()) latest.set(d.environment, d);
  }
  return [...latest.values()].sort((a, b) => a.environment.localeCompare(b.environment));
}
