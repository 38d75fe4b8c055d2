/**
 * Every health rule against fixtures: one table of cases per rule id (a rule without its table,
 * or a table without a failing and a passing case, fails the first test).
 */
import type { HealthFacts } from '../../src/domain/catalog-health/health-context';
import type { HealthEntity } from '../../src/domain/catalog-health/health-entity';
import { ALL_RULES, HEALTH_RULES, ruleInfo } from '../../src/domain/catalog-health/health-rules';
import { FIX_KINDS, HEALTH_RULE_IDS, SEVERITIES, type HealthRuleId } from '../../src/domain/catalog-health/health.types';
import { ALICE, TEAM_A, context, daysAgo, entity } from '../fixtures/health-fixtures';

interface Case {
  name: string;
  subject: HealthEntity;
  /** The rest of the catalog (default: team-a and alice). */
  catalog?: HealthEntity[];
  facts?: Partial<HealthFacts>;
  /** undefined: passes (or does not apply); a RegExp: fails with a matching detail; 'unknown': not evaluated. */
  expected?: RegExp | 'unknown';
}

const C = 'component:default/svc';
const critical = (fields: Parameters<typeof entity>[1] = {}) =>
  entity(C, { lifecycle: 'production', tier: 'tier-1', onCall: { rotation: 'primary', escalation: [] }, links: [{ url: 'https://r', title: 'Runbook', type: 'runbook' }, { url: 'https://d', title: 'Dash', type: 'dashboard' }], ...fields });
const adoEntity = (fields: Parameters<typeof entity>[1] = {}) => entity(C, { location: 'azure-devops:Payments/payments-api', ...fields });
const commitFact = (key: string, fact: { ok: { date: Date } | null } | { failed: string }): Partial<HealthFacts> => ({ commits: new Map([[key, fact]]) });
const members = (groupId: string, list: { id: string; accountEnabled: boolean }[] | { failed: string }): Partial<HealthFacts> => ({
  entraMembers: new Map([[groupId, Array.isArray(list) ? { ok: list } : list]]),
});
const lonelyTeam = entity('group:default/team-a', { profile: { aadObjectId: 'aad-team-a' }, contacts: { email: 'a@x' } });

const CASES: Record<HealthRuleId, Case[]> = {
  'owner-missing': [
    { name: 'a Component with an owner passes', subject: entity(C) },
    { name: 'a Component without one fails', subject: entity(C, { owner: undefined }), expected: /names no owner/ },
    { name: 'a Template (any kind) without one fails', subject: entity('template:default/t', { owner: undefined }), expected: /names no owner/ },
    { name: 'a Group is not owned by anyone: not checked', subject: entity('group:default/team-b', { owner: undefined }) },
  ],
  'owner-not-in-catalog': [
    { name: 'an owner Group in the catalog passes', subject: entity(C) },
    { name: 'an owner User in the catalog passes', subject: entity(C, { owner: 'user:default/alice' }) },
    { name: '`owner: guest` (a User not in the catalog) fails, naming its kind', subject: entity(C, { owner: 'user:default/guest' }), expected: /owner user:default\/guest \(user\) is not in the catalog/ },
    { name: 'group:default/toast-infra not in the catalog fails', subject: entity(C, { owner: 'group:default/toast-infra' }), expected: /toast-infra \(group\) is not in the catalog/ },
    { name: 'an e-mail address as owner fails', subject: entity(C, { owner: 'group:default/jane@contoso.example' }), expected: /jane@contoso.example.*not in the catalog/ },
    { name: 'an orphaned owner fails as orphaned', subject: entity(C), catalog: [entity('group:default/team-a', { status: 'orphaned' })], expected: /is orphaned/ },
    { name: 'no owner at all is the other rule', subject: entity(C, { owner: undefined }) },
  ],
  'owner-group-inactive': [
    { name: 'a group with an enabled Entra member passes', subject: entity(C), catalog: [lonelyTeam], facts: members('aad-team-a', [{ id: 'u1', accountEnabled: false }, { id: 'u2', accountEnabled: true }]) },
    { name: 'a group whose Entra members are all disabled fails', subject: entity(C), catalog: [lonelyTeam], facts: members('aad-team-a', [{ id: 'u1', accountEnabled: false }, { id: 'u2', accountEnabled: false }]), expected: /every member of owner group:default\/team-a \(2\) is disabled in Entra ID/ },
    { name: 'a group with no members in Entra nor in the catalog fails as empty', subject: entity(C), catalog: [lonelyTeam], facts: members('aad-team-a', []), expected: /has no members/ },
    { name: 'a group with no Entra id and no catalog members fails as empty', subject: entity(C), catalog: [entity('group:default/team-a')], expected: /has no members/ },
    { name: 'catalog members count: an active User in spec.members', subject: entity(C), catalog: [entity('group:default/team-a', { members: ['user:default/alice'] }), entity('user:default/alice')] },
    { name: 'catalog members count: a User naming the group in spec.memberOf', subject: entity(C), catalog: [lonelyTeam, ALICE], facts: members('aad-team-a', []) },
    { name: 'a catalog User disabled in Entra does not count', subject: entity(C), catalog: [lonelyTeam, ALICE], facts: members('aad-team-a', [{ id: 'aad-alice', accountEnabled: false }]), expected: /\(1\) is disabled/ },
    { name: 'an orphaned catalog User does not count', subject: entity(C), catalog: [entity('group:default/team-a', { members: ['user:default/alice'] }), entity('user:default/alice', { status: 'orphaned' })], expected: /has no members/ },
    { name: 'Graph failed for the group: not evaluated', subject: entity(C), catalog: [lonelyTeam, ALICE], facts: members('aad-team-a', { failed: 'UPSTREAM.UNAVAILABLE' }), expected: 'unknown' },
    { name: 'an owner User is not a group: not checked', subject: entity(C, { owner: 'user:default/alice' }) },
  ],
  'contact-missing': [
    { name: 'no contact on the entity, an e-mail on its owner group: passes', subject: entity(C) },
    { name: "the owner group's profile e-mail is a contact", subject: entity(C), catalog: [entity('group:default/team-a', { profile: { email: 'a@contoso.example' } })] },
    { name: 'a Teams channel on the entity passes', subject: entity(C, { owner: 'group:default/nobody', contacts: { teamsChannelUrl: 'https://teams.microsoft.com/l/channel/x' } }) },
    { name: 'nothing on the entity nor its owner group fails', subject: entity(C), catalog: [entity('group:default/team-a')], expected: /no Teams channel or e-mail on component:default\/svc nor on group:default\/team-a/ },
    { name: 'an owner not in the catalog gives no contact', subject: entity(C, { owner: 'group:default/ghost' }), expected: /no Teams channel or e-mail on component:default\/svc$/ },
  ],
  'production-on-call-missing': [
    { name: 'a production tier-1 service with a rotation passes', subject: critical() },
    { name: 'one with who is on call (webhook) passes', subject: critical({ onCall: { current: { name: 'Bob' }, escalation: [] } }) },
    { name: 'a production tier-1 service without on-call fails', subject: critical({ onCall: undefined }), expected: /tier-1 production service with no on-call/ },
    { name: 'tier 2 written "2" counts', subject: critical({ tier: '2', onCall: undefined }), expected: /2 production service/ },
    { name: 'tier-3 is not checked', subject: critical({ tier: 'tier-3', onCall: undefined }) },
    { name: 'experimental is not checked', subject: critical({ lifecycle: 'experimental', onCall: undefined }) },
    { name: 'a Resource is not a service', subject: entity('resource:default/db', { lifecycle: 'production', tier: 'tier-1' }) },
  ],
  'production-runbook-missing': [
    { name: 'a runbook link passes', subject: critical() },
    { name: 'no runbook link fails', subject: critical({ links: [{ url: 'https://d', title: 'Dash', type: 'dashboard' }] }), expected: /no runbook link/ },
    { name: 'no tier: not checked', subject: critical({ tier: undefined, links: [] }) },
  ],
  'production-dashboard-missing': [
    { name: 'a dashboard link passes', subject: critical() },
    { name: 'no dashboard link fails', subject: critical({ tier: 'Tier 2', links: [] }), expected: /Tier 2 production service with no dashboard link/ },
    { name: 'deprecated: not checked', subject: critical({ lifecycle: 'deprecated', links: [] }) },
  ],
  'descriptor-stale': [
    { name: 'changed a month ago passes', subject: adoEntity(), facts: commitFact('payments/payments-api/catalog-info.yaml', { ok: { date: daysAgo(30) } }) },
    { name: 'unchanged for two years fails with the date', subject: adoEntity(), facts: commitFact('payments/payments-api/catalog-info.yaml', { ok: { date: new Date('2024-01-01T09:00:00Z') } }), expected: /last changed on 2024-01-01 \(over 12 months ago\)/ },
    { name: 'a descriptor in another file of the repository is looked up by its path', subject: adoEntity({ location: 'azure-devops:Payments/payments-api/docs/more.yaml' }), facts: commitFact('payments/payments-api/docs/more.yaml', { ok: { date: daysAgo(500) } }), expected: /last changed/ },
    { name: 'a file import has no commit date: not checked', subject: entity(C), facts: commitFact('payments/payments-api/catalog-info.yaml', { ok: { date: daysAgo(900) } }) },
    { name: 'no history found: not checked', subject: adoEntity(), facts: commitFact('payments/payments-api/catalog-info.yaml', { ok: null }) },
    { name: 'Azure DevOps failed for the file: not evaluated', subject: adoEntity(), facts: commitFact('payments/payments-api/catalog-info.yaml', { failed: 'UPSTREAM.THROTTLED' }), expected: 'unknown' },
  ],
  'deprecated-in-use': [
    { name: 'deprecated and used by an active Component fails, naming it', subject: entity(C, { lifecycle: 'deprecated' }), catalog: [TEAM_A, entity('component:default/web', { relations: [{ type: 'dependsOn', target: C }] })], expected: /still used by component:default\/web/ },
    { name: 'an API consumed by an active Component fails', subject: entity('api:default/rest', { lifecycle: 'deprecated' }), catalog: [TEAM_A, entity('component:default/web', { relations: [{ type: 'consumesApi', target: 'api:default/rest' }] })], expected: /still used by component:default\/web/ },
    { name: 'declared from its side (dependencyOf) counts', subject: entity(C, { lifecycle: 'deprecated', relations: [{ type: 'dependencyOf', target: 'component:default/web' }] }), catalog: [TEAM_A, entity('component:default/web')], expected: /still used by component:default\/web/ },
    { name: 'an orphaned dependent does not count', subject: entity(C, { lifecycle: 'deprecated' }), catalog: [TEAM_A, entity('component:default/web', { status: 'orphaned', relations: [{ type: 'dependsOn', target: C }] })] },
    { name: 'many dependents are named three, then counted', subject: entity(C, { lifecycle: 'deprecated' }), catalog: [TEAM_A, ...[1, 2, 3, 4, 5].map((i) => entity(`component:default/w${i}`, { relations: [{ type: 'dependsOn', target: C }] }))], expected: /w1, component:default\/w2, component:default\/w3 and 2 more$/ },
    { name: 'used but in production: passes', subject: entity(C), catalog: [TEAM_A, entity('component:default/web', { relations: [{ type: 'dependsOn', target: C }] })] },
  ],
  'dependency-orphaned': [
    { name: 'depends on an orphaned entity fails', subject: entity(C, { relations: [{ type: 'dependsOn', target: 'resource:default/db' }] }), catalog: [TEAM_A, entity('resource:default/db', { status: 'orphaned' })], expected: /depends on orphaned resource:default\/db/ },
    { name: 'consumes an orphaned API fails', subject: entity(C, { relations: [{ type: 'consumesApi', target: 'api:default/x' }] }), catalog: [TEAM_A, entity('api:default/x', { status: 'orphaned' })], expected: /orphaned api:default\/x/ },
    { name: 'depends on an active entity passes', subject: entity(C, { relations: [{ type: 'dependsOn', target: 'resource:default/db' }] }), catalog: [TEAM_A, entity('resource:default/db')] },
    { name: 'an unknown dependency is the other rule', subject: entity(C, { relations: [{ type: 'dependsOn', target: 'resource:default/nope' }] }) },
  ],
  'dependency-unknown': [
    { name: 'depends on an entity not in the catalog fails', subject: entity(C, { relations: [{ type: 'dependsOn', target: 'resource:default/nope' }] }), expected: /depends on resource:default\/nope, not in the catalog/ },
    { name: 'an orphaned one is in the catalog: the other rule', subject: entity(C, { relations: [{ type: 'dependsOn', target: 'resource:default/db' }] }), catalog: [TEAM_A, entity('resource:default/db', { status: 'orphaned' })] },
    { name: 'partOf and providesApi are not dependencies', subject: entity(C, { relations: [{ type: 'partOf', target: 'system:default/nope' }, { type: 'providesApi', target: 'api:default/nope' }] }) },
  ],
  'api-definition-missing': [
    { name: 'an API with a definition passes', subject: entity('api:default/rest', { definition: { source: 'inline', bytes: 120 } }) },
    { name: 'a URL reference is a definition', subject: entity('api:default/rest', { definition: { source: 'url', target: 'https://x/openapi.json' } }) },
    { name: 'an API without one fails', subject: entity('api:default/rest'), expected: /API api:default\/rest has no definition/ },
    { name: 'a Component is not an API', subject: entity(C) },
  ],
  'deployment-stale': [
    { name: 'deployed last week passes', subject: entity(C, { lifecycle: 'production', deployments: [{ environment: 'prod', version: '1', status: 'succeeded', deployedAt: daysAgo(7) }] }) },
    { name: 'the newest environment counts', subject: entity(C, { lifecycle: 'production', deployments: [{ environment: 'prod', version: '1', status: 'succeeded', deployedAt: daysAgo(200) }, { environment: 'dev', version: '2', status: 'succeeded', deployedAt: daysAgo(3) }] }) },
    { name: 'last deployed 100 days ago fails', subject: entity(C, { lifecycle: 'production', deployments: [{ environment: 'prod', version: '1', status: 'succeeded', deployedAt: daysAgo(100) }] }), expected: /last deployment on 2026-08-22 \(over 90 days ago\)/ },
    { name: 'never deployed in production fails', subject: entity(C, { lifecycle: 'production' }), expected: /no deployment ever recorded/ },
    { name: 'experimental: not checked', subject: entity(C, { lifecycle: 'experimental' }) },
  ],
};

describe('health rules', () => {
  it('each rule id has a rule with a title, fix hint and severity, and a table here with a failing and a passing case', () => {
    expect(ALL_RULES.map((r) => r.id)).toEqual([...HEALTH_RULE_IDS]);
    for (const id of HEALTH_RULE_IDS) {
      const info = ruleInfo(id);
      expect(info).toMatchObject({ id, title: expect.any(String), fixHint: expect.any(String) });
      expect(SEVERITIES).toContain(info.severity);
      if (info.fix) expect(FIX_KINDS).toContain(info.fix);
      expect(CASES[id]?.some((c) => c.expected instanceof RegExp)).toBe(true);
      expect(CASES[id]?.some((c) => c.expected === undefined)).toBe(true);
    }
  });

  describe.each(HEALTH_RULE_IDS.map((id) => [id] as const))('%s', (id) => {
    it.each((CASES[id] ?? []).map((c) => [c.name, c] as const))('%s', (_name, c) => {
      const ctx = context([c.subject, ...(c.catalog ?? [TEAM_A, ALICE])], c.facts);
      const result = HEALTH_RULES[id].check(c.subject, ctx);
      if (c.expected === undefined) expect(result).toBeUndefined();
      else if (c.expected === 'unknown') expect(result).toEqual({ unknown: expect.stringMatching(/^UPSTREAM\./) });
      else expect(result).toEqual({ fail: expect.stringMatching(c.expected) });
    });
  });

  it('the fix kinds the digest offers are on the rules they fix', () => {
    const fixes = Object.fromEntries(HEALTH_RULE_IDS.map((id) => [id, ruleInfo(id).fix]));
    expect(fixes).toMatchObject({ 'owner-missing': 'owner', 'contact-missing': 'contact', 'production-on-call-missing': 'on-call', 'production-runbook-missing': 'runbook', 'production-dashboard-missing': 'dashboard' });
  });
});
