/**
 * The catalog health run at 100,000 entities (issue 10: <= 10 s, off the chat path).
 *   npm run bench:health          (BENCH_ENTITIES=100000 BENCH_RUNS=5 BENCH_MONGO=1 BENCH_PER_FILE=10)
 * Prints the entities, findings, and medians of the evaluate phase (context + every rule over
 * every entity + grouping, no I/O) and of the full run (read all, facts, evaluate, store) against
 * the in-memory fakes, then the full run against the embedded MongoDB-compatible store (its phases
 * too). The directory and source control are in-memory ports answering after a tick (no network).
 */
import { connectMongo } from '../src/adapters/mongo/mongo-connection';
import { MongoCatalogStore } from '../src/adapters/mongo/mongo-catalog-store.adapter';
import { MongoHealthRunStore } from '../src/adapters/mongo/mongo-health-run-store.adapter';
import { MongoHealthWaiverStore } from '../src/adapters/mongo/mongo-health-waiver-store.adapter';
import { CatalogHealthService, type CatalogHealthDeps, type HealthRunSettings } from '../src/domain/catalog-health/catalog-health.service';
import { HealthContext, type HealthFacts } from '../src/domain/catalog-health/health-context';
import { evaluateHealth } from '../src/domain/catalog-health/health-evaluation';
import { gatherFacts } from '../src/domain/catalog-health/health-facts';
import type { DirectoryUser } from '../src/domain/access/access.types';
import type { CatalogStore, LocationBatch } from '../src/domain/catalog/catalog-store.port';
import type { CatalogEntityInput } from '../src/domain/catalog/catalog.types';
import type { LastCommit } from '../src/domain/repos/source-control.port';
import type { RepositoryInfo } from '../src/domain/repos/repos.types';
import { startEmbeddedMongo } from '../src/sandbox/embedded-mongo';
import { InMemoryCatalogStore } from '../test/fakes/in-memory-catalog-store';
import { InMemoryHealthRunStore, InMemoryHealthWaiverStore } from '../test/fakes/in-memory-health-stores';
import { generateCatalog } from '../test/fixtures/catalog-generator';

const ENTITIES = Number(process.env.BENCH_ENTITIES ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const MONGO = process.env.BENCH_MONGO !== '0';
const PER_FILE = Number(process.env.BENCH_PER_FILE ?? 10);
const SEED = 2026;
const NOW = new Date('2026-11-30T00:00:00Z');
const SETTINGS: HealthRunSettings = { descriptorStaleMonths: 12, deploymentStaleDays: 90, disabledRules: [], projects: [], concurrency: 8 };

/** The generated catalog, with what the generator leaves out: Entra ids on groups, some orphans, commit dates. */
function catalog(): { batches: LocationBatch[]; groupIds: string[]; files: number } {
  const inputs = generateCatalog({ entities: ENTITIES, seed: SEED });
  const groupIds: string[] = [];
  inputs.forEach((e: CatalogEntityInput, i) => {
    if (e.kind === 'Group' && i % 5 !== 0) {
      const id = `aad-${e.name}`;
      e.profile = { ...e.profile, aadObjectId: id };
      groupIds.push(id);
    }
    if (e.kind === 'API' && i % 3 !== 0) e.definition = { source: 'inline', bytes: 100 };
  });
  // The generator gives most Components a repository of their own; real organisations share them
  // (monorepos, a service with its API and database in one file): PER_FILE consecutive locations become one.
  const merged = new Map<string, string>();
  [...new Set(inputs.map((e) => e.location))].forEach((l, i, all) => merged.set(l, all[i - (i % PER_FILE)]!));
  const byLocation = new Map<string, CatalogEntityInput[]>();
  for (const e of inputs) {
    e.location = merged.get(e.location)!;
    (byLocation.get(e.location) ?? byLocation.set(e.location, []).get(e.location)!).push(e);
  }
  return { batches: [...byLocation].map(([location, entities]) => ({ location, entities })), groupIds, files: [...byLocation.keys()].filter((l) => l.startsWith('azure-devops:')).length };
}

/** Directory and SourceControl ports in memory, answering on the next tick like a (very fast) remote. */
function sources(groupIds: string[]) {
  const members = new Map(groupIds.map((id, i) => [id, Array.from({ length: 4 }, (_, m): DirectoryUser => ({ id: `${id}-u${m}`, userPrincipalName: `${id}-u${m}@x`, displayName: 'U', mail: null, jobTitle: null, department: null, accountEnabled: i % 17 !== 0 }))]));
  let calls = 0;
  const tick = () => new Promise<void>((r) => setImmediate(r));
  return {
    calls: () => calls,
    directory: { membersOf: async (id: string) => (calls++, await tick(), members.get(id) ?? []) },
    sourceControl: {
      lastCommit: async (_p: string, repo: string): Promise<LastCommit | null> => {
        calls++;
        await tick();
        return { commitId: 'c'.repeat(40), date: new Date(NOW.getTime() - (repo.length % 7) * 90 * 86_400_000) };
      },
      listRepositories: async (): Promise<RepositoryInfo[]> => [],
    },
  };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

async function evaluatePhase(service: CatalogHealthService, deps: ReturnType<typeof sources>): Promise<{ ms: number[]; findings: number; entities: number }> {
  const entities = await service.load();
  const facts: HealthFacts = await gatherFacts(entities, { groups: true, commits: true }, { ...deps, concurrency: 8 });
  const times: number[] = [];
  let findings = 0;
  let checked = 0;
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const result = evaluateHealth({ runId: 'bench', rules: service.rules, context: new HealthContext(entities.values(), NOW, SETTINGS, facts), entities: entities.values(), waived: new Set() });
    times.push(performance.now() - t);
    findings = result.findings;
    checked = result.run.entityCount;
  }
  return { ms: times, findings, entities: checked };
}

async function fullRuns(label: string, deps: CatalogHealthDeps, runs: number): Promise<void> {
  const service = new CatalogHealthService(deps);
  const times: number[] = [];
  const phases: string[] = [];
  for (let i = 0; i < runs; i++) {
    await service.prune(1); // as the schedule does after each run (here keeping one), outside the time
    const t = performance.now();
    await service.run({ id: `bench-${i}` });
    times.push(performance.now() - t);
    const l = service.lastLog!;
    phases.push(`load ${l.ms.load} ms, facts ${l.ms.facts} ms (${l.calls.graph} Graph + ${l.calls.devOps} Azure DevOps calls), evaluate ${l.ms.evaluate} ms, save ${l.ms.save} ms`);
  }
  console.log(`${label}: full run median ${s(median(times))} over ${runs} (min ${s(Math.min(...times))}, max ${s(Math.max(...times))}); last: ${phases[phases.length - 1]}`);
}

async function main(): Promise<void> {
  let t = performance.now();
  const { batches, groupIds, files } = catalog();
  console.log(`generated ${ENTITIES} entities in ${batches.length} locations (${files} Azure DevOps descriptors, ${groupIds.length} groups with an Entra id) in ${s(performance.now() - t)}`);

  const store = new InMemoryCatalogStore();
  await store.applyLocations(batches);
  // Orphan 1% (a removed file): dependencies on them are findings.
  await store.applyLocations(batches.filter((_, i) => i % 100 === 0).map((b) => ({ location: b.location, entities: b.entities.slice(1) })));
  const deps = sources(groupIds);
  const fakeDeps: CatalogHealthDeps = { catalog: store, runs: new InMemoryHealthRunStore(), waivers: new InMemoryHealthWaiverStore(), ...deps, settings: SETTINGS, clock: () => NOW };

  const evaluation = await evaluatePhase(new CatalogHealthService(fakeDeps), deps);
  console.log(`checked ${evaluation.entities} entities, ${evaluation.findings} findings`);
  console.log(`evaluate phase (context + 13 rules + grouping): median ${s(median(evaluation.ms))} over ${RUNS} (min ${s(Math.min(...evaluation.ms))}, max ${s(Math.max(...evaluation.ms))})`);
  await fullRuns('fakes', fakeDeps, RUNS);

  if (!MONGO) return;
  const mongo = await startEmbeddedMongo();
  const conn = await connectMongo(mongo.uri, 'health_bench');
  try {
    const mongoStore = new MongoCatalogStore(conn);
    t = performance.now();
    await mongoStore.applyLocations(batches); // one call: one read of what is stored (the test store has no indexes)
    console.log(`embedded MongoDB: ${await mongoStore.count()} entities written in ${s(performance.now() - t)}`);
    await fullRuns('embedded MongoDB', { ...fakeDeps, catalog: mongoStore as CatalogStore, runs: new MongoHealthRunStore(conn), waivers: new MongoHealthWaiverStore(conn) }, Math.min(RUNS, 3));
  } finally {
    await conn.close();
    await mongo.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
