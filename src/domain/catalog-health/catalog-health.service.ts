/**
 * The catalog health run, off the chat path (a scheduled job on one replica): read every entity
 * once, gather the outside facts once (Entra members per owner group, last commit per descriptor
 * file), evaluate every enabled rule, apply the waivers in force, group by owning team, compute
 * coverage and store the run with its teams' parts. A failing source for one group or file makes
 * the rules that need it "not evaluated" for those entities (HealthRun.notEvaluated); it never
 * fails the run. Re-running the same id replaces the stored run (an occurrence run again after a crash).
 */
import type { Directory } from '../access/directory.port';
import type { AuditLog } from '../audit/audit.port';
import type { CatalogStore, LocatedEntity } from '../catalog/catalog-store.port';
import { azureDevOpsLocation } from '../catalog/catalog-locations';
import type { SourceControl } from '../repos/source-control.port';
import { isDomainError } from '../domain-error';
import { HealthContext, type HealthThresholds } from './health-context';
import { toHealthEntity, type HealthEntity } from './health-entity';
import { evaluateHealth, percent } from './health-evaluation';
import { gatherFacts, type GatheredFacts } from './health-facts';
import type { HealthRunStore } from './health-run-store.port';
import { ALL_RULES, type HealthRule } from './health-rules';
import type { HealthWaiverStore } from './health-waiver-store.port';
import { waiverKey, type HealthRuleId, type HealthRun } from './health.types';

export interface HealthRunSettings extends HealthThresholds {
  /** Rule ids that do not run (HEALTH_RULES_DISABLED). */
  disabledRules: readonly HealthRuleId[];
  /** Azure DevOps projects whose repositories repositoryCoverage counts; [] leaves it undefined. */
  projects: readonly string[];
  /** Graph / Azure DevOps calls in flight at once. */
  concurrency: number;
}

export interface CatalogHealthDeps {
  catalog: Pick<CatalogStore, 'streamAll' | 'changedSince' | 'getLocations'>;
  runs: HealthRunStore;
  waivers: Pick<HealthWaiverStore, 'active'>;
  /** Absent: owner groups are judged by their catalog members only. */
  directory?: Pick<Directory, 'membersOf'>;
  /** Absent: descriptor-stale does not run and repository coverage is unknown. */
  sourceControl?: Pick<SourceControl, 'lastCommit' | 'listRepositories'>;
  audit?: AuditLog;
  settings: HealthRunSettings;
  clock?: () => Date;
}

export interface HealthRunLog {
  /** What a run did, for the log line the scheduler's job writes. */
  runId: string;
  entities: number;
  findings: number;
  calls: GatheredFacts['calls'];
  ms: { load: number; facts: number; evaluate: number; save: number };
}

const STREAM_BATCH = 5000;
const SOURCE_WORDS: Partial<Record<HealthRuleId, string>> = {
  'owner-group-inactive': 'Microsoft Graph did not answer for the owner groups of these entities',
  'descriptor-stale': "Azure DevOps did not give these descriptors' commit history",
};

export class CatalogHealthService {
  readonly rules: readonly HealthRule[];
  private readonly clock: () => Date;
  /** The last run's numbers (benchmarks and logs read them). */
  lastLog?: HealthRunLog;

  constructor(private readonly deps: CatalogHealthDeps) {
    const disabled = new Set(deps.settings.disabledRules);
    this.rules = ALL_RULES.filter((r) => !disabled.has(r.id));
    this.clock = deps.clock ?? (() => new Date());
  }

  async run(options: { id: string; signal?: AbortSignal }): Promise<HealthRun> {
    const { id, signal } = options;
    const startedAt = this.clock();
    const t0 = performance.now();
    const entities = await this.load();
    signal?.throwIfAborted();
    const t1 = performance.now();
    const enabled = new Set(this.rules.map((r) => r.id));
    const facts = await gatherFacts(
      entities,
      { groups: enabled.has('owner-group-inactive'), commits: enabled.has('descriptor-stale') },
      { ...(this.deps.directory ? { directory: this.deps.directory } : {}), ...(this.deps.sourceControl ? { sourceControl: this.deps.sourceControl } : {}), concurrency: this.deps.settings.concurrency, ...(signal ? { signal } : {}) },
    );
    const [waivers, repositoryCoverage] = await Promise.all([this.deps.waivers.active(startedAt), this.repositoryCoverage(entities)]);
    signal?.throwIfAborted();
    const t2 = performance.now();

    const rules = this.deps.sourceControl ? this.rules : this.rules.filter((r) => r.id !== 'descriptor-stale');
    const evaluation = evaluateHealth({
      runId: id,
      rules,
      context: new HealthContext(entities.values(), startedAt, this.deps.settings, facts),
      entities: entities.values(),
      waived: new Set(waivers.map((w) => waiverKey(w.ref, w.ruleId))),
      explain: (ruleId, codes) => `${SOURCE_WORDS[ruleId] ?? 'a source did not answer'} (${codes.join(', ')})`,
    });
    const t3 = performance.now();
    const run: HealthRun = { ...evaluation.run, startedAt, finishedAt: this.clock(), ...(repositoryCoverage !== undefined ? { repositoryCoverage } : {}) };
    await this.deps.runs.saveRun(run, evaluation.teams);
    const t4 = performance.now();
    await this.deps.audit?.record({
      actor: 'system:catalog-health',
      action: 'catalog.health.run',
      target: `health-run:${id}`,
      result: 'success',
      details: { entities: run.entityCount, findings: evaluation.findings, rules: run.rules.length, notEvaluated: run.notEvaluated?.map((n) => `${n.ruleId}:${n.entities}`) ?? [] },
    });
    this.lastLog = {
      runId: id,
      entities: run.entityCount,
      findings: evaluation.findings,
      calls: facts.calls,
      ms: { load: Math.round(t1 - t0), facts: Math.round(t2 - t1), evaluate: Math.round(t3 - t2), save: Math.round(t4 - t3) },
    };
    return run;
  }

  /** Keeps the newest `keep` runs. */
  prune(keep: number): Promise<number> {
    return this.deps.runs.prune(keep);
  }

  /** Every stored entity (active and orphaned: a dependency on an orphaned one is a finding), slimmed. */
  async load(): Promise<Map<string, HealthEntity>> {
    const byRef = new Map<string, HealthEntity>();
    const { catalog } = this.deps;
    if (catalog.streamAll) {
      for await (const batch of catalog.streamAll(STREAM_BATCH, { withLocation: true })) for (const e of batch) byRef.set(e.ref, toHealthEntity(e));
      return byRef;
    }
    for (let revision = 0; ; ) {
      const page: LocatedEntity[] = await catalog.changedSince(revision, STREAM_BATCH);
      if (!page.length) return byRef;
      for (const e of page) byRef.set(e.ref, toHealthEntity(e));
      revision = page[page.length - 1]!.revision;
    }
  }

  /**
   * % of the configured projects' repositories whose root catalog-info.yaml is valid: it holds an
   * active entity, or it was read without a problem while what it declares is held by another
   * location that says the same (a folder import of the same descriptors). Undefined without
   * projects or when a project cannot be listed (a partial number would mislead).
   */
  private async repositoryCoverage(entities: ReadonlyMap<string, HealthEntity>): Promise<number | undefined> {
    const { sourceControl, settings } = this.deps;
    if (!sourceControl || settings.projects.length === 0) return undefined;
    const rooted = new Set<string>();
    for (const e of entities.values()) if (e.status === 'active' && e.location?.startsWith('azure-devops:')) rooted.add(e.location.toLowerCase());
    const roots: string[] = [];
    try {
      for (const project of settings.projects) {
        for (const repo of await sourceControl.listRepositories(project)) roots.push(azureDevOpsLocation(repo.project || project, repo.name));
      }
    } catch (e) {
      if (isDomainError(e)) return undefined;
      throw e;
    }
    const readCleanly = new Set((await this.deps.catalog.getLocations(roots)).filter((l) => l.problems.length === 0 && (l.fingerprint || l.entityCount > 0)).map((l) => l.location.toLowerCase()));
    const repositories = roots.length;
    const covered = roots.filter((r) => rooted.has(r.toLowerCase()) || readCleanly.has(r.toLowerCase())).length;
    return repositories === 0 ? undefined : percent(covered, repositories);
  }
}

