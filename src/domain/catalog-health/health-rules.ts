/**
 * The health rules: one pure function per stable id over (entity, prepared context). A rule
 * answers undefined when the entity passes or the rule does not apply to it, `{ fail }` with what
 * exactly is wrong, or `{ unknown }` when a fact it needs could not be read this run.
 */
import type { HealthEntity } from './health-entity';
import { isDeprecated, type HealthContext } from './health-context';
import { HEALTH_RULE_IDS, type HealthRuleId, type HealthRuleInfo } from './health.types';

export type RuleResult = undefined | { fail: string } | { unknown: string };

export interface HealthRule extends HealthRuleInfo {
  check(entity: HealthEntity, ctx: HealthContext): RuleResult;
}

const MAX_NAMED = 3;
const DAY_MS = 24 * 3600_000;

const fail = (detail: string): RuleResult => ({ fail: detail });

/** `a, b, c and 4 more` */
function named(refs: readonly string[]): string {
  const shown = refs.slice(0, MAX_NAMED).join(', ');
  return refs.length > MAX_NAMED ? `${shown} and ${refs.length - MAX_NAMED} more` : shown;
}

const isProduction = (e: HealthEntity): boolean => e.lifecycleKey === 'production';
/** `tier-1`, `tier 2`, `Tier1`, `1`: the idp.dev/tier annotation as people write it. */
const CRITICAL_TIER = /^(?:tier[-_ ]?)?[12]$/i;
/** A production tier-1/tier-2 Component: the ones someone is paged for. */
const isCriticalService = (e: HealthEntity): boolean => e.kindKey === 'component' && isProduction(e) && e.tier !== undefined && CRITICAL_TIER.test(e.tier.trim());

/** The owner's kind as Backstage writes it (`group:default/x` -> group), for details. */
const ownerKind = (ref: string): string => ref.split(':')[0] ?? 'group';

const day = (d: Date): string => d.toISOString().slice(0, 10);

function ownerResolves(e: HealthEntity, ctx: HealthContext): boolean {
  return e.owner !== undefined && ctx.entity(e.owner)?.status === 'active';
}

export const HEALTH_RULES: Record<HealthRuleId, HealthRule> = {
  'owner-missing': {
    id: 'owner-missing',
    severity: 'error',
    title: 'No owner',
    fixHint: 'Set spec.owner to the team that runs it (a Group in the catalog).',
    fix: 'owner',
    check: (e) => (e.checked && !e.owner ? fail(`${e.ref} names no owner`) : undefined),
  },
  'owner-not-in-catalog': {
    id: 'owner-not-in-catalog',
    severity: 'error',
    title: 'Owner not in the catalog',
    fixHint: 'Point spec.owner at a Group or User that is in the catalog, or add that owner to the catalog.',
    fix: 'owner',
    check: (e, ctx) => {
      if (!e.checked || !e.owner || ownerResolves(e, ctx)) return undefined;
      const stored = ctx.entity(e.owner);
      return fail(stored ? `owner ${e.owner} is orphaned in the catalog` : `owner ${e.owner} (${ownerKind(e.owner)}) is not in the catalog`);
    },
  },
  'owner-group-inactive': {
    id: 'owner-group-inactive',
    severity: 'error',
    title: 'Owner group has nobody active',
    fixHint: 'Add the people who run it to the owning group, or hand it to a team that exists.',
    fix: 'owner',
    check: (e, ctx) => {
      if (!e.checked || !e.owner) return undefined;
      const group = ctx.groupState(e.owner);
      if (!group) return undefined;
      switch (group.state) {
        case 'live':
          return undefined;
        case 'unknown':
          return { unknown: group.reason };
        case 'empty':
          return fail(`owner ${e.owner} has no members`);
        case 'disabled':
          return fail(`every member of owner ${e.owner} (${group.members}) is disabled in Entra ID`);
      }
    },
  },
  'contact-missing': {
    id: 'contact-missing',
    severity: 'warning',
    title: 'No contact channel',
    fixHint: 'Add the idp.dev/teams-channel-url or idp.dev/email annotation (here or on the owning group).',
    fix: 'contact',
    check: (e, ctx) => {
      if (!e.checked) return undefined;
      if (e.contacts.teamsChannelUrl || e.contacts.email) return undefined;
      const owner = e.owner ? ctx.entity(e.owner) : undefined;
      if (owner?.status === 'active' && (owner.contacts.teamsChannelUrl || owner.contacts.email || owner.profileEmail)) return undefined;
      return fail(owner ? `no Teams channel or e-mail on ${e.ref} nor on ${owner.ref}` : `no Teams channel or e-mail on ${e.ref}`);
    },
  },
  'production-on-call-missing': {
    id: 'production-on-call-missing',
    severity: 'error',
    title: 'Production service without on-call',
    fixHint: 'Add the idp.dev/oncall-rotation annotation (or record who is on call through the on-call webhook).',
    fix: 'on-call',
    check: (e) => (isCriticalService(e) && !e.hasOnCall ? fail(`${e.tier} production service with no on-call rotation`) : undefined),
  },
  'production-runbook-missing': {
    id: 'production-runbook-missing',
    severity: 'warning',
    title: 'Production service without a runbook',
    fixHint: 'Add a metadata.links entry of type runbook.',
    fix: 'runbook',
    check: (e) => (isCriticalService(e) && !e.linkTypes.includes('runbook') ? fail(`${e.tier} production service with no runbook link`) : undefined),
  },
  'production-dashboard-missing': {
    id: 'production-dashboard-missing',
    severity: 'warning',
    title: 'Production service without a dashboard',
    fixHint: 'Add a metadata.links entry of type dashboard.',
    fix: 'dashboard',
    check: (e) => (isCriticalService(e) && !e.linkTypes.includes('dashboard') ? fail(`${e.tier} production service with no dashboard link`) : undefined),
  },
  'descriptor-stale': {
    id: 'descriptor-stale',
    severity: 'info',
    title: 'Descriptor not changed for a long time',
    fixHint: 'Check catalog-info.yaml still says the truth (owner, lifecycle, links) and commit the review.',
    fix: 'lifecycle',
    check: (e, ctx) => {
      if (!e.checked) return undefined;
      const commit = ctx.descriptorCommit(e);
      if (!commit) return undefined; // imported from a file: no commit date
      if ('failed' in commit) return { unknown: commit.failed };
      if (!commit.ok) return undefined;
      const months = ctx.thresholds.descriptorStaleMonths;
      return commit.ok.date < ctx.descriptorStaleBefore ? fail(`catalog-info.yaml last changed on ${day(commit.ok.date)} (over ${months} months ago)`) : undefined;
    },
  },
  'deprecated-in-use': {
    id: 'deprecated-in-use',
    severity: 'warning',
    title: 'Deprecated but still depended on',
    fixHint: 'Move its dependents off it, or set its lifecycle back if it is not going away.',
    fix: 'lifecycle',
    check: (e, ctx) => {
      if (!isDeprecated(e)) return undefined;
      const dependents = ctx.dependents(e.ref);
      return dependents.length ? fail(`deprecated, still used by ${named(dependents)}`) : undefined;
    },
  },
  'dependency-orphaned': {
    id: 'dependency-orphaned',
    severity: 'warning',
    title: 'Depends on an orphaned entity',
    fixHint: 'Remove the dependency, or restore the entity in its catalog-info.yaml.',
    check: (e, ctx) => {
      const orphaned = e.dependsOn.filter((t) => ctx.entity(t)?.status === 'orphaned');
      return orphaned.length ? fail(`depends on orphaned ${named(orphaned)}`) : undefined;
    },
  },
  'dependency-unknown': {
    id: 'dependency-unknown',
    severity: 'warning',
    title: 'Depends on an entity not in the catalog',
    fixHint: 'Fix the ref in dependsOn/consumesApi, or add that entity to the catalog.',
    check: (e, ctx) => {
      const unknown = e.dependsOn.filter((t) => !ctx.entity(t));
      return unknown.length ? fail(`depends on ${named(unknown)}, not in the catalog`) : undefined;
    },
  },
  'api-definition-missing': {
    id: 'api-definition-missing',
    severity: 'warning',
    title: 'API without a definition',
    fixHint: 'Set spec.definition (inline, or $text: ./openapi.yaml, or a URL).',
    check: (e) => (e.kindKey === 'api' && !e.hasDefinition ? fail(`API ${e.ref} has no definition`) : undefined),
  },
  'deployment-stale': {
    id: 'deployment-stale',
    severity: 'info',
    title: 'No recent deployment while in production',
    fixHint: 'Record deployments from its pipeline (POST /api/catalog/deployments), or change its lifecycle if it no longer runs.',
    fix: 'lifecycle',
    check: (e, ctx) => {
      if (e.kindKey !== 'component' || !isProduction(e)) return undefined;
      const days = ctx.thresholds.deploymentStaleDays;
      if (!e.lastDeployedAt) return fail('in production, no deployment ever recorded');
      return ctx.now.getTime() - e.lastDeployedAt.getTime() > days * DAY_MS ? fail(`in production, last deployment on ${day(e.lastDeployedAt)} (over ${days} days ago)`) : undefined;
    },
  },
};

/** The rules in HEALTH_RULE_IDS order (the order cards list them in at equal severity). */
export const ALL_RULES: readonly HealthRule[] = HEALTH_RULE_IDS.map((id) => HEALTH_RULES[id]);

/** What a card shows for a rule id (title, fix hint, severity, fix kind), without the function. */
export function ruleInfo(id: HealthRuleId): HealthRuleInfo {
  const { check: _check, ...info } = HEALTH_RULES[id];
  return info;
}
