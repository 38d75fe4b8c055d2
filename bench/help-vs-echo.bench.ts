/**
 * Issue 2's measurement: throughput and latency of the bot's `help` turn vs a bare botbuilder
 * echo bot, both through /api/messages with expectReplies, same machine, same run, concurrency
 * 10 and 50. Rounds alternate which bot goes first; we quote medians and the ratio.
 *   npm run bench            (BENCH_SECONDS=8 BENCH_ROUNDS=3 by default)
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_TENANT_ID, DEMO_USERS } from '../src/sandbox/seed/demo-org';
import { freePort, load, median, messageBody, startProcess, stopProcess, type LoadResult } from './lib/load';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? '10,50').split(',').map(Number);

async function main() {
  const [botPort, echoPort] = [await freePort(), await freePort()];
  const bot = await startProcess(path.join(__dirname, '../src/main.ts'), {
    BOT_MODE: 'sandbox',
    PORT: String(botPort),
    HOST: '127.0.0.1',
    DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'bench-bot-')),
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
  }, `http://127.0.0.1:${botPort}/readyz`);
  const echo = await startProcess(path.join(__dirname, 'lib/echo-bot.ts'), { PORT: String(echoPort) }, `http://127.0.0.1:${echoPort}/readyz`);

  const serviceUrl = 'http://127.0.0.1:9'; // never called: expectReplies returns replies in the response
  const bodies = (text: string) =>
    DEMO_USERS.flatMap((u) => [0, 1].map((n) => messageBody(text, { id: u.teamsId, aadObjectId: u.id, name: u.displayName }, `a:bench-${u.teamsId}-${n}`, serviceUrl, DEMO_TENANT_ID)));
  const targets = {
    echo: { url: `http://127.0.0.1:${echoPort}/api/messages`, bodies: bodies('hello') },
    help: { url: `http://127.0.0.1:${botPort}/api/messages`, bodies: bodies('help') },
  };

  try {
    // Warm-up: JIT, connection pools, conversation references recorded once.
    for (const t of Object.values(targets)) await load(t.url, t.bodies, 10, 3);

    for (const c of CONCURRENCY) {
      const runs: Record<'echo' | 'help', LoadResult[]> = { echo: [], help: [] };
      for (let r = 0; r < ROUNDS; r++) {
        const order: ('echo' | 'help')[] = r % 2 === 0 ? ['echo', 'help'] : ['help', 'echo'];
        for (const name of order) runs[name].push(await load(targets[name].url, targets[name].bodies, c, SECONDS));
      }
      report(c, runs);
    }
  } finally {
    await Promise.all([stopProcess(bot), stopProcess(echo)]);
  }
}

function report(concurrency: number, runs: Record<'echo' | 'help', LoadResult[]>) {
  const row = (name: string, rs: LoadResult[]) => ({
    name,
    rps: median(rs.map((r) => r.requestsPerSecond)),
    p50: median(rs.map((r) => r.p50)),
    p99: median(rs.map((r) => r.p99)),
    errors: rs.reduce((a, r) => a + r.errors + r.non2xx, 0),
  });
  const echo = row('bare echo bot', runs.echo);
  const help = row('idp bot: help', runs.help);
  console.log(`\nconcurrency ${concurrency}, ${ROUNDS} rounds x ${SECONDS} s, medians`);
  console.log('target'.padEnd(16), 'req/s'.padStart(8), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8), 'errors'.padStart(8));
  for (const x of [echo, help]) console.log(x.name.padEnd(16), x.rps.toFixed(0).padStart(8), x.p50.toFixed(1).padStart(8), x.p99.toFixed(1).padStart(8), String(x.errors).padStart(8));
  console.log(`throughput ratio help/echo: ${(help.rps / echo.rps).toFixed(2)}   p99 ratio help/echo: ${(help.p99 / echo.p99).toFixed(2)}`);
  console.log(`per-round ratios: ${runs.help.map((h, i) => (h.requestsPerSecond / runs.echo[i].requestsPerSecond).toFixed(2)).join(', ')}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
