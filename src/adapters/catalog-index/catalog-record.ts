/**
 * The index's copy of an entity, sized for 100k entities in the bot's memory budget: the entry's
 * "hot" fields (CatalogEntry: what matching, search previews and relation walks read on every
 * question; kept as bytes in a RecordTable, decoded when a question touches them), its declared
 * graph relations packed as numbers, and its EntityDetails (what only an answer card shows) as one
 * compact string (DetailsCodec: ~45 MB instead of ~160 MB as objects at 100k), decoded for the
 * entity being answered. `toView` joins both into the EntityView the search hands out.
 */
import type { CatalogEntry, EntityDetails, EntityView } from '../../domain/catalog/catalog-entry';
import type { IndexedEntity } from '../../domain/catalog/catalog-store.port';
import type { Deployment, EntityKind, EntityRelation } from '../../domain/catalog/catalog.types';
import type { DetailsCodec } from './details-codec';
import { packRelations, relationIndex } from './relation-graph';

export interface CatalogRecord extends CatalogEntry {
  /** Declared graph relations, compact (packRelations: one number per edge; the targets are in the details). */
  readonly relations: readonly number[];
  /** Its EntityDetails, encoded by the index's DetailsCodec. */
  readonly details: string;
}

const EMPTY: readonly never[] = Object.freeze([]);
const list = <T>(xs: readonly T[] | undefined): readonly T[] => (xs && xs.length ? xs : EMPTY);

export function toRecord(e: IndexedEntity, codec: DetailsCodec): CatalogRecord {
  const relations = indexedRelations(e);
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
    definition: e.definition,
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

/**
 * The declared relations the index keeps (dependencies, APIs, ownership, membership, the group
 * tree), with the owner and members the entity names even where no relation was written for them
 * (entities made by hand, or by an older import): "what does team-a own" must see every owner field.
 */
export function indexedRelations(e: Pick<IndexedEntity, 'kind' | 'owner' | 'members' | 'relations'>): EntityRelation[] {
  const out = e.relations.filter((r) => relationIndex(r.type) >= 0);
  const has = (type: EntityRelation['type'], target: string) => out.some((r) => r.type === type && r.target === target);
  if (e.owner && !has('ownedBy', e.owner)) out.push({ type: 'ownedBy', target: e.owner });
  const memberType = e.kind === 'Group' ? 'hasMember' : e.kind === 'User' ? 'memberOf' : undefined;
  if (memberType) for (const m of e.members ?? []) if (!has(memberType, m)) out.push({ type: memberType, target: m });
  return out;
}

function latestPerEnvironment(deployments: readonly Deployment[] | undefined): Deployment[] {
  if (!deployments?.length) return [];
  const latest = new Map<string, Deployment>();
  for (const d of deployments) {
    const seen = latest.get(d.environment);
    if (!seen || new Date(d.deployedAt).getTime() > new Date(seen.deployedAt).getTime()) latest.set(d.environment, d);
  }
  return [...latest.values()].sort((a, b) => a.environment.localeCompare(b.environment));
}
