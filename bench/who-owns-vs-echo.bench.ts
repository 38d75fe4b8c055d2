/**
 * Issue 3's end-to-end measurement, all in one run on this machine:
 *  1. 100,000 generated entities written as catalog-info.yaml files (CATALOG_LOCATIONS);
 *  2. the bot (sandbox, its own process) imports them: time to /readyz, first import;
 *  3. the bot restarted on the same store: index start time (from the snapshot the first start saved) and resident memory;
 *  4. "who owns" turns through /api/messages (expectReplies) vs a bare echo bot, concurrency 50,
 *     rounds alternating, medians and ratios (throughput and p99);
 *  5. message-extension queries (composeExtension/query invokes), concurrency 10: p50/p99.
 * The bot runs as `npm start` runs it: compiled once (scripts/build.mjs), `node dist/src/main.js`
 * with the same flags (plus BENCH_NODE_FLAGS, space-separated, to try others).
 *   npx tsx bench/who-owns-vs-echo.bench.ts   (BENCH_ENTITIES=100000 BENCH_SECONDS=8 BENCH_ROUNDS=3 BENCH_DATA_DIR=<an earlier run's>)
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_TENANT_ID } from '../src/sandbox/seed/demo-org';
import { generateCatalog, generateQueries, writeCatalogYaml } from '../test/fixtures/catalog-generator';
import { freePort, load, median, messageBody, stopProcess, type LoadResult } from './lib/load';

const ENTITIES = Number(process.env.BENCH_ENTITIES ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ROOT = path.join(__dirname, '..');
/** `npm start`'s environment settings and node flags (read from package.json), plus any flags to try. */
const START = startCommand();
const NODE_FLAGS = [...START.flags, ...(process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean)];

function startCommand(): { env: Record<string, string>; flags: string[] } {
  const start = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const run = /&& ((?:\w+=\S+ )*)node ((?:--\S+ )*)dist\/src\/main\.js/.exec(start);
  if (!run) throw new Error(`cannot find the node command in npm start: ${start}`);
  const env = Object.fromEntries(run[1].split(' ').filter(Boolean).map((kv) => kv.split('=') as [string, string]));
  return { env, flags: run[2].split(' ').filter(Boolean) };
}

interface BotProcess {
  child: ChildProcess;
  logs: string[];
  url: string;
  readyMs: number;
}

async function startBot(env: Record<string, string>): Promise<BotProcess> {
  const port = await freePort();
  const logs: string[] = [];
  const started = performance.now();
  const child = fork(path.join(ROOT, 'dist/src/main.js'), [], {
    cwd: ROOT,
    execArgv: NODE_FLAGS,
    env: { ...process.env, ...START.env, BOT_MODE: 'sandbox', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  let partial = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    logs.push(...lines.filter((l) => l.startsWith('{')));
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`bot exited with ${child.exitCode}`);
    if (await fetch(`${url}/readyz`).then((r) => r.ok).catch(() => false)) break;
    if (performance.now() - started > 600_000) throw new Error('bot not ready after 10 min');
    await new Promise((r) => setTimeout(r, 200));
  }
  return { child, logs, url, readyMs: performance.now() - started };
}

/** Resident memory now (VmRSS), or its peak so far (VmHWM), in MB. */
const rssMb = (pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS') => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const logField = (logs: string[], msg: string, field: string) => {
  const line = logs.map((l) => JSON.parse(l)).find((l) => l.msg === msg);
  return line?.[field];
};

async function main() {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  // BENCH_DATA_DIR: a data dir an earlier run of this bench left (same BENCH_ENTITIES): skips the
  // YAML and the first import, to compare settings quickly.
  const reused = process.env.BENCH_DATA_DIR !== undefined && existsSync(path.join(process.env.BENCH_DATA_DIR, 'catalog'));
  const dataDir = reused ? process.env.BENCH_DATA_DIR! : mkdtempSync(path.join(os.tmpdir(), 'bench-who-owns-'));
  const catalogDir = path.join(dataDir, 'catalog');
  const t = performance.now();
  const entities = generateCatalog({ entities: ENTITIES, seed: 7 });
  const env = { DATA_DIR: dataDir, CATALOG_LOCATIONS: catalogDir, CATALOG_IMPORT_AZURE_DEVOPS: 'false' };
  if (reused) console.log(`reusing ${dataDir} (its catalog and store)`);
  else {
    await writeCatalogYaml(catalogDir, entities, 1000);
    console.log(`generated ${entities.length} entities as YAML in ${((performance.now() - t) / 1000).toFixed(1)} s (data dir ${dataDir})`);
    const first = await startBot(env);
    console.log(`first start (import of ${ENTITIES} entities): ready after ${(first.readyMs / 1000).toFixed(1)} s; import took ${logField(first.logs, 'catalog refresh done', 'ms')} ms; bot RSS ${rssMb(first.child.pid!).toFixed(0)} MB, peak during the import ${rssMb(first.child.pid!, 'VmHWM').toFixed(0)} MB`);
    await stopProcess(first.child);
  }

  const bot = await startBot(env);
  const echoPort = await freePort();
  const echo = fork(path.join(__dirname, 'lib/echo-bot.ts'), [], { execArgv: ['--import', 'tsx', '--no-deprecation'], env: { ...process.env, PORT: String(echoPort) }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  await new Promise((r) => echo.once('message', r));
  try {
    const how = logField(bot.logs, 'catalog index ready', 'restored') ? 'loaded from its snapshot' : 'built from the store (no snapshot)';
    console.log(`second start: ready after ${(bot.readyMs / 1000).toFixed(1)} s; index ${how} in ${logField(bot.logs, 'catalog index ready', 'ms')} ms for ${logField(bot.logs, 'catalog index ready', 'entities')} entities (goal <= 5000 ms); bot RSS ${rssMb(bot.child.pid!).toFixed(0)} MB (${Object.entries(START.env).map(([k, v]) => `${k}=${v} `).join('')}node ${NODE_FLAGS.join(' ')})`);
    // Idle: the start's garbage (snapshot pieces, the files the re-import read) goes at V8's next
    // GC; an idle process gets one from V8's memory reducer, ~8 s after it goes quiet.
    await new Promise((r) => setTimeout(r, 5000));
    const at5 = rssMb(bot.child.pid!);
    await new Promise((r) => setTimeout(r, 10_000));
    console.log(`bot RSS idle: ${at5.toFixed(0)} MB after 5 s, ${rssMb(bot.child.pid!).toFixed(0)} MB after 15 s (goal <= 400 MB)`);

    // One person per personal conversation, as in Teams (20 people asking).
    const user = (i: number) => ({ id: `29:bench-${i % 20}`, name: `Bench ${i % 20}` });
    const questions = generateQueries(entities, { count: 400, seed: 9 }).map((q) => `who owns ${q.text}`);
    const whoOwns = questions.map((q, i) => messageBody(q, user(i), `a:bench-${i % 20}`, 'http://127.0.0.1:9', DEMO_TENANT_ID));
    const hello = questions.map((_, i) => messageBody('hello', user(i), `a:bench-${i % 20}`, 'http://127.0.0.1:9', DEMO_TENANT_ID));
    const targets = { echo: { url: `http://127.0.0.1:${echoPort}/api/messages`, bodies: hello }, whoOwns: { url: `${bot.url}/api/messages`, bodies: whoOwns } };
    for (const x of Object.values(targets)) await load(x.url, x.bodies, 10, 3); // warm-up

    const runs: Record<'echo' | 'whoOwns', LoadResult[]> = { echo: [], whoOwns: [] };
    for (let r = 0; r < ROUNDS; r++) {
      const order: ('echo' | 'whoOwns')[] = r % 2 === 0 ? ['echo', 'whoOwns'] : ['whoOwns', 'echo'];
      for (const name of order) runs[name].push(await load(targets[name].url, targets[name].bodies, 50, SECONDS));
    }
    const row = (rs: LoadResult[]) => ({ rps: median(rs.map((x) => x.requestsPerSecond)), p50: median(rs.map((x) => x.p50)), p99: median(rs.map((x) => x.p99)), errors: rs.reduce((a, x) => a + x.errors + x.non2xx, 0) });
    const e = row(runs.echo);
    const w = row(runs.whoOwns);
    console.log(`\n"who owns" vs echo, concurrency 50, ${ROUNDS} rounds x ${SECONDS} s, medians`);
    console.log(`echo      ${e.rps.toFixed(0)} req/s  p50 ${e.p50} ms  p99 ${e.p99} ms  errors ${e.errors}`);
    console.log(`who owns  ${w.rps.toFixed(0)} req/s  p50 ${w.p50} ms  p99 ${w.p99} ms  errors ${w.errors}`);
    console.log(`throughput ratio ${(w.rps / e.rps).toFixed(2)} (goal >= 0.8); p99 ratio ${(w.p99 / e.p99).toFixed(2)} (goal <= 1.25)`);
    console.log(`per-round throughput ratios: ${runs.whoOwns.map((x, i) => (x.requestsPerSecond / runs.echo[i].requestsPerSecond).toFixed(2)).join(', ')}`);

    const searchTerms = generateQueries(entities, { count: 200, seed: 11 }).map((q) => q.text.split(/[\s/]+/)[0].slice(0, 12));
    const invokes = searchTerms.map((term, i) =>
      JSON.stringify({
        type: 'invoke', name: 'composeExtension/query', id: `me-${i}`, channelId: 'msteams', serviceUrl: 'http://127.0.0.1:9',
        from: user(i), recipient: { id: '28:idp-bot' }, conversation: { id: `a:bench-me-${i % 20}`, conversationType: 'personal', tenantId: DEMO_TENANT_ID },
        value: { commandId: 'searchServices', parameters: [{ name: 'query', value: term }], queryOptions: { skip: 0, count: 25 } },
      }),
    );
    const me = await load(`${bot.url}/api/messages`, invokes, 10, SECONDS);
    console.log(`\nmessage extension query, concurrency 10: ${me.requestsPerSecond.toFixed(0)} req/s  p50 ${me.p50} ms  p99 ${me.p99} ms (goal p99 <= 100 ms)  errors ${me.errors + me.non2xx}`);
    console.log(`bot RSS after load: ${rssMb(bot.child.pid!).toFixed(0)} MB, peak since start ${rssMb(bot.child.pid!, 'VmHWM').toFixed(0)} MB (goal <= 400 MB)`);
  } finally {
    await Promise.all([stopProcess(bot.child), stopProcess(echo)]);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
