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

export interface RelatedEntity {
  ref: string;
  name: string;
  title?: string;
  /** Undefined when the ref points at nothing in the catalog (a dangling relation). */
  kind?: EntityKind;
  ownerRef?: string;
  ownerName?: string;
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

export type NotFound =
  | { kind: 'ambiguous'; text: string; candidates: CandidateEntity[] }
  | { kind: 'none'; text: string; suggestions: CandidateEntity[] };

export type OwnershipAnswer =
  | {
      kind: 'found';
      entity: EntityView;
      /** The owning Group/User; a Group or User asked about owns itself. */
      owner?: EntityView;
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
  | { intent: 'owner' | 'oncall'; answer: OwnershipAnswer }
  | { intent: 'dependencies' | 'dependents'; answer: RelationsAnswer };

export interface CatalogQueryServiceDeps {
  index: CatalogSearch;
  /** The time "now" (tests pin it): decides whether a recorded on-call shift has ended. */
  now?: () => Date;
}

const KIND_ORDER: Record<KnownKind, number> = { Component: 0, API: 1, Resource: 2, System: 3, Domain: 4, Group: 5, User: 6 };
const kindOrder = (kind: EntityKind): number => (isKnownKind(kind) ? KIND_ORDER[kind] : ENTITY_KINDS.length);
const FULL_REF = /^(component|api|resource|system|domain|group|user):[a-z0-9._-]+\/[a-z0-9._-]+$/i;

export class CatalogQueryService {
  private readonly index: CatalogSearch;
  private readonly now: () => Date;

  constructor(deps: CatalogQueryServiceDeps) {
    this.index = deps.index;
    this.now = deps.now ?? (() => new Date());
  }

  /** Routes a parsed question (parseOwnershipQuestion) to its answer. */
  async answer(question: OwnershipQuestion): Promise<CatalogAnswer> {
    const intent: AskIntent = question.intent;
    if (intent === 'dependencies' || intent === 'dependents') return { intent, answer: await this.relationsOf(question.subject, intent) };
    return { intent, answer: await this.whoOwns(question.subject) };
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

  /** Link unfurling: the ownership answer for a known repository or link URL, else null. */
  unfurl(url: string): OwnershipAnswer | null {
    this.ensureReady();
    const hit = this.index.findByUrl(url);
    const entity = hit && this.index.view(hit.ref);
    return entity ? this.ownership(entity, hit.matchedBy) : null;
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
    return { ref, name: r.name, title: r.title, kind: r.kind, ownerRef: r.owner, ownerName: owner ? displayName(owner) : r.owner?.replace(/^[^/]*\//, '') };
  }

  private candidate(ref: string, matchedBy: string): CandidateEntity {
    const s = this.summary(ref);
    return { ref, name: s.name, title: s.title, kind: s.kind ?? 'Component', ownerRef: s.ownerRef, ownerName: s.ownerName, matchedBy };
  }

  private ensureReady(): void {
    if (!this.index.isBuilt) throw new DomainError('CATALOG.NOT_READY', 'The catalog index is still being built');
  }
}
