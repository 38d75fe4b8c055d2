/**
 * Time from `npm start` (sandbox mode) to GET /readyz answering 200, over several starts: the
 * first with an empty DATA_DIR (generates the CA), the rest reusing it. Prints each and the median.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, median } from './lib/load';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

async function once(dataDir: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn('npm', ['start', '--silent'], {
    cwd: path.join(__dirname, '..'),
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, BOT_MODE: 'sandbox', LOG_LEVEL: 'warn' },
    stdio: 'ignore',
    detached: true,
  });
  try {
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok).catch(() => false);
      if (ok) return performance.now() - started;
      if (performance.now() - started > 60_000) throw new Error('not ready after 60 s');
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

async function main() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-start-'));
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const ms = await once(dataDir);
    times.push(ms);
    console.log(`start ${i + 1}${i === 0 ? ' (empty DATA_DIR)' : ''}: ${ms.toFixed(0)} ms to /readyz 200`);
  }
  console.log(`median: ${median(times).toFixed(0)} ms (goal < 3000 ms)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
