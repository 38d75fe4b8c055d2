/**
 * How the digest names and orders rules: the health rules' own table (`ruleInfo`, health-rules.ts)
 * gives each rule's heading, hint and Fix form; worst first is severity, then count.
 */
import { severityRank, type HealthRuleId, type HealthRuleInfo, type HealthSeverity } from '../catalog-health/health.types';

export type RuleInfoLookup = (id: HealthRuleId) => HealthRuleInfo;

/** Worst first: severity, then more failing checks, then the rule id (stable). */
export const byWorst = (a: { severity: HealthSeverity; count: number; ruleId: string }, b: { severity: HealthSeverity; count: number; ruleId: string }): number =>
  severityRank(a.severity) - severityRank(b.severity) || b.count - a.count || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
