/**
 * Issue 3's index measurement: a generated catalog of 100,000 entities, the search index built from
 * a store, then "who owns" and compose-box search timed per call over 2,000 mixed questions.
 *   npx tsx bench/catalog-index.bench.ts        (BENCH_ENTITIES=100000 BENCH_QUERIES=2000)
 * The index is built in a child process whose store streams the catalog from an NDJSON file, the
 * way the bot reads the Mongo store over a socket: the child's RSS is the bot's index cost, not the
 * generator's or the store's.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CatalogQueryService } from '../src/domain/catalog/catalog-query.service';
import { InMemoryCatalogSearch } from '../src/adapters/catalog-index/in-memory-catalog-search';
import type { CatalogStore } from '../src/domain/catalog/catalog-store.port';
import type { CatalogEntity, Deployment } from '../src/domain/catalog/catalog.types';
import { generateCatalog, generateQueries, type GeneratedQuery } from '../test/fixtures/catalog-generator';

const ENTITIES = Number(process.env.BENCH_ENTITIES ?? 100_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 2_000);
const SEED = 20_26;
const PAGE_SIZE = Number(process.env.BENCH_PAGE_SIZE ?? 1000);

async function parent(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'catalog-index-bench-'));
  let t = performance.now();
  const inputs = generateCatalog({ entities: ENTITIES, seed: SEED });
  const queries = generateQueries(inputs, { count: QUERIES, seed: SEED + 1 });
  console.log(`generated ${inputs.length} entities and ${queries.length} queries in ${ms(t)}`);
  t = performance.now();
  const lines = inputs.map((e, i) => JSON.stringify({ ...e, status: 'active', deployments: deploymentsFor(e.tier, i), revision: i + 1, updatedAt: new Date() } satisfies CatalogEntity));
  writeFileSync(path.join(dir, 'catalog.ndjson'), `${lines.join('\n')}\n`);
  writeFileSync(path.join(dir, 'queries.json'), JSON.stringify(queries));
  console.log(`wrote ${(lines.reduce((a, l) => a + l.length + 1, 0) / 1e6).toFixed(0)} MB of NDJSON in ${ms(t)}`);
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', __filename, '--child', dir], { stdio: 'inherit' });
    child.on('exit', resolve);
  });
  if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
  process.exitCode = code ?? 1;
}

async function child(dir: string): Promise<void> {
  gc();
  const baseline = process.memoryUsage();
  const store = new NdjsonCatalogStore(path.join(dir, 'catalog.ndjson'));
  // The index only reads (changedSince, currentRevision): the write half of the port is not needed here.
  const index = new InMemoryCatalogSearch(store as unknown as CatalogStore, { pageSize: PAGE_SIZE });
  const t = performance.now();
  const built = await index.build();
  const buildMs = performance.now() - t;
  const afterBuild = process.memoryUsage();
  gc();
  const settled = process.memoryUsage();
  const service = new CatalogQueryService({ index });
  const queries = JSON.parse(readFileSync(path.join(dir, 'queries.json'), 'utf8')) as GeneratedQuery[];

  for (const q of queries.slice(0, 200)) await service.whoOwns(q.text); // warm-up: JIT
  const owns: number[] = [];
  let matched = 0;
  for (const q of queries) {
    const s = performance.now();
    const answer = await service.whoOwns(q.text);
    owns.push(performance.now() - s);
    if (answer.kind === 'found') matched++;
  }
  const searches: number[] = [];
  for (const q of queries) {
    const s = performance.now();
    service.search(q.text, 25);
    searches.push(performance.now() - s);
  }
  // Compose-box typing: every prefix of some names, the heaviest shape (short prefixes match thousands).
  const typing: number[] = [];
  for (const q of queries.slice(0, 200)) {
    for (let n = 1; n <= q.text.length; n += 2) {
      const s = performance.now();
      service.search(q.text.slice(0, n), 25);
      typing.push(performance.now() - s);
    }
  }
  // Message extension at concurrency 10: ten clients, each sending its next query as soon as the
  // previous answered; latency includes waiting behind the others on the one event loop.
  const concurrent: number[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: 10 }, async () => {
    while (next < queries.length) {
      const q = queries[next++];
      const arrived = performance.now();
      await new Promise((r) => setImmediate(r));
      service.search(q.text, 25);
      concurrent.push(performance.now() - arrived);
    }
  }));
  await new Promise((r) => setTimeout(r, 3000));
  gc();
  const idle = process.memoryUsage();
  const mb = (b: number) => `${(b / 1e6).toFixed(0)} MB`;
  console.log(JSON.stringify({
    entities: built.size,
    buildMs: Math.round(buildMs),
    storeReadMs: Math.round(store.readMs),
    rss: { baseline: mb(baseline.rss), afterBuild: mb(afterBuild.rss), afterGc: mb(settled.rss), afterQueriesAndIdle: mb(idle.rss) },
    heap: { usedBaseline: mb(baseline.heapUsed), used: mb(idle.heapUsed), committed: mb(idle.heapTotal) },
    offHeap: { external: mb(idle.external), arrayBuffers: mb(idle.arrayBuffers) },
    whoOwns: { ...percentiles(owns), found: `${matched}/${queries.length}` },
    search: percentiles(searches),
    searchWhileTyping: { ...percentiles(typing), calls: typing.length },
    searchAtConcurrency10: percentiles(concurrent),
  }, null, 2));
}

/**
 * A CatalogStore reading `changedSince` pages from an NDJSON file (revision = line number), parsing
 * only the page asked for: like a database, it does not hold the catalog in the reader's heap.
 */
class NdjsonCatalogStore implements Pick<CatalogStore, 'changedSince' | 'currentRevision'> {
  private readonly offsets: number[] = [0];
  readMs = 0;

  constructor(private readonly file: string) {
    const fd = openSync(file, 'r');
    const chunk = Buffer.alloc(1 << 20);
    for (let pos = 0, n; (n = readSync(fd, chunk, 0, chunk.length, pos)) > 0; pos += n) {
      for (let i = chunk.indexOf(10); i >= 0 && i < n; i = chunk.indexOf(10, i + 1)) this.offsets.push(pos + i + 1);
    }
    closeSync(fd);
  }

  async changedSince(revision: number, limit: number): Promise<CatalogEntity[]> {
    const t = performance.now();
    const first = Math.max(0, revision);
    const last = Math.min(this.offsets.length - 1, first + limit);
    if (first >= last) return [];
    const buf = Buffer.alloc(this.offsets[last] - this.offsets[first]);
    const fd = openSync(this.file, 'r');
    readSync(fd, buf, 0, buf.length, this.offsets[first]);
    closeSync(fd);
    const page = buf.toString('utf8').split('\n').filter(Boolean).map((l) => withDates(JSON.parse(l) as CatalogEntity));
    this.readMs += performance.now() - t;
    return page;
  }

  async currentRevision(): Promise<number> {
    return this.offsets.length - 1;
  }
}

/** Dates, as a database driver hands them out (a JSON.parse reviver would cost more than the parse). */
function withDates(e: CatalogEntity): CatalogEntity {
  e.updatedAt = new Date(e.updatedAt);
  for (const d of e.deployments) d.deployedAt = new Date(d.deployedAt);
  if (e.onCall?.current?.until) e.onCall.current.until = new Date(e.onCall.current.until);
  if (e.onCall?.updatedAt) e.onCall.updatedAt = new Date(e.onCall.updatedAt);
  return e;
}

function deploymentsFor(tier: string | undefined, i: number): Deployment[] {
  if (!tier || tier === 'tier-3') return [];
  return ['dev', 'staging', 'prod'].map((environment, k) => ({
    environment,
    version: `1.${i % 50}.${k}`,
    status: k === 2 && i % 17 === 0 ? 'failed' : 'succeeded',
    deployedAt: new Date(Date.UTC(2025, 0, 1 + k, i % 24)),
    pipelineRunUrl: `https://dev.azure.com/contoso/Platform/_build/results?buildId=${100000 + i * 3 + k}`,
    deployedBy: 'pipeline',
  }));
}

function percentiles(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { p50: `${at(0.5).toFixed(3)} ms`, p99: `${at(0.99).toFixed(3)} ms`, max: `${s[s.length - 1].toFixed(3)} ms` };
}

const ms = (since: number) => `${Math.round(performance.now() - since)} ms`;
const gc = () => (globalThis as { gc?: () => void }).gc?.();

const at = process.argv.indexOf('--child');
(at > 0 ? child(process.argv[at + 1]) : parent()).catch((err) => {
  console.error(err);
  process.exit(1);
});
