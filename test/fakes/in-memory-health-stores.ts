/** The health ports in memory: the same answers as the Mongo adapters (contract suite). */
import type { HealthRunStore } from '../../src/domain/catalog-health/health-run-store.port';
import type { HealthWaiverStore } from '../../src/domain/catalog-health/health-waiver-store.port';
import { isWaiverActive, waiverKey, type HealthRuleId, type HealthRun, type HealthWaiver, type TeamHealth } from '../../src/domain/catalog-health/health.types';

export class InMemoryHealthRunStore implements HealthRunStore {
  private runs = new Map<string, { run: HealthRun; teams: Map<string, TeamHealth> }>();

  async saveRun(run: HealthRun, teams: TeamHealth[]): Promise<void> {
    this.runs.set(run.id, structuredClone({ run, teams: new Map(teams.map((t) => [t.team, t])) }));
  }

  async latestRuns(limit: number): Promise<HealthRun[]> {
    return this.sorted().slice(0, limit).map((r) => structuredClone(r.run));
  }

  async runAt(at: Date): Promise<HealthRun | null> {
    const found = this.sorted().find((r) => r.run.finishedAt.getTime() <= at.getTime());
    return found ? structuredClone(found.run) : null;
  }

  async teamHealth(runId: string, team: string): Promise<TeamHealth | null> {
    const t = this.runs.get(runId)?.teams.get(team);
    return t ? structuredClone(t) : null;
  }

  async teamsOf(runId: string): Promise<TeamHealth[]> {
    const teams = [...(this.runs.get(runId)?.teams.values() ?? [])];
    return structuredClone(teams.sort((a, b) => (a.team < b.team ? -1 : a.team > b.team ? 1 : 0)));
  }

  async prune(keep: number): Promise<number> {
    const drop = this.sorted().slice(keep);
    for (const r of drop) this.runs.delete(r.run.id);
    return drop.length;
  }

  private sorted() {
    return [...this.runs.values()].sort((a, b) => b.run.finishedAt.getTime() - a.run.finishedAt.getTime());
  }
}

export class InMemoryHealthWaiverStore implements HealthWaiverStore {
  private waivers = new Map<string, HealthWaiver>();

  async put(waiver: HealthWaiver): Promise<void> {
    this.waivers.set(waiverKey(waiver.ref, waiver.ruleId), structuredClone(waiver));
  }

  async remove(ref: string, ruleId: HealthRuleId): Promise<boolean> {
    return this.waivers.delete(waiverKey(ref, ruleId));
  }

  async active(now: Date): Promise<HealthWaiver[]> {
    return [...this.waivers.values()].filter((w) => isWaiverActive(w, now)).map((w) => structuredClone(w));
  }

  async forEntities(refs: string[]): Promise<HealthWaiver[]> {
    const wanted = new Set(refs);
    return [...this.waivers.values()].filter((w) => wanted.has(w.ref)).map((w) => structuredClone(w));
  }
}
