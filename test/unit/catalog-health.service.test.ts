/**
 * The health run over fakes: facts gathered once per group and per file, waivers applied, a
 * failing source isolated to the entities that need it, the run and its teams stored, the same
 * occurrence re-run in place, old runs pruned, and repository coverage.
 */
import { CatalogHealthService, type HealthRunSettings } from '../../src/domain/catalog-health/catalog-health.service';
import { catalogHealthSchedule, healthRunId, nextSlotStart } from '../../src/domain/catalog-health/health-schedule';
import { NO_OWNER_TEAM } from '../../src/domain/catalog-health/health.types';
import type { CatalogEntity, CatalogEntityInput } from '../../src/domain/catalog/catalog.types';
import { DomainError } from '../../src/domain/domain-error';
import { DEMO_PROJECTS } from '../../src/sandbox/seed/demo-org';
import { InMemoryAuditLog } from '../fakes/in-memory-audit-log';
import { InMemoryCatalogStore } from '../fakes/in-memory-catalog-store';
import { InMemoryDirectory } from '../fakes/in-memory-directory';
import { InMemoryHealthRunStore, InMemoryHealthWaiverStore } from '../fakes/in-memory-health-stores';
import { InMemorySourceControl } from '../fakes/in-memory-source-control';
import { NOW, daysAgo, stored } from '../fixtures/health-fixtures';

const FILE = 'file:/catalog/all.yaml';
const SETTINGS: HealthRunSettings = { descriptorStaleMonths: 12, deploymentStaleDays: 90, disabledRules: [], projects: [], concurrency: 4 };

const input = (ref: string, fields: Partial<CatalogEntity> = {}): CatalogEntityInput => {
  const { status: _s, deployments: _d, revision: _r, updatedAt: _u, ...rest } = stored(ref, fields);
  return rest;
};

/** Counts calls, and fails the ones `failing` names (a group id, or `Project/repo`). */
class CountingDirectory extends InMemoryDirectory {
  calls: string[] = [];
  failing = new Set<string>();
  override async membersOf(groupId: string) {
    this.calls.push(groupId);
    if (this.failing.has(groupId)) throw new DomainError('UPSTREAM.UNAVAILABLE', 'Graph is down');
    return super.membersOf(groupId);
  }
}
class CountingSourceControl extends InMemorySourceControl {
  calls: string[] = [];
  failing = new Set<string>();
  override async lastCommit(project: string, repository: string, path: string) {
    this.calls.push(`${project}/${repository}${path}`);
    if (this.failing.has(`${project}/${repository}`)) throw new DomainError('UPSTREAM.THROTTLED', 'Azure DevOps is busy');
    return super.lastCommit(project, repository, path);
  }
}

async function setUp(settings: Partial<HealthRunSettings> = {}) {
  const catalog = new InMemoryCatalogStore();
  const directory = new CountingDirectory();
  directory.addUser({ id: 'u-alice', userPrincipalName: 'alice@x', displayName: 'Alice', mail: null, jobTitle: null, department: null, accountEnabled: true });
  directory.addUser({ id: 'u-gone', userPrincipalName: 'gone@x', displayName: 'Gone', mail: null, jobTitle: null, department: null, accountEnabled: false });
  directory.addGroup({ id: 'g-a', displayName: 'Team A', mail: null, isTeam: true, memberIds: ['u-alice'] });
  directory.addGroup({ id: 'g-b', displayName: 'Team B', mail: null, isTeam: true, memberIds: ['u-gone'] });
  directory.addGroup({ id: 'g-c', displayName: 'Team C', mail: null, isTeam: true, memberIds: ['u-alice'] });
  const sourceControl = new CountingSourceControl(DEMO_PROJECTS);
  sourceControl.putFile('Payments', 'payments-web', '/catalog-info.yaml', 'kind: Component\n', 'main', daysAgo(10));

  await catalog.applyLocation(FILE, [
    input('group:default/team-a', { profile: { displayName: 'Team A', aadObjectId: 'g-a' }, contacts: { email: 'a@x' } }),
    input('group:default/team-b', { profile: { displayName: 'Team B', aadObjectId: 'g-b' }, contacts: { email: 'b@x' } }),
    input('group:default/team-c', { profile: { displayName: 'Team C', aadObjectId: 'g-c' }, contacts: { email: 'c@x' } }),
    input('component:default/a-1', { owner: 'group:default/team-a', lifecycle: 'production' }),
    input('component:default/a-2', { owner: 'group:default/team-a', lifecycle: 'production', relations: [{ type: 'dependsOn', target: 'resource:default/missing-db' }] }),
    input('component:default/b-1', { owner: 'group:default/team-b' }),
    input('component:default/c-1', { owner: 'group:default/team-c' }),
    input('component:default/guest-1', { owner: 'user:default/guest' }),
    input('component:default/nobody-1', { owner: undefined }),
  ]);
  await catalog.applyLocation('azure-devops:Payments/payments-api', [input('component:default/payments-api', { owner: 'group:default/team-c', location: 'azure-devops:Payments/payments-api' })]);
  await catalog.applyLocation('azure-devops:Payments/payments-web', [input('component:default/payments-web', { owner: 'group:default/team-c', location: 'azure-devops:Payments/payments-web' })]);
  const runs = new InMemoryHealthRunStore();
  const waivers = new InMemoryHealthWaiverStore();
  const audit = new InMemoryAuditLog();
  let now = NOW;
  const service = new CatalogHealthService({ catalog, runs, waivers, directory, sourceControl, audit, settings: { ...SETTINGS, ...settings }, clock: () => now });
  return { catalog, directory, sourceControl, runs, waivers, audit, service, setNow: (d: Date) => (now = d) };
}

const failingOf = (teams: { findings: { ref: string; ruleId: string }[] }[]) => teams.flatMap((t) => t.findings.map((f) => `${f.ref} ${f.ruleId}`)).sort();

describe('CatalogHealthService', () => {
  it('evaluates every rule once per entity, gathers each group and file once, groups by team and stores the run', async () => {
    const { service, runs, directory, sourceControl, audit } = await setUp();
    const run = await service.run({ id: 'r1' });

    expect(run).toMatchObject({ id: 'r1', entityCount: 8, startedAt: NOW, rules: expect.arrayContaining(['owner-missing', 'descriptor-stale']) });
    expect(run.notEvaluated).toBeUndefined();
    expect(directory.calls.sort()).toEqual(['g-a', 'g-b', 'g-c']); // one call per owner group
    expect(sourceControl.calls.sort()).toEqual(['Payments/payments-api/catalog-info.yaml', 'Payments/payments-web/catalog-info.yaml']);

    const teams = await runs.teamsOf('r1');
    expect(teams.map((t) => t.team)).toEqual([NO_OWNER_TEAM, 'group:default/team-a', 'group:default/team-b', 'group:default/team-c', 'user:default/guest']);
    const findings = failingOf(teams).filter((f) => !f.endsWith('deployment-stale'));
    expect(findings).toEqual([
      'component:default/a-2 dependency-unknown',
      'component:default/b-1 owner-group-inactive',
      'component:default/guest-1 contact-missing',
      'component:default/guest-1 owner-not-in-catalog',
      'component:default/nobody-1 contact-missing',
      'component:default/nobody-1 owner-missing',
      'component:default/payments-api descriptor-stale', // seeded 2024-01-01; payments-web was committed 10 days ago
    ]);
    expect(run.failingByTeam).toEqual({ [NO_OWNER_TEAM]: 2, 'group:default/team-a': 3, 'group:default/team-b': 1, 'group:default/team-c': 1, 'user:default/guest': 2 });
    expect(run.failingByRule).toMatchObject({ 'owner-missing': 1, 'contact-missing': 2, 'deployment-stale': 2, 'production-on-call-missing': 0 });
    expect(run.teamNames).toMatchObject({ 'group:default/team-a': 'Team A' });
    expect((await runs.teamHealth('r1', 'group:default/team-a'))?.findings[0]).toMatchObject({ ref: 'component:default/a-2', ruleId: 'dependency-unknown', severity: 'warning' });
    // 8 checked: guest-1 and nobody-1 have no live owner, b-1's group has only a disabled member.
    expect(run.liveOwnerCoverage).toBe(62.5);
    expect(await runs.latestRuns(5)).toEqual([run]);
    expect((await audit.find({ action: 'catalog.health.run' }))[0]).toMatchObject({ actor: 'system:catalog-health', target: 'health-run:r1', result: 'success' });
  });

  it('counts waived findings per team instead of listing them; an expired snooze waives nothing', async () => {
    const { service, runs, waivers } = await setUp();
    const by = { id: 'u-alice', name: 'Alice' };
    await waivers.put({ ref: 'component:default/a-2', ruleId: 'dependency-unknown', kind: 'not-applicable', reason: 'external db', by, at: NOW });
    await waivers.put({ ref: 'component:default/a-1', ruleId: 'deployment-stale', kind: 'snooze', until: new Date(NOW.getTime() + 86_400_000), by, at: NOW });
    await waivers.put({ ref: 'component:default/a-2', ruleId: 'deployment-stale', kind: 'snooze', until: new Date(NOW.getTime() - 1), by, at: NOW });
    const run = await service.run({ id: 'r1' });
    const teamA = await runs.teamHealth('r1', 'group:default/team-a');
    expect(teamA?.waived).toBe(2);
    expect(teamA?.findings.map((f) => `${f.ref} ${f.ruleId}`)).toEqual(['component:default/a-2 deployment-stale']);
    expect(run.failingByTeam['group:default/team-a']).toBe(1);
    expect(run.failingByRule['dependency-unknown']).toBe(0);
  });

  it('a Graph failure for one group and an Azure DevOps failure for one repository are "not evaluated" for those entities only', async () => {
    const { service, directory, sourceControl, runs } = await setUp();
    directory.failing.add('g-b');
    sourceControl.failing.add('Payments/payments-api');
    const run = await service.run({ id: 'r1' });
    expect(run.notEvaluated).toEqual([
      { ruleId: 'owner-group-inactive', entities: 1, reason: expect.stringMatching(/Microsoft Graph .*\(UPSTREAM\.UNAVAILABLE\)/) },
      { ruleId: 'descriptor-stale', entities: 1, reason: expect.stringMatching(/Azure DevOps .*\(UPSTREAM\.THROTTLED\)/) },
    ]);
    const all = failingOf(await runs.teamsOf('r1'));
    expect(all).not.toContain('component:default/b-1 owner-group-inactive');
    expect(all).not.toContain('component:default/payments-api descriptor-stale');
    expect(all).toContain('component:default/a-2 dependency-unknown'); // the rest ran
    expect(run.liveOwnerCoverage).toBe(75); // unknown counts as live
  });

  it('a disabled rule does not run; without source control descriptor-stale does not run and coverage is unknown', async () => {
    const { catalog, runs, waivers } = await setUp();
    const service = new CatalogHealthService({ catalog, runs, waivers, settings: { ...SETTINGS, disabledRules: ['deployment-stale', 'contact-missing'], projects: ['Payments'] }, clock: () => NOW });
    const run = await service.run({ id: 'r1' });
    expect(run.rules).not.toContain('deployment-stale');
    expect(run.rules).not.toContain('descriptor-stale');
    expect(run.failingByRule).not.toHaveProperty('contact-missing');
    expect(run.repositoryCoverage).toBeUndefined();
    // Without a directory, owner groups are judged by their catalog members: team-a has none.
    expect(failingOf(await runs.teamsOf('r1'))).toContain('component:default/a-1 owner-group-inactive');
  });

  it('repository coverage: % of the projects\' repositories with an active entity from their root catalog-info.yaml', async () => {
    const { service } = await setUp({ projects: ['Payments', 'Search'] });
    const run = await service.run({ id: 'r1' });
    expect(run.repositoryCoverage).toBe(66.7); // payments-api, payments-web of payments-api, payments-web, search-indexer
  });

  it('repository coverage counts a root descriptor read cleanly whose entities another location holds (the same descriptors imported from a folder), not one read with a problem', async () => {
    const { service, catalog } = await setUp({ projects: ['Payments', 'Search'] });
    await catalog.applyLocations([{ location: 'azure-devops:Search/search-indexer', entities: [], fingerprint: 'read-ok', problems: [] }]);
    expect((await service.run({ id: 'r1' })).repositoryCoverage).toBe(100);
    await catalog.applyLocations([{ location: 'azure-devops:Search/search-indexer', entities: [], fingerprint: 'read-bad', problems: [{ location: 'azure-devops:Search/search-indexer', reason: 'spec.owner is required' }] }]);
    expect((await service.run({ id: 'r2' })).repositoryCoverage).toBe(66.7);
  });

  it('re-running an occurrence replaces its run; prune keeps the newest; the schedule derives the id from the slot', async () => {
    const { service, runs, setNow, catalog } = await setUp();
    const work = catalogHealthSchedule(service, { everyMs: 3600_000, keep: 2 });
    for (const slot of [10, 11, 12]) {
      setNow(new Date(slot * 3600_000));
      await work.run({ name: work.name, slot, signal: new AbortController().signal });
    }
    expect((await runs.latestRuns(10)).map((r) => r.id)).toEqual([healthRunId(12), healthRunId(11)]);
    await catalog.applyLocation(FILE, [input('component:default/a-1', { owner: 'group:default/team-a' })]); // the rest orphaned
    await work.run({ name: work.name, slot: 12, signal: new AbortController().signal });
    const latest = await runs.latestRuns(10);
    expect(latest.map((r) => r.id)).toEqual([healthRunId(12), healthRunId(11)]);
    expect(latest[0]?.entityCount).toBe(3);
    expect(nextSlotStart(new Date(12.5 * 3600_000), 3600_000)).toEqual(new Date(13 * 3600_000));
  });

  it('stops early when its occurrence is aborted, storing nothing', async () => {
    const { service, runs } = await setUp();
    const aborted = new AbortController();
    aborted.abort();
    await expect(service.run({ id: 'r1', signal: aborted.signal })).rejects.toThrow();
    expect(await runs.latestRuns(1)).toEqual([]);
  });
});
