/**
 * The card-ready copy of an entity the search index keeps in memory: what the "who owns" card
 * shows, nothing else (no location, hash, members' history). 100k of them must fit in the bot's
 * memory budget, so repeated strings are interned, empty lists shared, and deployments reduced to
 * the latest one per environment.
 */
import type {
  CatalogEntity, Contacts, Deployment, EntityKind, EntityLink, EntityRelation, OnCall, SourceInfo,
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
  readonly contacts: Contacts;
  readonly onCall?: OnCall;
  /** Latest deployment per environment, sorted by environment. */
  readonly deployments: readonly Deployment[];
  readonly links: readonly EntityLink[];
  /** Only the relation types answers use (dependencies, APIs, system, membership). */
  readonly relations: readonly EntityRelation[];
  readonly source: Omit<SourceInfo, 'pipelines'> & { readonly pipelines: readonly string[] };
  readonly profile?: { displayName?: string; email?: string; aadObjectId?: string };
  /** Group members (User refs). */
  readonly members: readonly string[];
  readonly revision: number;
}

/** Relation types kept on records; ownedBy/ownerOf are the `owner` field, the rest answers never show. */
const KEPT_RELATIONS = new Set([
  'dependsOn', 'dependencyOf', 'providesApi', 'apiProvidedBy', 'consumesApi', 'apiConsumedBy', 'partOf', 'hasPart', 'childOf', 'parentOf', 'memberOf',
]);

const EMPTY: readonly never[] = Object.freeze([]);
const list = <T>(xs: readonly T[] | undefined): readonly T[] => (xs && xs.length ? xs : EMPTY);

/** Shares one copy of strings that repeat across entities (owners, hosts, tags, environments). */
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

export function toRecord(e: CatalogEntity, intern: Interner): CatalogRecord {
  const i = <T extends string | undefined>(s: T) => intern.of(s);
  const relations = e.relations.filter((r) => KEPT_RELATIONS.has(r.type)).map((r) => ({ type: r.type, target: i(r.target) }));
  const repository = e.source.repository;
  return {
    ref: e.ref,
    kind: e.kind,
    name: e.name,
    title: e.title || undefined,
    description: e.description || undefined,
    type: i(e.type),
    owner: i(e.owner),
    system: i(e.system),
    domain: i(e.domain),
    tier: i(e.tier),
    lifecycle: i(e.lifecycle),
    tags: list(e.tags.map(i)),
    aliases: list(e.aliases),
    contacts: e.contacts.teamsChannelUrl || e.contacts.email ? { teamsChannelUrl: e.contacts.teamsChannelUrl, email: e.contacts.email } : EMPTY_CONTACTS,
    onCall: e.onCall,
    deployments: latestPerEnvironment(e.deployments, intern),
    links: list(e.links.map((l) => ({ url: l.url, title: i(l.title), type: l.type }))),
    relations: list(relations),
    source: {
      repository: repository ? { project: i(repository.project), name: repository.name, url: repository.url } : undefined,
      pipelines: list(e.source.pipelines),
      secretPrefix: e.source.secretPrefix,
    },
    profile: e.profile,
    members: list(e.members.map(i)),
    revision: e.revision,
  };
}

const EMPTY_CONTACTS: Contacts = Object.freeze({});

function latestPerEnvironment(deployments: readonly Deployment[] | undefined, intern: Interner): readonly Deployment[] {
  if (!deployments?.length) return EMPTY;
  const latest = new Map<string, Deployment>();
  for (const d of deployments) {
    const seen = latest.get(d.environment);
    if (!seen || new Date(d.deployedAt).getTime() > new Date(seen.deployedAt).getTime()) latest.set(d.environment, d);
  }
  return [...latest.values()]
    .sort((a, b) => a.environment.localeCompare(b.environment))
    .map((d) => ({ ...d, environment: intern.of(d.environment) }));
}

/** What a person reads for an entity: its title, a Group/User display name, or its name. */
export const displayName = (r: Pick<CatalogRecord, 'name' | 'title' | 'profile'>): string => r.title ?? r.profile?.displayName ?? r.name;
