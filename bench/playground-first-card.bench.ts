/**
 * A newcomer's first minute: `npm start` on an empty DATA_DIR, open /playground in Chromium, ask
 * "who owns payments-api?", see the card rendered. Prints, per run and as medians: start -> ready,
 * page open -> ready to type, send -> card rendered, and the whole. For scale, the same question
 * over plain HTTP (expectReplies, no browser) on the same bot: the ratio is what the page adds.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { freePort, median } from './lib/load';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function askOverHttp(base: string): Promise<number> {
  const state = (await (await fetch(`${base}/playground/api/state`)).json()) as { serviceUrl: string };
  const started = performance.now();
  const res = await fetch(`${base}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'message', text: 'who owns payments-api?', deliveryMode: 'expectReplies', channelId: 'msteams', serviceUrl: state.serviceUrl, from: { id: '29:demo-grace', aadObjectId: '00000000-0000-4000-a000-000000000006', name: 'Grace Oncall' }, recipient: { id: 'bot' }, conversation: { id: 'a:bench', conversationType: 'personal' } }),
  });
  await res.json();
  return performance.now() - started;
}

async function once(): Promise<Record<string, number>> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'idp-first-card-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  const child = spawn('npm', ['start', '--silent'], { cwd: path.join(__dirname, '..'), env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, BOT_MODE: 'sandbox', LOG_LEVEL: 'warn' }, stdio: 'ignore', detached: true });
  const profile = mkdtempSync(path.join(os.tmpdir(), 'idp-first-card-chromium-'));
  try {
    const browser = chromium.launchPersistentContext(profile, { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: FLAGS });
    for (;;) {
      if (await fetch(`${base}/readyz`).then((r) => r.ok).catch(() => false)) break;
      if (performance.now() - t0 > 90_000) throw new Error('not ready after 90 s');
      await new Promise((r) => setTimeout(r, 20));
    }
    const ready = performance.now();
    const context = await browser;
    const page = await context.newPage();
    await page.goto(`${base}/playground#as=grace`);
    await page.locator('body[data-ready=true][data-live=true]').waitFor();
    const pageReady = performance.now();
    await page.getByTestId('compose-text').fill('who owns payments-api?');
    await page.getByTestId('send-button').click();
    await page.locator('#messages [data-from=bot] [data-testid=card] .ac-adaptiveCard').first().waitFor();
    const card = performance.now();
    const http = await askOverHttp(base);
    await context.close();
    return { startToReady: ready - t0, pageOpenToReady: pageReady - ready, sendToCard: card - pageReady, startToFirstCard: card - t0, sameQuestionOverHttp: http };
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    rmSync(profile, { recursive: true, force: true });
    await new Promise((r) => setTimeout(r, 500));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

(async () => {
  const runs: Record<string, number>[] = [];
  for (let i = 0; i < RUNS; i++) {
    const run = await once();
    runs.push(run);
    console.log(`run ${i + 1}: ${Object.entries(run).map(([k, v]) => `${k} ${Math.round(v)} ms`).join(', ')}`);
  }
  const keys = Object.keys(runs[0]!);
  console.log(`median of ${RUNS}: ${keys.map((k) => `${k} ${Math.round(median(runs.map((r) => r[k]!)))} ms`).join(', ')}`);
  const m = (k: string) => median(runs.map((r) => r[k]!));
  console.log(`send -> rendered card is ${(m('sendToCard') / m('sameQuestionOverHttp')).toFixed(1)}x the same answer over plain HTTP`);
})();
