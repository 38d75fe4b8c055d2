/**
 * What the rules may look up besides the entity itself, prepared once per run: every entity by
 * ref (active or orphaned), who depends on what, each owner group's members (catalog and Entra)
 * and each descriptor's last commit. Facts from outside are gathered before (health-facts.ts);
 * a source that failed is a `{ failed }` fact, and the rules that need it say "not evaluated".
 */
import type { HealthEntity } from './health-entity';

export interface HealthThresholds {
  /** descriptor-stale: months since the descriptor's last commit. */
  descriptorStaleMonths: number;
  /** deployment-stale: days since the newest recorded deployment. */
  deploymentStaleDays: number;
}

/** A fact from an outside source: its value, or why it could not be read (an error code). */
export type Fact<T> = { ok: T } | { failed: string };

export interface EntraMember {
  id: string;
  accountEnabled: boolean;
}

export interface HealthFacts {
  /** Entra members per group object id (only the owner groups that have one, and only with a directory). */
  entraMembers: ReadonlyMap<string, Fact<readonly EntraMember[]>>;
  /** Last commit per descriptor file (HealthEntity.descriptor.key); ok null: the file has no history. */
  commits: ReadonlyMap<string, Fact<{ date: Date } | null>>;
}

export type GroupState = { state: 'live' } | { state: 'empty' } | { state: 'disabled'; members: number } | { state: 'unknown'; reason: string };

export const NO_FACTS: HealthFacts = { entraMembers: new Map(), commits: new Map() };

export class HealthContext {
  private readonly byRef = new Map<string, HealthEntity>();
  /** Deprecated ref -> active entities that depend on or consume it. */
  private readonly dependentsOfDeprecated = new Map<string, Set<string>>();
  /** Group ref -> User refs that name it in spec.memberOf. */
  private readonly usersNaming = new Map<string, string[]>();
  /** Owner ref -> its group state; null: not an active Group. */
  private readonly groups = new Map<string, GroupState | null>();
  /** descriptor-stale: a last commit before this is stale (now minus the months, computed once). */
  readonly descriptorStaleBefore: Date;

  constructor(
    entities: Iterable<HealthEntity>,
    readonly now: Date,
    readonly thresholds: HealthThresholds,
    private readonly facts: HealthFacts = NO_FACTS,
  ) {
    this.descriptorStaleBefore = new Date(now.getTime());
    this.descriptorStaleBefore.setUTCMonth(this.descriptorStaleBefore.getUTCMonth() - thresholds.descriptorStaleMonths);
    for (const e of entities) {
      this.byRef.set(e.ref, e);
      if (e.kindKey === 'user' && e.status === 'active') {
        for (const g of e.members) (this.usersNaming.get(g) ?? this.usersNaming.set(g, []).get(g)!).push(e.ref);
      }
    }
    const addDependent = (target: string, dependent: string) => {
      if (!isDeprecated(this.byRef.get(target))) return;
      (this.dependentsOfDeprecated.get(target) ?? this.dependentsOfDeprecated.set(target, new Set()).get(target)!).add(dependent);
    };
    for (const e of this.byRef.values()) {
      if (e.status === 'active') for (const t of e.dependsOn) addDependent(t, e.ref);
      // "D dependencyOf A" declared by D: A depends on D.
      for (const a of e.dependencyOf) if (this.byRef.get(a)?.status === 'active') addDependent(e.ref, a);
    }
  }

  get size(): number {
    return this.byRef.size;
  }

  entity(ref: string): HealthEntity | undefined {
    return this.byRef.get(ref);
  }

  /** Active entities that depend on (or consume) a deprecated entity, sorted; [] for any other. */
  dependents(ref: string): string[] {
    return [...(this.dependentsOfDeprecated.get(ref) ?? [])].sort();
  }

  /** Whether an owner Group has anyone left: an enabled Entra member, or a catalog User not disabled there. */
  groupState(ref: string): GroupState | undefined {
    let state = this.groups.get(ref);
    if (state === undefined) {
      const group = this.byRef.get(ref);
      state = group && group.status === 'active' && group.kindKey === 'group' ? this.computeGroupState(group) : null;
      this.groups.set(ref, state);
    }
    return state ?? undefined;
  }

  /** The entity's descriptor's last commit: undefined when it was not read from Azure DevOps. */
  descriptorCommit(e: HealthEntity): Fact<{ date: Date } | null> | undefined {
    return e.descriptor ? (this.facts.commits.get(e.descriptor.key) ?? { ok: null }) : undefined;
  }

  private computeGroupState(group: HealthEntity): GroupState {
    const entra = group.aadObjectId ? this.facts.entraMembers.get(group.aadObjectId) : undefined;
    if (entra && 'failed' in entra) return { state: 'unknown', reason: entra.failed };
    const entraMembers = entra?.ok ?? [];
    if (entraMembers.some((m) => m.accountEnabled)) return { state: 'live' };
    const disabled = new Set(entraMembers.map((m) => m.id));
    const catalogUsers = new Set([...group.members.filter((m) => m.startsWith('user:')), ...(this.usersNaming.get(group.ref) ?? [])]);
    for (const ref of catalogUsers) {
      const user = this.byRef.get(ref);
      // A catalog User is a member unless Entra says its account is disabled (then it is counted there).
      if (user?.status === 'active' && !(user.aadObjectId && disabled.has(user.aadObjectId))) return { state: 'live' };
    }
    return entraMembers.length === 0 ? { state: 'empty' } : { state: 'disabled', members: entraMembers.length };
  }
}

export const isDeprecated = (e: HealthEntity | undefined): boolean => e?.lifecycleKey === 'deprecated';
