/**
 * Catalog health: rules evaluated per entity, their findings stored per run (so trends can be
 * shown and a digest can say what changed since last week), and the waivers owners set from the
 * digest card (snooze for 30 days, not applicable with a reason).
 */

/** Worst first: sorting by SEVERITY_ORDER puts what an owner should fix first at the top. */
export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type HealthSeverity = (typeof SEVERITIES)[number];
export const severityRank = (s: HealthSeverity): number => SEVERITIES.indexOf(s);

/** Stable ids: stored with findings and waivers, named in configuration (HEALTH_RULES_DISABLED). */
export const HEALTH_RULE_IDS = [
  'owner-missing',
  'owner-not-in-catalog',
  'owner-group-inactive',
  'contact-missing',
  'production-on-call-missing',
  'production-runbook-missing',
  'production-dashboard-missing',
  'descriptor-stale',
  'deprecated-in-use',
  'dependency-orphaned',
  'dependency-unknown',
  'api-definition-missing',
  'deployment-stale',
] as const;
export type HealthRuleId = (typeof HEALTH_RULE_IDS)[number];

/** What a "Fix" button edits in the entity's catalog-info.yaml (a pull request); absent: fixed by other means. */
export const FIX_KINDS = ['owner', 'contact', 'runbook', 'dashboard', 'on-call', 'lifecycle'] as const;
export type FixKind = (typeof FIX_KINDS)[number];

export interface HealthRuleInfo {
  id: HealthRuleId;
  severity: HealthSeverity;
  /** One line a card shows as the group heading ("No on-call rotation"). */
  title: string;
  /** One line on how to fix it ("Add the idp.dev/on-call annotation with the rotation's URL"). */
  fixHint: string;
  fix?: FixKind;
}

/** One failing check of one entity in one run. */
export interface HealthFinding {
  ref: string;
  ruleId: HealthRuleId;
  severity: HealthSeverity;
  /** What exactly is wrong, for this entity ("owner group:default/toast-infra is not in the catalog"). */
  detail: string;
}

/** A team's part of a run: what the digest card for that team is built from. */
export interface TeamHealth {
  runId: string;
  /** The owning Group's ref (`group:default/payments`), or the owner ref as written when it is not a catalog Group. */
  team: string;
  /** The team's display name when it is a catalog Group (its profile or title). */
  displayName?: string;
  /** Entities owned by the team that were checked. */
  entityCount: number;
  /** Failing checks not waived, worst first then by ref. */
  findings: HealthFinding[];
  /** Failing checks an active waiver hides (counted, not shown as failing). */
  waived: number;
}

export interface HealthRun {
  id: string;
  startedAt: Date;
  finishedAt: Date;
  entityCount: number;
  /** Failing (not waived) checks per rule id. */
  failingByRule: Partial<Record<HealthRuleId, number>>;
  /** Failing checks per team, for "the worst teams"; every team of the run is a key (0: nothing failing). */
  failingByTeam: Record<string, number>;
  /** Display names of the run's teams that are catalog Groups (for answers and "did you mean"). */
  teamNames?: Record<string, string>;
  /** % of Azure DevOps repositories with a valid catalog-info.yaml (undefined when none is configured). */
  repositoryCoverage?: number;
  /** % of active owned-kind entities whose owner is in the catalog and not inactive. */
  liveOwnerCoverage: number;
  /** Rule ids that ran (configuration may disable some). */
  rules: HealthRuleId[];
  /**
   * Checks that could not be decided for some entities because a source failed (Graph for a
   * group, Azure DevOps for a repository): neither failing nor passing. Absent: everything was decided.
   */
  notEvaluated?: NotEvaluated[];
}

/** One rule not decided for `entities` entities, and why (the source that failed, in words). */
export interface NotEvaluated {
  ruleId: HealthRuleId;
  entities: number;
  /** e.g. "Microsoft Graph did not answer for 2 groups (UPSTREAM.UNAVAILABLE)". */
  reason: string;
}

/** TeamHealth.team of entities that name no owner at all. */
export const NO_OWNER_TEAM = '(no owner)';

export type WaiverKind = 'snooze' | 'not-applicable';

export interface HealthWaiver {
  ref: string;
  ruleId: HealthRuleId;
  kind: WaiverKind;
  /** Snooze: until when. Not applicable: absent (until lifted). */
  until?: Date;
  /** Required for not-applicable. */
  reason?: string;
  /** Entra object id and name of who set it. */
  by: { id: string; name: string };
  at: Date;
}

export const waiverKey = (ref: string, ruleId: HealthRuleId): string => `${ref}#${ruleId}`;
export const isWaiverActive = (w: HealthWaiver, now: Date): boolean => w.kind === 'not-applicable' || (w.until !== undefined && w.until.getTime() > now.getTime());
