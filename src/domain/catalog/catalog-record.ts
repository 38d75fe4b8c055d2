/**
 * The in-memory copy of an entity, in two parts sized for 100k entities in the bot's memory budget:
 *  - CatalogRecord, the "hot" fields matching, search previews and relation walks read on every
 *    question, as plain objects with repeated strings interned;
 *  - EntityDetails, the "cold" fields only an answer card shows (contacts, on-call, deployments,
 *    links, profile, members), encoded as compact positional JSON and kept deflated in a
 *    DetailsArchive (12 MB instead of ~160 MB as objects); decoded for the entity being answered.
 * `toView` joins both into EntityView, the card-ready entity the query service hands out.
 */
import { packRelations, relationIndex } from './catalog-relations';
import type { DetailsArchive } from './details-archive';
import type {
  CatalogEntity, Contacts, Deployment, EntityKind, EntityLink, EntityRelation, LinkType, OnCall, Person, RelationType,
} from './catalog.types';

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
  /** Declared graph relations, compact: [typeIndex, refCheck(target), ...] (the targets are in the details). */
  readonly relations: readonly number[];
  readonly revision: number;
  /** Handle of its EntityDetails (encoded by `encodeDetails`) in the index's DetailsArchive. */
  readonly details: number;
}

export interface EntityDetails {
  /** Relations this entity declares (dependencies, APIs); inverses are the index's business. */
  relations: EntityRelation[];
  contacts: Contacts;
  onCall?: OnCall;
  /** Latest deployment per environment, sorted by environment. */
  deployments: Deployment[];
  links: EntityLink[];
  profile?: { displayName?: string; email?: string; aadObjectId?: string };
  /** Group members / User groups (refs). */
  members: string[];
  repositoryUrl?: string;
}

/** The whole entity as an answer card shows it. */
export type EntityView = Omit<CatalogRecord, 'relations' | 'details'> & EntityDetails;

const EMPTY: readonly never[] = Object.freeze([]);
const list = <T>(xs: readonly T[] | undefined): readonly T[] => (xs && xs.length ? xs : EMPTY);

/** Shares one copy of strings that repeat across entities (owners, systems, tags, tiers...): a small map, cheap to probe. */
export class Interner {
  private readonly strings = new Map<string, string>();
  of<T extends string | undefined>(s: T): T {
    if (s === undefined) return s;
    const known = this.strings.get(s);
    if (known !== undefined) return known as T;
    this.strings.set(s, s);
    return s;
  }
}

export function toRecord(e: CatalogEntity, intern: Interner, archive: DetailsArchive): CatalogRecord {
  const relations = graphRelations(e.relations);
  const repository = e.source.repository;
  // The repository and secret prefix are usually spelled like the name: share its string.
  const same = (s: string | undefined) => (s === e.name ? e.name : s);
  return {
    ref: e.ref,
    kind: e.kind,
    name: e.name,
    title: e.title || undefined,
    description: e.description || undefined,
    type: intern.of(e.type),
    owner: intern.of(e.owner),
    system: intern.of(e.system),
    domain: intern.of(e.domain),
    tier: intern.of(e.tier),
    lifecycle: intern.of(e.lifecycle),
    tags: e.tags.length ? e.tags.map((t) => intern.of(t)) : EMPTY,
    aliases: list(e.aliases),
    displayName: e.profile?.displayName,
    repository: repository ? { project: intern.of(repository.project), name: same(repository.name) as string } : undefined,
    pipelines: list(e.source.pipelines),
    secretPrefix: same(e.source.secretPrefix),
    relations: relations.length ? packRelations(relations) : EMPTY,
    revision: e.revision,
    details: archive.add(encodeDetails({
      relations,
      contacts: e.contacts,
      onCall: e.onCall,
      deployments: latestPerEnvironment(e.deployments),
      links: e.links,
      profile: e.profile,
      members: e.members,
      repositoryUrl: repository?.url,
    })),
  };
}

/** The same record with its details moved to another archive (an index rebuilt from memory). */
export const moveDetails = (r: CatalogRecord, from: DetailsArchive, to: DetailsArchive): CatalogRecord => ({ ...r, details: to.add(from.get(r.details)) });

export const detailsOf = (r: CatalogRecord, archive: DetailsArchive): EntityDetails => decodeDetails(archive.get(r.details));

export function toView(r: CatalogRecord, archive: DetailsArchive): EntityView {
  const { details, relations: _packed, ...hot } = r;
  return { ...hot, ...decodeDetails(archive.get(details)) };
}

/** The declared relations the index keeps (dependencies and APIs). */
export const graphRelations = (relations: readonly EntityRelation[]): EntityRelation[] => relations.filter((r) => relationIndex(r.type) >= 0);

/** What a person reads for an entity: its title, a Group/User display name, or its name. */
export const displayName = (r: Pick<CatalogRecord, 'name' | 'title' | 'displayName'>): string => r.title ?? r.displayName ?? r.name;

// Positional encoding: arrays instead of keyed objects, dates as epoch ms, trailing nulls dropped.
type Packed = unknown[];
const ms = (d: Date | string | undefined) => (d === undefined ? null : new Date(d).getTime());
const date = (v: unknown) => (typeof v === 'number' ? new Date(v) : undefined);
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const packPerson = (p: Person) => [p.name, p.email ?? null, p.aadObjectId ?? null];
const unpackPerson = (a: Packed): Person => ({ name: a[0] as string, ...(a[1] ? { email: a[1] as string } : {}), ...(a[2] ? { aadObjectId: a[2] as string } : {}) });

export function encodeDetails(d: EntityDetails): string {
  const oc = d.onCall;
  const packed: Packed = [
    d.relations.map((r) => [r.type, r.target]),
    d.contacts.teamsChannelUrl ?? null,
    d.contacts.email ?? null,
    oc ? [oc.rotation ?? null, oc.current ? [...packPerson(oc.current), ms(oc.current.until)] : null, ms(oc.updatedAt), oc.escalation.map((p) => [...packPerson(p), p.level])] : null,
    d.deployments.map((x) => [x.environment, x.version, x.status, ms(x.deployedAt), x.pipelineRunUrl ?? null, x.deployedBy ?? null]),
    d.links.map((l) => [l.url, l.title, l.type]),
    d.profile ? [d.profile.displayName ?? null, d.profile.email ?? null, d.profile.aadObjectId ?? null] : null,
    d.members,
    d.repositoryUrl ?? null,
  ];
  while (packed.length && (packed[packed.length - 1] === null || (Array.isArray(packed[packed.length - 1]) && !(packed[packed.length - 1] as Packed).length))) packed.pop();
  return JSON.stringify(packed);
}

export function decodeDetails(s: string): EntityDetails {
  const [relations, channel, email, oc, deployments, links, profile, members, repositoryUrl] = JSON.parse(s) as Packed[];
  const onCall = oc as Packed | null | undefined;
  const current = onCall?.[1] as Packed | null | undefined;
  return {
    relations: ((relations ?? []) as Packed[]).map((r) => ({ type: r[0] as RelationType, target: r[1] as string })),
    contacts: { ...(channel ? { teamsChannelUrl: channel as unknown as string } : {}), ...(email ? { email: email as unknown as string } : {}) },
    onCall: onCall
      ? {
          ...(onCall[0] ? { rotation: onCall[0] as string } : {}),
          ...(current ? { current: { ...unpackPerson(current), ...(current[3] ? { until: date(current[3]) } : {}) } } : {}),
          escalation: ((onCall[3] ?? []) as Packed[]).map((p) => ({ ...unpackPerson(p), level: p[3] as number })),
          ...(onCall[2] ? { updatedAt: date(onCall[2]) } : {}),
        }
      : undefined,
    deployments: ((deployments ?? []) as Packed[]).map((x) => ({
      environment: x[0] as string,
      version: x[1] as string,
      status: x[2] as Deployment['status'],
      deployedAt: date(x[3]) as Date,
      ...(x[4] ? { pipelineRunUrl: x[4] as string } : {}),
      ...(x[5] ? { deployedBy: x[5] as string } : {}),
    })),
    links: ((links ?? []) as Packed[]).map((l) => ({ url: l[0] as string, title: l[1] as string, type: l[2] as LinkType })),
    profile: profile ? { displayName: str(profile[0]), email: str(profile[1]), aadObjectId: str(profile[2]) } : undefined,
    members: (members ?? []) as string[],
    repositoryUrl: str(repositoryUrl),
  };
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
