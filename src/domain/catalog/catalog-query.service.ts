/**
 * Answers "who owns X?" and its siblings from the in-memory index: the entity, its owner, who is
 * on call now, upstream and downstream dependencies with their owners, and APIs. Never names an
 * owner it is not sure of: an unclear question gets the candidates ("did you mean") instead.
 * The store is read on one rare path only (CatalogSearch.entityFromStore): a ref the index does not
 * know yet (a button on a card rendered from a fresher replica, or an entity imported since the last refresh).
 */
import { DomainError } from '../domain-error';
import type { AskIntent, OwnershipQuestion } from './ask-phrases';
import { displayName, type EntityView } from './catalog-entry';
import type { CatalogSearch, CatalogSummary, Lookup } from './catalog-search.port';
import { ENTITY_KINDS, isKnownKind, type EntityKind, type KnownKind, type OnCall, type Person, type RelationType } from './catalog.types';
import { canonicalKind, splitRef } from './entity-refs';

/** An entity ref taken apart for display: what a descriptor named, whether or not the catalog holds it. */
export interface NamedRef {
  ref: string;
  /** As the catalog spells it (`Group`), or as the ref has it when the kind is not a known one. */
  kind: string;
  namespace: string;
  name: string;
}

export interface RelatedEntity {
  ref: string;
  name: string;
  title?: string;
  /** Undefined when the ref points at nothing in the catalog (a dangling relation). */
  kind?: EntityKind;
  ownerRef?: string;
  ownerName?: string;
  /** A team member's address (their User entity's profile), on the team answer only. */
  email?: string;
}

export interface CandidateEntity {
  ref: string;
  name: string;
  title?: string;
  kind: EntityKind;
  ownerRef?: string;
  ownerName?: string;
  matchedBy: string;
}

export interface OnCallNow {
  current?: Person & { until?: Date };
  rotation?: string;
  escalation: (Person & { level: number })[];
  /** Whose rotation this is: the entity's own, or its owning team's. */
  from: 'entity' | 'owner';
  fromRef: string;
  /** The recorded shift ended (`until` passed): show it, but say it may be out of date. */
  stale: boolean;
  updatedAt?: Date;
}

export interface ApiRelations {
  /** What a Component provides / consumes. */
  provides: RelatedEntity[];
  consumes: RelatedEntity[];
  /** For an API: who provides / consumes it. */
  providedBy: RelatedEntity[];
  consumedBy: RelatedEntity[];
}

/** What someone owns: counted per kind over everything, and the first entities (best kinds first). */
export interface OwnedSummary {
  total: number;
  byKind: { kind: string; count: number }[];
  items: RelatedEntity[];
}

/** A Group: its place in the tree, its people, its rotation and what it owns. */
export interface TeamAnswer {
  kind: 'team';
  entity: EntityView;
  parent?: RelatedEntity;
  children: RelatedEntity[];
  members: RelatedEntity[];
  onCallNow?: OnCallNow;
  owns: OwnedSummary;
  matchedBy: string;
}

/** A User: the groups they are in, what they own themselves and what each of their groups owns. */
export interface UserAnswer {
  kind: 'user';
  entity: EntityView;
  groups: RelatedEntity[];
  owns: OwnedSummary;
  groupsOwn: { group: RelatedEntity; owns: OwnedSummary }[];
  matchedBy: string;
}

/** "What does X own": X is in the catalog (`entity`), or only named as an owner by what it owns. */
export interface OwnedAnswer {
  kind: 'owned';
  owner: NamedRef;
  entity?: EntityView;
  owns: OwnedSummary;
  matchedBy: string;
}

export type PartyAnswer = TeamAnswer | UserAnswer;

export type NotFound =
  | { kind: 'ambiguous'; text: string; candidates: CandidateEntity[] }
  | { kind: 'none'; text: string; suggestions: CandidateEntity[] };

export type OwnershipAnswer =
  | {
      kind: 'found';
      entity: EntityView;
      /** The owning Group/User when the catalog holds it; a Group or User asked about owns itself. */
      owner?: EntityView;
      /** The owner as the descriptor names it, held by the catalog or not; undefined only when the entity names none. */
      declaredOwner?: NamedRef;
      onCallNow?: OnCallNow;
      system?: RelatedEntity;
      dependencies: RelatedEntity[];
      dependents: RelatedEntity[];
      apis: ApiRelations;
      matchedBy: string;
    }
  | NotFound;

export type RelationsAnswer =
  | { kind: 'found'; entity: EntityView; owner?: EntityView; direction: 'dependencies' | 'dependents'; items: RelatedEntity[]; matchedBy: string }
  | NotFound;

export type CatalogAnswer =
  | { intent: 'owner' | 'oncall'; answer: OwnershipAnswer | PartyAnswer }
  | { intent: 'dependencies' | 'dependents'; answer: RelationsAnswer }
  | { intent: 'members'; answer: OwnershipAnswer | PartyAnswer }
  | { intent: 'owned'; answer: OwnedAnswer | PartyAnswer | NotFound };

export interface CatalogQueryServiceDeps {
  index: CatalogSearch;
  /** The time "now" (tests pin it): decides whether a recorded on-call shift has ended. */
  now?: () => Date;
}

const KIND_ORDER: Record<KnownKind, number> = { Component: 0, API: 1, Resource: 2, System: 3, Domain: 4, Group: 5, User: 6 };
const kindOrder = (kind: EntityKind): number => (isKnownKind(kind) ? KIND_ORDER[kind] : ENTITY_KINDS.length);
/** `kind:namespace/name` of any kind (Template and plugins' kinds too). */
const FULL_REF = /^[a-z][a-z0-9._-]*:[a-z0-9._@-]+\/[a-z0-9._@-]+$/i;
/** A bare name that may be an owner nobody imported (`toast-infra`, `guest`, `jane@contoso.com`). */
const OWNER_NAME = /^[a-z0-9][a-z0-9._@-]*$/i;
/** Entities listed by name on a team or user card / an "owns" answer; the counts cover all. */
const LISTED_ON_CARD = 8;
const LISTED_OWNED = 100;
/** Members whose User entity is read for an address (the card lists 15, the chat link takes 8). */
const MEMBERS_WITH_EMAIL = 15;

export class CatalogQueryService {
  private readonly index: CatalogSearch;
  private readonly now: () => Date;

  constructor(deps: CatalogQueryServiceDeps) {
    this.index = deps.index;
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * Routes a parsed question (parseOwnershipQuestion) to its answer. A Group or User asked about
   * (who owns / who is on call for / who is in team-a) gets the team or user answer.
   */
  async answer(question: OwnershipQuestion): Promise<CatalogAnswer> {
    const intent: AskIntent = question.intent;
    if (intent === 'dependencies' || intent === 'dependents') return { intent, answer: await this.relationsOf(question.subject, intent) };
    if (intent === 'owned') return { intent, answer: await this.ownedBy(question.subject) };
    const answer = await this.whoOwns(question.subject);
    return { intent, answer: answer.kind === 'found' ? (this.party(answer.entity, answer.matchedBy) ?? answer) : answer };
  }

  /** "What does team-a own": a team or user in the catalog, or an owner only named by what it owns. */
  async ownedBy(text: string): Promise<OwnedAnswer | PartyAnswer | NotFound> {
    const found = await this.resolve(text);
    if (found.kind === 'found' && found.entity.kind === 'User') return this.party(found.entity, found.matchedBy)!;
    if (found.kind === 'found' && found.entity.kind === 'Group') return this.ownedAnswer(found.entity.ref, found.entity, found.matchedBy);
    // An owner nobody imported, named exactly, beats whatever else the words come close to.
    for (const ref of ownerRefsFor(text.trim())) {
      if (this.index.get(ref)) continue;
      const answer = this.ownedAnswer(ref, undefined, 'owner named by its entities');
      if (answer.owns.total) return answer;
    }
    return found.kind === 'found' ? this.ownedAnswer(found.entity.ref, found.entity, found.matchedBy) : found;
  }

  private ownedAnswer(ref: string, entity: EntityView | undefined, matchedBy: string): OwnedAnswer {
    return { kind: 'owned', owner: named(ref), ...(entity ? { entity } : {}), owns: this.owned(ref, LISTED_OWNED), matchedBy };
  }

  async whoOwns(text: string): Promise<OwnershipAnswer> {
    const found = await this.resolve(text);
    if (found.kind !== 'found') return found;
    return this.ownership(found.entity, found.matchedBy);
  }

  /** The same answer as whoOwns: the card leads with who is on call. */
  onCallFor(text: string): Promise<OwnershipAnswer> {
    return this.whoOwns(text);
  }

  dependenciesOf(text: string): Promise<RelationsAnswer> {
    return this.relationsOf(text, 'dependencies');
  }

  dependentsOf(text: string): Promise<RelationsAnswer> {
    return this.relationsOf(text, 'dependents');
  }

  /** Compose-box search (message extension): ranked previews, no store access. */
  search(text: string, limit = 25): CatalogSummary[] {
    this.ensureReady();
    return this.index.search(text, limit);
  }

  /** Link unfurling: the answer for a known repository or link URL (a Group's or User's link: the team or user answer), else null. */
  unfurl(url: string): OwnershipAnswer | PartyAnswer | null {
    this.ensureReady();
    const hit = this.index.findByUrl(url);
    const entity = hit && this.index.view(hit.ref);
    return entity ? (this.party(entity, hit.matchedBy) ?? this.ownership(entity, hit.matchedBy)) : null;
  }

  private async relationsOf(text: string, direction: 'dependencies' | 'dependents'): Promise<RelationsAnswer> {
    const found = await this.resolve(text);
    if (found.kind !== 'found') return found;
    const { entity, matchedBy } = found;
    const items = this.related(entity, direction === 'dependencies' ? 'dependsOn' : 'dependencyOf');
    return { kind: 'found', entity, owner: this.ownerOf(entity), direction, items, matchedBy };
  }

  private ownership(entity: EntityView, matchedBy: string): OwnershipAnswer {
    const owner = this.ownerOf(entity);
    return {
      kind: 'found',
      entity,
      owner,
      declaredOwner: entity.owner ? named(entity.owner) : owner ? named(owner.ref) : undefined,
      onCallNow: this.onCallNow(entity, owner),
      system: entity.system ? this.summary(entity.system) : undefined,
      dependencies: this.related(entity, 'dependsOn'),
      dependents: this.related(entity, 'dependencyOf'),
      apis: {
        provides: this.related(entity, 'providesApi'),
        consumes: this.related(entity, 'consumesApi'),
        providedBy: this.related(entity, 'apiProvidedBy'),
        consumedBy: this.related(entity, 'apiConsumedBy'),
      },
      matchedBy,
    };
  }

  private async resolve(text: string): Promise<{ kind: 'found'; entity: EntityView; matchedBy: string } | NotFound> {
    const trimmed = text.trim();
    if (!this.index.isBuilt) {
      // Before the first build only an exact ref can be answered (from the store).
      const entity = FULL_REF.test(trimmed) ? await this.fromStore(trimmed.toLowerCase()) : undefined;
      if (entity) return { kind: 'found', entity, matchedBy: 'ref' };
      this.ensureReady();
    }
    const lookup: Lookup = this.index.lookup(trimmed);
    if (lookup.kind === 'match') {
      const entity = this.index.view(lookup.ref);
      if (entity) return { kind: 'found', entity, matchedBy: lookup.matchedBy };
    }
    if (lookup.kind === 'ambiguous') return { kind: 'ambiguous', text: trimmed, candidates: lookup.candidates.map((c) => this.candidate(c.ref, c.matchedBy)) };
    if (lookup.kind === 'none' && FULL_REF.test(trimmed)) {
      const entity = await this.fromStore(trimmed.toLowerCase());
      if (entity) return { kind: 'found', entity, matchedBy: 'ref' };
    }
    const suggestions = lookup.kind === 'none' ? lookup.suggestions.map((ref) => this.candidate(ref, 'similar name')) : [];
    return { kind: 'none', text: trimmed, suggestions };
  }

  /** The team or user answer for a Group or User; undefined for other kinds. */
  private party(entity: EntityView, matchedBy: string): PartyAnswer | undefined {
    if (entity.kind === 'Group') {
      const parent = this.related(entity, 'childOf')[0];
      return {
        kind: 'team',
        entity,
        parent,
        children: this.related(entity, 'parentOf'),
        members: this.related(entity, 'hasMember').map((m, i) => (i < MEMBERS_WITH_EMAIL ? this.withEmail(m) : m)),
        onCallNow: this.onCallNow(entity, entity),
        owns: this.owned(entity.ref, LISTED_ON_CARD),
        matchedBy,
      };
    }
    if (entity.kind === 'User') {
      const groups = this.related(entity, 'memberOf');
      return {
        kind: 'user',
        entity,
        groups,
        owns: this.owned(entity.ref, LISTED_ON_CARD),
        groupsOwn: groups.map((group) => ({ group, owns: this.owned(group.ref, LISTED_ON_CARD) })),
        matchedBy,
      };
    }
    return undefined;
  }

  private withEmail(m: RelatedEntity): RelatedEntity {
    const email = m.kind ? this.index.view(m.ref)?.profile?.email : undefined;
    return email ? { ...m, email } : m;
  }

  /** What `ref` owns (the index knows it from the owners' side too): counts per kind, the first `limit` listed. */
  private owned(ref: string, limit: number): OwnedSummary {
    const refs = this.index.related(ref, 'ownerOf');
    const counts = new Map<string, number>();
    const kinds = refs.map((r) => this.index.get(r)?.kind ?? named(r).kind);
    for (const k of kinds) counts.set(k, (counts.get(k) ?? 0) + 1);
    const byKind = [...counts].map(([kind, count]) => ({ kind, count })).sort((a, b) => kindOrder(a.kind) - kindOrder(b.kind) || a.kind.localeCompare(b.kind));
    const order = refs.map((r, i) => ({ r, k: kindOrder(kinds[i]) })).sort((a, b) => a.k - b.k).slice(0, limit);
    return { total: refs.length, byKind, items: order.map(({ r }) => this.summary(r)) };
  }

  private fromStore(ref: string): Promise<EntityView | undefined> {
    return this.index.entityFromStore(ref);
  }

  private ownerOf(entity: EntityView): EntityView | undefined {
    const owner = entity.owner ? this.index.view(entity.owner) : undefined;
    return owner ?? (entity.kind === 'Group' || entity.kind === 'User' ? entity : undefined);
  }

  /** The entity's own rotation, else its owning team's; `until` in the past marks it stale. */
  private onCallNow(entity: EntityView, owner: EntityView | undefined): OnCallNow | undefined {
    const pick = (r: EntityView | undefined, from: 'entity' | 'owner') => (r?.onCall && (r.onCall.current || r.onCall.rotation || r.onCall.escalation.length) ? { onCall: r.onCall, from, ref: r.ref } : undefined);
    const chosen = pick(entity, 'entity') ?? (owner !== entity ? pick(owner, 'owner') : undefined);
    if (!chosen) return undefined;
    const oc: OnCall = chosen.onCall;
    const until = oc.current?.until ? new Date(oc.current.until) : undefined;
    return {
      current: oc.current,
      rotation: oc.rotation,
      escalation: [...oc.escalation].sort((a, b) => a.level - b.level),
      from: chosen.from,
      fromRef: chosen.ref,
      stale: !!until && until.getTime() < this.now().getTime(),
      updatedAt: oc.updatedAt,
    };
  }

  private related(entity: EntityView, type: RelationType): RelatedEntity[] {
    const own = () => [...new Set(entity.relations.filter((r) => r.type === type).map((r) => r.target))].sort();
    const refs = this.index.get(entity.ref) ? this.index.related(entity.ref, type) : own();
    return refs.map((ref) => this.summary(ref)).sort((a, b) => kindOrder(a.kind ?? 'User') - kindOrder(b.kind ?? 'User') || a.name.localeCompare(b.name));
  }

  private summary(ref: string): RelatedEntity {
    const r = this.index.get(ref);
    if (!r) return { ref, name: ref.replace(/^[^/]*\//, '') };
    const owner = r.owner ? this.index.get(r.owner) : undefined;
    return { ref, name: r.name, title: r.title ?? r.displayName, kind: r.kind, ownerRef: r.owner, ownerName: owner ? displayName(owner) : r.owner && shortName(r.owner) };
  }

  private candidate(ref: string, matchedBy: string): CandidateEntity {
    const s = this.summary(ref);
    return { ref, name: s.name, title: s.title, kind: s.kind ?? 'Component', ownerRef: s.ownerRef, ownerName: s.ownerName, matchedBy };
  }

  private ensureReady(): void {
    if (!this.index.isBuilt) throw new DomainError('CATALOG.NOT_READY', 'The catalog index is still being built');
  }
}

/** A ref's parts, the kind spelled as the catalog does when it is a known one. */
export function named(ref: string): NamedRef {
  const parts = splitRef(ref);
  if (!parts) return { ref, kind: 'Entity', namespace: 'default', name: ref };
  return { ref, kind: canonicalKind(parts.kind) ?? parts.kind.charAt(0).toUpperCase() + parts.kind.slice(1), namespace: parts.namespace, name: parts.name };
}

/** A ref as a person reads it: its name, with the namespace when it is not `default`. */
const shortName = (ref: string): string => {
  const n = named(ref);
  return n.namespace === 'default' ? n.name : `${n.namespace}/${n.name}`;
};

/** Where an owner nobody imported may be found by what names it: the ref as given, else a Group or User of that name. */
function ownerRefsFor(text: string): string[] {
  if (FULL_REF.test(text)) return [text.toLowerCase()];
  const kinded = /^(group|user):([a-z0-9._@-]+)$/i.exec(text);
  if (kinded) return [`${kinded[1]}:default/${kinded[2]}`.toLowerCase()];
  // "toast infra" is how people say toast-infra.
  const name = text.replace(/\s+/g, '-').toLowerCase();
  return OWNER_NAME.test(name) ? [`group:default/${name}`, `user:default/${name}`] : [];
}
