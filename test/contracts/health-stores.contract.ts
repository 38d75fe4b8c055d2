/**
 * What every HealthRunStore and HealthWaiverStore must do, run against the in-memory fakes
 * (test/unit/health-stores.contract.test.ts) and the Mongo adapters on the run's store
 * (test/integration/health-stores.contract.int.test.ts). Each test uses ids of its own.
 */
import { randomUUID } from 'node:crypto';
import type { HealthRunStore } from '../../src/domain/catalog-health/health-run-store.port';
import type { HealthWaiverStore } from '../../src/domain/catalog-health/health-waiver-store.port';
import type { HealthFinding, HealthRun, HealthWaiver, TeamHealth } from '../../src/domain/catalog-health/health.types';

export interface HealthStoresFixture {
  runs: HealthRunStore;
  waivers: HealthWaiverStore;
  close(): Promise<void>;
}

const finding = (ref: string, ruleId: HealthFinding['ruleId'] = 'owner-missing'): HealthFinding => ({ ref, ruleId, severity: 'error', detail: `${ref} fails ${ruleId}` });

const run = (id: string, finishedAt: string, extra: Partial<HealthRun> = {}): HealthRun => ({
  id,
  startedAt: new Date(new Date(finishedAt).getTime() - 1000),
  finishedAt: new Date(finishedAt),
  entityCount: 3,
  failingByRule: { 'owner-missing': 2 },
  failingByTeam: { 'group:default/a': 2, 'group:default/jane.doe@contoso.example': 1 }, // an e-mail written as owner: dots in a key
  liveOwnerCoverage: 66.7,
  rules: ['owner-missing', 'contact-missing'],
  ...extra,
});

const team = (runId: string, name: string, findings: HealthFinding[] = [], waived = 0): TeamHealth => ({ runId, team: name, entityCount: findings.length + 1, findings, waived });

const waiver = (ref: string, extra: Partial<HealthWaiver> = {}): HealthWaiver => ({
  ref,
  ruleId: 'contact-missing',
  kind: 'snooze',
  until: new Date('2031-01-31T00:00:00Z'),
  by: { id: 'aad-alice', name: 'Alice' },
  at: new Date('2031-01-01T00:00:00Z'),
  ...extra,
});

export function healthStoresContract(name: string, makeFixture: () => Promise<HealthStoresFixture>): void {
  describe(`Health stores contract: ${name}`, () => {
    let f: HealthStoresFixture;
    beforeEach(async () => {
      f = await makeFixture();
    });
    afterEach(async () => {
      await f?.close();
    });

    it('a saved run is read back whole, newest first, with each team part', async () => {
      await f.runs.saveRun(run('r1', '2031-01-01T00:00:00Z', { repositoryCoverage: 50 }), [team('r1', 'group:default/b', [finding('component:default/x')]), team('r1', 'group:default/a')]);
      await f.runs.saveRun(run('r2', '2031-01-08T00:00:00Z'), [team('r2', 'group:default/a', [finding('component:default/y', 'contact-missing')], 1)]);
      const latest = await f.runs.latestRuns(5);
      expect(latest.map((r) => r.id)).toEqual(['r2', 'r1']);
      expect(latest[1]).toEqual(run('r1', '2031-01-01T00:00:00Z', { repositoryCoverage: 50 }));
      expect(latest[0]!.repositoryCoverage).toBeUndefined();
      expect(await f.runs.latestRuns(1)).toHaveLength(1);
      expect((await f.runs.teamsOf('r1')).map((t) => t.team)).toEqual(['group:default/a', 'group:default/b']);
      expect(await f.runs.teamHealth('r2', 'group:default/a')).toEqual(expect.objectContaining({ runId: 'r2', team: 'group:default/a', waived: 1, findings: [finding('component:default/y', 'contact-missing')] }));
      expect(await f.runs.teamHealth('r2', 'group:default/b')).toBeNull();
      expect(await f.runs.teamHealth('nope', 'group:default/a')).toBeNull();
      expect(await f.runs.teamsOf('nope')).toEqual([]);
    });

    it('saving a run again replaces it and its teams (a re-run of one occurrence leaves one run)', async () => {
      await f.runs.saveRun(run('r1', '2031-01-01T00:00:00Z'), [team('r1', 'group:default/a', [finding('component:default/x')]), team('r1', 'group:default/gone')]);
      await f.runs.saveRun(run('r1', '2031-01-01T00:00:00Z', { entityCount: 9 }), [team('r1', 'group:default/a')]);
      const latest = await f.runs.latestRuns(10);
      expect(latest).toHaveLength(1);
      expect(latest[0]!.entityCount).toBe(9);
      expect((await f.runs.teamsOf('r1')).map((t) => [t.team, t.findings.length])).toEqual([['group:default/a', 0]]);
    });

    it('runAt finds the newest run finished at or before a moment', async () => {
      await f.runs.saveRun(run('w1', '2031-01-01T09:00:00Z'), []);
      await f.runs.saveRun(run('w2', '2031-01-08T09:00:00Z'), []);
      expect((await f.runs.runAt(new Date('2031-01-08T08:59:59Z')))?.id).toBe('w1');
      expect((await f.runs.runAt(new Date('2031-01-08T09:00:00Z')))?.id).toBe('w2');
      expect(await f.runs.runAt(new Date('2030-12-31T00:00:00Z'))).toBeNull();
    });

    it('prune keeps the newest runs and drops the others with their teams', async () => {
      for (let i = 1; i <= 4; i++) await f.runs.saveRun(run(`p${i}`, `2031-01-0${i}T00:00:00Z`), [team(`p${i}`, 'group:default/a')]);
      expect(await f.runs.prune(2)).toBe(2);
      expect((await f.runs.latestRuns(10)).map((r) => r.id)).toEqual(['p4', 'p3']);
      expect(await f.runs.teamsOf('p1')).toEqual([]);
      expect(await f.runs.prune(2)).toBe(0);
    });

    it('a waiver is one per (entity, rule): put replaces, remove lifts', async () => {
      const ref = `component:default/w-${randomUUID().slice(0, 8)}`;
      await f.waivers.put(waiver(ref, { reason: 'first' }));
      await f.waivers.put(waiver(ref, { kind: 'not-applicable', until: undefined, reason: 'a batch job, nobody pages for it' }));
      await f.waivers.put(waiver(ref, { ruleId: 'owner-missing' }));
      const mine = await f.waivers.forEntities([ref]);
      expect(mine).toHaveLength(2);
      expect(mine.find((w) => w.ruleId === 'contact-missing')).toEqual({ ref, ruleId: 'contact-missing', kind: 'not-applicable', reason: 'a batch job, nobody pages for it', by: { id: 'aad-alice', name: 'Alice' }, at: new Date('2031-01-01T00:00:00Z') });
      expect(mine.find((w) => w.ruleId === 'owner-missing')?.reason).toBeUndefined();
      expect(await f.waivers.remove(ref, 'owner-missing')).toBe(true);
      expect(await f.waivers.remove(ref, 'owner-missing')).toBe(false);
      expect(await f.waivers.forEntities([ref])).toHaveLength(1);
      expect(await f.waivers.forEntities([])).toEqual([]);
    });

    it('active() leaves out snoozes that ran out; not-applicable stays until lifted', async () => {
      const ref = `component:default/a-${randomUUID().slice(0, 8)}`;
      await f.waivers.put(waiver(ref, { ruleId: 'contact-missing', until: new Date('2031-01-31T00:00:00Z') }));
      await f.waivers.put(waiver(ref, { ruleId: 'owner-missing', kind: 'not-applicable', until: undefined, reason: 'owned by a vendor' }));
      const activeAt = async (iso: string) => (await f.waivers.active(new Date(iso))).filter((w) => w.ref === ref).map((w) => w.ruleId).sort();
      expect(await activeAt('2031-01-30T23:59:59Z')).toEqual(['contact-missing', 'owner-missing']);
      expect(await activeAt('2031-01-31T00:00:00Z')).toEqual(['owner-missing']);
    });
  });
}
