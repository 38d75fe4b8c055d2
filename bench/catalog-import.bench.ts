/**
 * Catalog import at scale (issue 3: 100k entities, first import <= 60 s, re-import of unchanged
 * files <= 15 s with no writes). Generates N entities as Backstage YAML (files of 1000 documents)
 * in a temp folder, imports them into a fresh embedded store, then imports the same files again.
 * A measurement, not a test:
 *
 *   npx tsx bench/catalog-import.bench.ts            # N = 100000
 *   CATALOG_BENCH_N=20000 npx tsx bench/catalog-import.bench.ts
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileDescriptorSource } from '../src/adapters/files/file-descriptor-source.adapter';
import { MongoAuditLog } from '../src/adapters/mongo/mongo-audit-log.adapter';
import { MongoCatalogStore } from '../src/adapters/mongo/mongo-catalog-store.adapter';
import { connectMongo } from '../src/adapters/mongo/mongo-connection';
import { CatalogImportService } from '../src/domain/catalog/catalog-import.service';
import type { CatalogStore } from '../src/domain/catalog/catalog-store.port';
import type { ImportResult } from '../src/domain/catalog/catalog.types';
import { startEmbeddedMongo } from '../src/sandbox/embedded-mongo';

const N = Number(process.env.CATALOG_BENCH_N ?? 100_000);
const PER_FILE = 1000;
const TEAMS = 200;
const SYSTEMS = 500;

/** One realistic descriptor document: mostly Components, some APIs and Resources, all annotated. */
function document(i: number): string {
  const team = `team-${i % TEAMS}`;
  const system = `system-${i % SYSTEMS}`;
  const kind = i % 10 === 9 ? 'Resource' : i % 10 === 8 ? 'API' : 'Component';
  const name = `${kind.toLowerCase()}-${i}`;
  const common = `apiVersion: backstage.io/v1alpha1
kind: ${kind}
metadata:
  name: ${name}
  title: ${kind} number ${i}
  description: Generated ${kind.toLowerCase()} ${i} owned by ${team}, part of ${system}.
  tags: [bench, ${['java', 'node', 'python', 'go'][i % 4]}]
  annotations:
    idp.dev/tier: tier-${(i % 3) + 1}
    idp.dev/aliases: alias-${i},svc${i}
    dev.azure.com/project-repo: Project${i % 50}/${name}
    dev.azure.com/build-definition: ${name}-ci,${name}-deploy
    idp.dev/oncall-rotation: ${team}-primary
    idp.dev/oncall-current: Person ${i % 997} <person${i % 997}@contoso.example>
  links:
    - url: https://grafana.contoso.example/d/${name}
      title: Dashboard
    - url: https://logs.contoso.example/app/${name}
      title: Logs
    - url: https://runbooks.contoso.example/${team}/${name}
      title: Runbook
`;
  if (kind === 'API') return `${common}spec:\n  type: openapi\n  lifecycle: production\n  owner: ${team}\n  system: ${system}\n  definition: "openapi: 3.0.3"\n`;
  if (kind === 'Resource') return `${common}spec:\n  type: database\n  owner: ${team}\n  system: ${system}\n`;
  return `${common}spec:
  type: service
  lifecycle: production
  owner: ${team}
  system: ${system}
  dependsOn: [component:component-${(i + 1) % N}, resource:resource-${(Math.floor(i / 10) * 10 + 9) % N}]
  providesApis: [api-${(Math.floor(i / 10) * 10 + 8) % N}]
`;
}

function generate(dir: string): number {
  let files = 0;
  for (let start = 0; start < N; start += PER_FILE) {
    const docs: string[] = [];
    for (let i = start; i < Math.min(N, start + PER_FILE); i++) docs.push(document(i));
    writeFileSync(path.join(dir, `catalog-${String(files).padStart(4, '0')}.yaml`), docs.join('---\n'));
    files++;
  }
  return files;
}

/** Time spent inside the store, to tell it apart from reading and parsing. */
function timed(store: CatalogStore): { store: CatalogStore; ms: () => number; reset: () => void } {
  let ms = 0;
  const wrapped = new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const t = performance.now();
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          ms += performance.now() - t;
        }
      };
    },
  });
  return { store: wrapped, ms: () => ms, reset: () => (ms = 0) };
}

/** Resident memory of this process's children (the embedded store runs in one). */
function childrenRssMb(): number {
  let kb = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return Math.round(kb / 1024);
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const sum = (results: ImportResult[], key: 'created' | 'updated' | 'unchanged' | 'orphaned') => results.reduce((n, r) => n + r[key], 0);

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'catalog-bench-'));
  const mongo = await startEmbeddedMongo();
  const conn = await connectMongo(mongo.uri, 'catalog_bench');
  try {
    let t = performance.now();
    const files = generate(dir);
    console.log(`generated ${N} entities in ${files} files (${mb(readdirSync(dir).reduce((n, f) => n + readFileSync(path.join(dir, f)).length, 0))} MB) in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const mongoStore = new MongoCatalogStore(conn);
    const store = timed(mongoStore);
    const service = new CatalogImportService({ store: store.store, audit: new MongoAuditLog(conn), descriptors: new FileDescriptorSource() });

    let peakRss = 0;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
    t = performance.now();
    const first = await service.importLocations([dir]);
    const firstS = (performance.now() - t) / 1000;
    const problems = first.reduce((n, r) => n + r.problems.length, 0);
    console.log(
      `first import: ${firstS.toFixed(1)} s (store ${(store.ms() / 1000).toFixed(1)} s, read+parse+validate ${(firstS - store.ms() / 1000).toFixed(1)} s); ` +
        `created ${sum(first, 'created')}, problems ${problems}, stored ${await mongoStore.count()}, revision ${await mongoStore.currentRevision()}`,
    );
    console.log(`RSS during the first import: bench peak ${mb(peakRss)} MB; after it: bench ${mb(process.memoryUsage().rss)} MB, store process ${childrenRssMb()} MB`);

    const writesBefore = mongoStore.stats.writes;
    const revisionBefore = await mongoStore.currentRevision();
    store.reset();
    t = performance.now();
    const again = await service.importLocations([dir]);
    const againS = (performance.now() - t) / 1000;
    const writes = mongoStore.stats.writes - writesBefore;
    console.log(
      `re-import (unchanged files): ${againS.toFixed(1)} s (store ${(store.ms() / 1000).toFixed(1)} s); unchanged ${sum(again, 'unchanged')}, ` +
        `created ${sum(again, 'created')}, updated ${sum(again, 'updated')}, orphaned ${sum(again, 'orphaned')}, writes ${writes}, ` +
        `revision ${revisionBefore} -> ${await mongoStore.currentRevision()}`,
    );
    clearInterval(sampler);
    console.log(`RSS at the end: bench ${mb(process.memoryUsage().rss)} MB (peak ${mb(peakRss)} MB), store process ${childrenRssMb()} MB`);
    console.log(
      JSON.stringify({ entities: N, files, firstImportSeconds: +firstS.toFixed(1), reimportSeconds: +againS.toFixed(1), reimportWrites: writes, problems, peakRssMb: mb(peakRss), storeRssMb: childrenRssMb() }),
    );
    if (firstS > 60 || againS > 15 || writes > 0 || problems > 0) process.exitCode = 1;
  } finally {
    await conn.close();
    await mongo.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
