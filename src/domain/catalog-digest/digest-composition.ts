/**
 * One team's digest from its part of the latest health run and of the run a week earlier: the
 * failing checks not waived, grouped by rule, worst group first, each group's new checks first;
 * what failed a week ago and does not any more is "fixed". Pure: the service reads the stores.
 */
import { severityRank, type HealthFinding, type HealthRun, type TeamHealth } from '../catalog-health/health.types';
import type { DigestGroup, FixRecord, TeamDigest, WaiverLookup } from './digest.types';
import { byWorst, type RuleInfoLookup } from './rule-presentation';

export interface DigestInputs {
  run: HealthRun;
  current: TeamHealth;
  /** The team's part of the run closest to 7 days earlier (null: the team was not in it; undefined: no such run). */
  previous?: TeamHealth | null;
  previousRun?: HealthRun;
  teamName: string;
  rules: RuleInfoLookup;
  /** Waivers in force now (a snooze set after the run hides its check too). */
  waiverOf: WaiverLookup;
  fixes: readonly FixRecord[];
  /** Checks listed per rule; the rest are counted ("and 37 more"). */
  maxPerRule: number;
}

const key = (f: { ref: string; ruleId: string }) => `${f.ref}#${f.ruleId}`;

export function composeDigest(input: DigestInputs): TeamDigest {
  const { current, rules } = input;
  const failing = current.findings.filter((f) => !input.waiverOf(f.ref, f.ruleId));
  const waivedSince = current.findings.length - failing.length;
  const before = new Set((input.previous?.findings ?? []).map(key));
  const comparable = input.previousRun !== undefined;
  const isNew = (f: HealthFinding) => comparable && !before.has(key(f));
  const fixOf = new Map(input.fixes.map((x) => [key(x), x]));

  const byRule = new Map<string, HealthFinding[]>();
  for (const f of failing) byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), f]);
  const groups: DigestGroup[] = [...byRule.values()].map((findings) => {
    const info = rules(findings[0]!.ruleId);
    const sorted = [...findings].sort((a, b) => Number(isNew(b)) - Number(isNew(a)) || severityRank(a.severity) - severityRank(b.severity) || (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
    const items = sorted.slice(0, Math.max(0, input.maxPerRule)).map((f) => {
      const fix = fixOf.get(key(f));
      return { ref: f.ref, detail: f.detail, isNew: isNew(f), ...(fix ? { fix } : {}) };
    });
    // The worst severity among the group's findings (a rule's findings normally share one).
    const severity = sorted.reduce((worst, f) => (severityRank(f.severity) < severityRank(worst) ? f.severity : worst), info.severity);
    return {
      ruleId: info.id,
      severity,
      title: info.title,
      fixHint: info.fixHint,
      ...(info.fix ? { fix: info.fix } : {}),
      count: findings.length,
      newCount: findings.filter(isNew).length,
      items,
      hidden: findings.length - items.length,
    } satisfies DigestGroup;
  });
  groups.sort(byWorst);

  const now = new Set(current.findings.map(key));
  const fixed = comparable
    ? (input.previous?.findings ?? [])
        .filter((f) => !now.has(key(f)) && !input.waiverOf(f.ref, f.ruleId)) // waived is not fixed
        .sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || (a.ref < b.ref ? -1 : 1))
        .map((f) => ({ ref: f.ref, ruleId: f.ruleId, title: rules(f.ruleId).title }))
    : [];

  return {
    runId: input.run.id,
    team: current.team,
    teamName: input.teamName,
    runAt: input.run.finishedAt,
    entityCount: current.entityCount,
    failing: failing.length,
    waived: current.waived + waivedSince,
    ...(input.previousRun ? { previousRunAt: input.previousRun.finishedAt } : {}),
    newCount: failing.filter(isNew).length,
    fixed,
    groups,
  };
}
