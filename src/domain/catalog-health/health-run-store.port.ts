import type { HealthRun, TeamHealth } from './health.types';

/** Health runs and each team's findings per run, shared by every replica (MongoDB). */
export interface HealthRunStore {
  /** Stores a finished run with its teams' parts (an existing id is replaced: a re-run of an occurrence). */
  saveRun(run: HealthRun, teams: TeamHealth[]): Promise<void>;
  /** The newest runs first, at most `limit`. */
  latestRuns(limit: number): Promise<HealthRun[]>;
  /** The newest run that finished at or before `at`; null when none. */
  runAt(at: Date): Promise<HealthRun | null>;
  /** One team's part of a run; null when the team had no entities in it. */
  teamHealth(runId: string, team: string): Promise<TeamHealth | null>;
  /** Every team's part of a run, in team order (the digest walks them). */
  teamsOf(runId: string): Promise<TeamHealth[]>;
  /** Drops runs older than the newest `keep` (and their teams' parts). */
  prune(keep: number): Promise<number>;
}
