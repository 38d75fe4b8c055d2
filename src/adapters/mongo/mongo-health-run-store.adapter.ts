/**
 * Health runs in MongoDB: one document per run (`health_runs`) and one per team and run
 * (`health_team_results`), so the digest reads one team's part without loading the others.
 * Ids derive from the run id (and team), so saving a run again replaces it, on any replica.
 */
import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { HealthRunStore } from '../../domain/catalog-health/health-run-store.port';
import type { HealthRun, TeamHealth } from '../../domain/catalog-health/health.types';
import { isDuplicateKeyError } from './mongo-connection';
import { naturalId } from './natural-id';
import { defineModel } from './model-definition';

interface RunDoc extends HealthRun {
  _id: Types.ObjectId;
}

interface TeamDoc extends TeamHealth {
  _id: Types.ObjectId;
}

const runSchema = new Schema<RunDoc>(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    id: { type: String, required: true },
    startedAt: { type: Date, required: true },
    finishedAt: { type: Date, required: true },
    entityCount: { type: Number, required: true },
    failingByRule: { type: Schema.Types.Mixed, default: {} },
    failingByTeam: { type: Schema.Types.Mixed, default: [] },
    repositoryCoverage: Number,
    liveOwnerCoverage: { type: Number, required: true },
    rules: [String],
  },
  { collection: 'health_runs', versionKey: false, minimize: false, strict: false },
);
runSchema.index({ finishedAt: -1 });
export const healthRunModel = defineModel('HealthRun', runSchema);

const teamSchema = new Schema<TeamDoc>(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    runId: { type: String, required: true },
    team: { type: String, required: true },
    entityCount: { type: Number, required: true },
    findings: { type: Schema.Types.Mixed, default: [] },
    waived: { type: Number, default: 0 },
  },
  { collection: 'health_team_results', versionKey: false, minimize: false, strict: false },
);
teamSchema.index({ runId: 1, team: 1 });
export const healthTeamResultModel = defineModel('HealthTeamResult', teamSchema);

const runDocId = (runId: string) => naturalId(`health-run:${runId}`);
const teamDocId = (runId: string, team: string) => naturalId(`health-team:${runId}:${team}`);

/** Team parts written per bulk call: keeps one request well under the 16 MB message limit. */
const TEAMS_PER_WRITE = 200;

export class MongoHealthRunStore implements HealthRunStore {
  private readonly runs: Model<RunDoc>;
  private readonly teams: Model<TeamDoc>;

  constructor(conn: Connection) {
    this.runs = healthRunModel.of(conn);
    this.teams = healthTeamResultModel.of(conn);
  }

  async saveRun(run: HealthRun, teams: TeamHealth[]): Promise<void> {
    // The run first out, the run last in: a reader finds either no run (and reads the previous
    // one) or a run with all of its teams. One delete and bulk inserts, not an upsert per team:
    // thousands of upserts cost a collection scan each on a server without indexes.
    await this.runs.collection.deleteOne({ _id: runDocId(run.id) });
    await this.teams.collection.deleteMany({ runId: run.id });
    for (let i = 0; i < teams.length; i += TEAMS_PER_WRITE) {
      const docs = teams.slice(i, i + TEAMS_PER_WRITE).map((t) => ({ ...t, runId: run.id, _id: teamDocId(run.id, t.team) }));
      await this.teams.collection.insertMany(docs, { ordered: false }).catch(ignoreDuplicates);
    }
    await this.runs.collection.replaceOne({ _id: runDocId(run.id) }, toRunDoc(run), { upsert: true });
  }

  async latestRuns(limit: number): Promise<HealthRun[]> {
    const docs = await this.runs.find({}, { _id: 0 }).sort({ finishedAt: -1 }).limit(limit).lean<HealthRun[]>();
    return docs.map(normaliseRun);
  }

  async runAt(at: Date): Promise<HealthRun | null> {
    const doc = await this.runs.findOne({ finishedAt: { $lte: at } }, { _id: 0 }).sort({ finishedAt: -1 }).lean<HealthRun>();
    return doc ? normaliseRun(doc) : null;
  }

  async teamHealth(runId: string, team: string): Promise<TeamHealth | null> {
    const doc = await this.teams.findOne({ _id: teamDocId(runId, team) }, { _id: 0 }).lean<TeamHealth>();
    return doc ? normaliseTeam(doc) : null;
  }

  async teamsOf(runId: string): Promise<TeamHealth[]> {
    const docs = await this.teams.find({ runId }, { _id: 0 }).sort({ team: 1 }).lean<TeamHealth[]>();
    return docs.map(normaliseTeam);
  }

  async prune(keep: number): Promise<number> {
    const old = await this.runs.find({}, { id: 1 }).sort({ finishedAt: -1 }).skip(keep).lean<{ id: string }[]>();
    if (!old.length) return 0;
    const ids = old.map((r) => r.id);
    await this.teams.deleteMany({ runId: { $in: ids } });
    await this.runs.deleteMany({ id: { $in: ids } });
    return old.length;
  }
}

/** Another replica saving the same run at once wrote the same documents: nothing is missing. */
function ignoreDuplicates(e: unknown): void {
  if (!isDuplicateKeyError(e)) throw e;
}

/**
 * Team refs can hold dots (an e-mail written as owner), which older MongoDB servers and some
 * Cosmos DB tiers refuse in field names: failingByTeam is stored as a list.
 */
function toRunDoc(run: HealthRun): Record<string, unknown> {
  return { ...run, _id: runDocId(run.id), failingByTeam: Object.entries(run.failingByTeam).map(([team, failing]) => ({ team, failing })) };
}

function normaliseRun(stored: HealthRun): HealthRun {
  const byTeam = stored.failingByTeam as unknown;
  const doc = { ...stored, failingByTeam: Array.isArray(byTeam) ? Object.fromEntries(byTeam.map((t: { team: string; failing: number }) => [t.team, t.failing])) : (stored.failingByTeam ?? {}) };
  const run: HealthRun = {
    id: doc.id,
    startedAt: new Date(doc.startedAt),
    finishedAt: new Date(doc.finishedAt),
    entityCount: doc.entityCount,
    failingByRule: doc.failingByRule ?? {},
    failingByTeam: doc.failingByTeam ?? {},
    liveOwnerCoverage: doc.liveOwnerCoverage,
    rules: doc.rules ?? [],
  };
  if (typeof doc.repositoryCoverage === 'number') run.repositoryCoverage = doc.repositoryCoverage;
  return { ...doc, ...run };
}

function normaliseTeam(doc: TeamHealth & { runId: string }): TeamHealth {
  return { ...doc, findings: doc.findings ?? [], waived: doc.waived ?? 0 };
}
