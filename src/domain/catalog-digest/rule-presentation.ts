/**
 * How the digest names each rule when the health rules' own table (HealthRuleInfo, from the rules
 * module) is not given or lacks a rule: a heading, a hint and which Fix form applies. The rules'
 * table wins: `ruleInfoLookup(rules)` lays it over these.
 */
import { severityRank, type FixKind, type HealthRuleId, type HealthRuleInfo, type HealthSeverity } from '../catalog-health/health.types';

const info = (id: HealthRuleId, severity: HealthSeverity, title: string, fixHint: string, fix?: FixKind): HealthRuleInfo => ({ id, severity, title, fixHint, ...(fix ? { fix } : {}) });

const DEFAULTS: HealthRuleInfo[] = [
  info('owner-missing', 'error', 'No owner', 'Set spec.owner to the owning group.', 'owner'),
  info('owner-not-in-catalog', 'error', 'Owner not in the catalog', 'Set spec.owner to a group that is in the catalog.', 'owner'),
  info('owner-group-inactive', 'error', 'Owner group empty or inactive', 'Hand the entity to a group with active members.', 'owner'),
  info('contact-missing', 'warning', 'No contact channel', 'Add the idp.dev/teams-channel-url or idp.dev/email annotation.', 'contact'),
  info('production-on-call-missing', 'error', 'No on-call rotation', 'Add the idp.dev/oncall-rotation annotation.', 'on-call'),
  info('production-runbook-missing', 'warning', 'No runbook', 'Add a metadata.links entry of type runbook.', 'runbook'),
  info('production-dashboard-missing', 'warning', 'No dashboard', 'Add a metadata.links entry of type dashboard.', 'dashboard'),
  info('descriptor-stale', 'info', 'Descriptor not changed for months', 'Review catalog-info.yaml and commit what changed.'),
  info('deprecated-in-use', 'warning', 'Deprecated but still depended on', 'Move the dependents off it, or set its lifecycle back.', 'lifecycle'),
  info('dependency-orphaned', 'warning', 'Depends on an orphaned entity', 'Remove or replace the dependency.'),
  info('dependency-unknown', 'warning', 'Depends on an unknown entity', 'Fix the dependency ref or add that entity to the catalog.'),
  info('api-definition-missing', 'warning', 'API without a definition', 'Add spec.definition (inline, $text file or URL).'),
  info('deployment-stale', 'info', 'No recent deployment', 'Deploy, or set the lifecycle to deprecated if it is retired.', 'lifecycle'),
];

export type RuleInfoLookup = (id: HealthRuleId) => HealthRuleInfo;

export function ruleInfoLookup(rules: readonly HealthRuleInfo[] = []): RuleInfoLookup {
  const table = new Map<HealthRuleId, HealthRuleInfo>([...DEFAULTS, ...rules].map((r) => [r.id, r]));
  return (id) => table.get(id) ?? { id, severity: 'info', title: id, fixHint: '' };
}

/** Worst first: severity, then more failing checks, then the rule id (stable). */
export const byWorst = (a: { severity: HealthSeverity; count: number; ruleId: string }, b: { severity: HealthSeverity; count: number; ruleId: string }): number =>
  severityRank(a.severity) - severityRank(b.severity) || b.count - a.count || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
