/**
 * One run's arithmetic, with no I/O: every enabled rule over every checked active entity, active
 * waivers applied (counted, not listed), findings grouped by owning team, and the run's totals
 * (failing per rule and team, live-owner coverage, checks not evaluated and why).
 */
import type { HealthContext } from './health-context';
import type { HealthEntity } from './health-entity';
import type { HealthRule } from './health-rules';
import { NO_OWNER_TEAM, severityRank, waiverKey, type HealthFinding, type HealthRuleId, type HealthRun, type NotEvaluated, type TeamHealth } from './health.types';

export interface EvaluationInput {
  runId: string;
  rules: readonly HealthRule[];
  context: HealthContext;
  /** The active entities to check (Groups and Users are skipped: they are the owners). */
  entities: Iterable<HealthEntity>;
  /** waiverKey(ref, rule) of every waiver in force. */
  waived: ReadonlySet<string>;
  /** Words for a rule that could not be decided ("Microsoft Graph did not answer for 2 groups"); default: the error codes. */
  explain?: (ruleId: HealthRuleId, codes: string[]) => string;
}

export interface Evaluation {
  /** Everything but the times and repository coverage, which the service adds. */
  run: Omit<HealthRun, 'startedAt' | 'finishedAt' | 'repositoryCoverage'>;
  teams: TeamHealth[];
  findings: number;
}

interface TeamBucket {
  entityCount: number;
  findings: HealthFinding[];
  waived: number;
}

export function evaluateHealth(input: EvaluationInput): Evaluation {
  const { rules, context, waived } = input;
  const teams = new Map<string, TeamBucket>();
  const failingByRule: Partial<Record<HealthRuleId, number>> = Object.fromEntries(rules.map((r) => [r.id, 0]));
  const unknown = new Map<HealthRuleId, { entities: number; codes: Set<string> }>();
  const ruleOrder = new Map(rules.map((r, i) => [r.id, i]));
  let checked = 0;
  let liveOwners = 0;
  let findings = 0;

  for (const e of input.entities) {
    if (e.status !== 'active' || !e.checked) continue;
    checked++;
    const team = e.owner ?? NO_OWNER_TEAM;
    let bucket = teams.get(team);
    if (!bucket) teams.set(team, (bucket = { entityCount: 0, findings: [], waived: 0 }));
    bucket.entityCount++;
    if (ownerIsLive(e, context)) liveOwners++;
    for (const rule of rules) {
      const result = rule.check(e, context);
      if (!result) continue;
      if ('unknown' in result) {
        const u = unknown.get(rule.id) ?? { entities: 0, codes: new Set<string>() };
        u.entities++;
        u.codes.add(result.unknown);
        unknown.set(rule.id, u);
        continue;
      }
      if (waived.has(waiverKey(e.ref, rule.id))) {
        bucket.waived++;
        continue;
      }
      bucket.findings.push({ ref: e.ref, ruleId: rule.id, severity: rule.severity, detail: result.fail });
      failingByRule[rule.id] = (failingByRule[rule.id] ?? 0) + 1;
      findings++;
    }
  }

  const failingByTeam: Record<string, number> = {};
  const teamNames: Record<string, string> = {};
  const teamParts: TeamHealth[] = [];
  for (const [team, bucket] of [...teams].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    bucket.findings.sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0) || ruleOrder.get(a.ruleId)! - ruleOrder.get(b.ruleId)!);
    const group = context.entity(team);
    const displayName = group?.kindKey === 'group' ? (group.displayName ?? group.title) : undefined;
    if (displayName) teamNames[team] = displayName;
    failingByTeam[team] = bucket.findings.length;
    teamParts.push({ runId: input.runId, team, ...(displayName ? { displayName } : {}), entityCount: bucket.entityCount, findings: bucket.findings, waived: bucket.waived });
  }

  const explain = input.explain ?? ((_id, codes) => `a source did not answer (${codes.join(', ')})`);
  const notEvaluated: NotEvaluated[] = [...unknown].map(([ruleId, u]) => ({ ruleId, entities: u.entities, reason: explain(ruleId, [...u.codes].sort()) }));
  return {
    run: {
      id: input.runId,
      entityCount: checked,
      failingByRule,
      failingByTeam,
      teamNames,
      liveOwnerCoverage: percent(liveOwners, checked),
      rules: rules.map((r) => r.id),
      ...(notEvaluated.length ? { notEvaluated } : {}),
    },
    teams: teamParts,
    findings,
  };
}

/** The owner is an active catalog entity and, when a Group, has someone left (unknown counts as live). */
function ownerIsLive(e: HealthEntity, context: HealthContext): boolean {
  if (!e.owner || context.entity(e.owner)?.status !== 'active') return false;
  const state = context.groupState(e.owner)?.state;
  return state !== 'empty' && state !== 'disabled';
}

/** One decimal; 100 when there is nothing to count (nothing lacks an owner). */
export const percent = (part: number, whole: number): number => (whole === 0 ? 100 : Math.round((part / whole) * 1000) / 10);
