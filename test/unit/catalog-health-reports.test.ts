/** What `catalog health` answers from stored runs: overview, one team, no run yet, unknown team. */
import { noRunText, overviewCard, sparkline, teamCard, unknownTeamText } from '../../dialogs/catalog-health/catalog-health.views';
import { CatalogHealthReports } from '../../src/domain/catalog-health/health-reports';
import type { HealthRun, TeamHealth } from '../../src/domain/catalog-health/health.types';
import { InMemoryHealthRunStore } from '../fakes/in-memory-health-stores';

const NEXT = new Date('2026-12-01T00:00:00Z');
const at = (d: number) => new Date(Date.UTC(2026, 10, d));

function run(id: string, day: number, failingByTeam: Record<string, number>, failingByRule: HealthRun['failingByRule']): HealthRun {
  return {
    id,
    startedAt: at(day),
    finishedAt: at(day),
    entityCount: 50,
    failingByRule,
    failingByTeam,
    teamNames: { 'group:default/team-a': 'Team A', 'group:default/team-b': 'Payments Crew', 'group:other/team-a': 'Other A' },
    liveOwnerCoverage: 80,
    repositoryCoverage: 50,
    rules: ['owner-missing', 'contact-missing', 'descriptor-stale'],
  };
}

const teamA = (runId: string): TeamHealth => ({
  runId,
  team: 'group:default/team-a',
  entityCount: 5,
  waived: 1,
  findings: [
    { ref: 'component:default/a1', ruleId: 'owner-group-inactive', severity: 'error', detail: 'x' },
    { ref: 'component:default/a1', ruleId: 'descriptor-stale', severity: 'info', detail: 'x' },
    { ref: 'component:default/a2', ruleId: 'descriptor-stale', severity: 'info', detail: 'x' },
    { ref: 'component:default/a3', ruleId: 'contact-missing', severity: 'warning', detail: 'x' },
  ],
});

async function reportsWith(runs: HealthRun[]) {
  const store = new InMemoryHealthRunStore();
  for (const r of runs) await store.saveRun(r, r.failingByTeam['group:default/team-a'] !== undefined ? [teamA(r.id)] : []);
  return new CatalogHealthReports(store, () => NEXT);
}

const threeRuns = [
  run('r1', 10, { 'group:default/team-b': 3 }, { 'contact-missing': 3 }),
  run('r2', 11, { 'group:default/team-a': 6, 'group:default/team-b': 2, 'group:other/team-a': 0 }, { 'contact-missing': 2, 'descriptor-stale': 6 }),
  run('r3', 12, { 'group:default/team-a': 4, 'group:default/team-b': 9, 'group:other/team-a': 0, 'user:default/guest': 1 }, { 'owner-missing': 0, 'contact-missing': 5, 'descriptor-stale': 9 }),
];

describe('catalog health reports', () => {
  it('no run yet: says when the first one is due', async () => {
    const reports = await reportsWith([]);
    expect(await reports.overview()).toEqual({ kind: 'no-run', nextRunAt: NEXT });
    expect(await reports.team('team-a')).toEqual({ kind: 'no-run', nextRunAt: NEXT });
    expect(noRunText(NEXT)).toBe('No catalog health run has finished yet. The first one is due at 2026-12-01 00:00 UTC.');
  });

  it('overview: the latest run, rules and teams by failing count (zeros left out), the trend oldest first', async () => {
    const answer = await (await reportsWith(threeRuns)).overview();
    if (answer.kind !== 'overview') throw new Error(answer.kind);
    expect(answer.latest.id).toBe('r3');
    expect(answer.failing).toBe(14);
    expect(answer.topRules.map((r) => [r.ruleId, r.failing])).toEqual([['descriptor-stale', 9], ['contact-missing', 5]]);
    expect(answer.worstTeams).toEqual([
      { team: 'group:default/team-b', name: 'Payments Crew', failing: 9 },
      { team: 'group:default/team-a', name: 'Team A', failing: 4 },
      { team: 'user:default/guest', name: 'guest', failing: 1 },
    ]);
    expect(answer.trend.map((p) => [p.runId, p.failing])).toEqual([['r1', 3], ['r2', 8], ['r3', 14]]);
    const text = JSON.stringify(overviewCard(answer, NEXT));
    expect(text).toContain('50 %');
    expect(text).toContain('"14 (+6)"');
    expect(text).toContain('Payments Crew');
  });

  it.each([['team-a'], ['Team A'], ['group:default/team-a'], ['group:team-a'], ['default/team-a'], ['"team-a"?']])('finds a team by %s (a shorthand is the default namespace)', async (text) => {
    const answer = await (await reportsWith(threeRuns)).team(text);
    expect(answer).toMatchObject({ kind: 'team', team: { team: 'group:default/team-a' } });
    expect(await (await reportsWith(threeRuns)).team('other/team-a')).toMatchObject({ kind: 'team', team: { team: 'group:other/team-a', name: 'Other A' } });
  });

  it("one team: its failing checks grouped by rule, worst severity first, and its trend (absent in a run: no count)", async () => {
    const answer = await (await reportsWith(threeRuns)).team('Team A');
    if (answer.kind !== 'team') throw new Error(answer.kind);
    expect(answer.team).toEqual({ team: 'group:default/team-a', name: 'Team A' });
    expect(answer.groups.map((g) => [g.ruleId, g.failing, g.refs])).toEqual([
      ['owner-group-inactive', 1, ['component:default/a1']],
      ['contact-missing', 1, ['component:default/a3']],
      ['descriptor-stale', 2, ['component:default/a1', 'component:default/a2']],
    ]);
    expect(answer.trend.map((p) => p.failing)).toEqual([undefined, 6, 4]);
    const text = JSON.stringify(teamCard(answer, NEXT));
    expect(text).toContain('Owner group has nobody active: 1 (error)');
    expect(text).toContain('1 waived');
    expect(text).toContain('not in this run');
  });

  it('an unknown team: did you mean, from the run\'s teams; a name in two namespaces asks which', async () => {
    const reports = await reportsWith(threeRuns);
    const typo = await reports.team('team-aa');
    expect(typo).toEqual({ kind: 'unknown', text: 'team-aa', suggestions: [{ team: 'group:default/team-a', name: 'Team A' }, { team: 'group:other/team-a', name: 'Other A' }] });
    expect(await reports.team('payments crw')).toMatchObject({ kind: 'unknown', suggestions: [{ team: 'group:default/team-b' }] });
    expect(await reports.team('zorblax')).toEqual({ kind: 'unknown', text: 'zorblax', suggestions: [] });
    const store = new InMemoryHealthRunStore();
    await store.saveRun(run('r9', 20, { 'group:mall/ops': 1, 'group:shop/ops': 2 }, {}), []);
    expect(await new CatalogHealthReports(store, () => NEXT).team('ops')).toMatchObject({ kind: 'unknown', suggestions: [{ team: 'group:mall/ops' }, { team: 'group:shop/ops' }] });
    expect(await new CatalogHealthReports(store, () => NEXT).team('shop/ops')).toMatchObject({ kind: 'team', team: { team: 'group:shop/ops' } });
  });

  it('words for an unknown team: the input as a code span, one or several suggestions, or none', () => {
    expect(unknownTeamText('team-aa', [{ team: 'group:default/team-a', name: 'Team A' }])).toBe(
      'The last catalog health run has no team called `team-aa`. Did you mean **Team A** (`group:default/team-a`)? Type **catalog health** followed by the team\'s name.',
    );
    expect(unknownTeamText('x', [{ team: 'group:default/a', name: 'A' }, { team: 'group:default/b', name: '__B__' }])).toContain('Did you mean **A** (`group:default/a`) or **\\_\\_B\\_\\_** (`group:default/b`)?');
    expect(unknownTeamText('[x](https://evil.example)', [])).toBe("The last catalog health run has no team called `[x](https://evil.example)`. Type **catalog health** to see every team's numbers.");
  });

  it('the sparkline runs from the lowest to the highest count; a run the team missed is a space', () => {
    const p = (failing?: number) => ({ runId: 'r', finishedAt: NEXT, ...(failing === undefined ? {} : { failing }) });
    expect(sparkline([p(10), p(20), p(15), p()])).toBe('▁█▅ ');
    expect(sparkline([p(3), p(3)])).toBe('▄▄');
  });
});
