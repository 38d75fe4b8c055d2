/**
 * Issue 4's measurement: "create repo" with the Azure DevOps stand-in adding 150 ms to every call
 * (BENCH_LATENCY_MS). One sandbox bot in this process; per run: the one-shot message (-> preview),
 * then Confirm as an Action.Execute invoke carrying the card's message id, and from the Bot
 * Connector stand-in's request log the times of the first in-place update of that card and of the
 * update that shows the finished card. One warm-up run, then N measured runs (BENCH_RUNS, default 5).
 *   npx tsx bench/create-repo.bench.ts
 * Targets: first progress update <= 1 s after Confirm, final card <= 5 s.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Activity } from 'botbuilder';
import { FileDescriptorSource } from '../src/adapters/files/file-descriptor-source.adapter';
import { MongoAuditLog } from '../src/adapters/mongo/mongo-audit-log.adapter';
import { MongoCatalogStore } from '../src/adapters/mongo/mongo-catalog-store.adapter';
import { loadConfig } from '../src/config';
import { CatalogImportService } from '../src/domain/catalog/catalog-import.service';
import { startBot, type RunningBot } from '../src/main';
import { userBySlug } from '../src/sandbox/seed/demo-org';
import { activityFrom, postActivity as post } from './lib/bot-turns';
import { median } from './lib/load';

const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 150);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const alice = userBySlug('alice');
const conversationId = `a:bench-create-repo-${randomUUID().slice(0, 8)}`;

interface Run {
  previewMs: number;
  invokeMs: number;
  firstUpdateMs: number;
  /** The first update showing a finished step (the repository exists). */
  firstStepDoneMs: number;
  finalMs: number;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-create-repo-'));
  const bot = await startBot(loadConfig({ BOT_MODE: 'sandbox', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn', MONGODB_DB: `bench_${Date.now()}` }));
  try {
    const conn = bot.connection;
    await new CatalogImportService({ store: new MongoCatalogStore(conn), audit: new MongoAuditLog(conn), descriptors: new FileDescriptorSource() }).importLocations([path.join(__dirname, '../src/sandbox/seed/catalog')]);
    bot.sandbox!.azureDevOps.latencyMs = LATENCY_MS;
    console.log(`Azure DevOps stand-in latency: ${LATENCY_MS} ms per request; ${RUNS} runs after one warm-up.`);

    await createOnce(bot, 'bench-warmup');
    const runs: Run[] = [];
    for (let i = 1; i <= RUNS; i++) {
      const run = await createOnce(bot, `bench-ledger-${i}-${randomUUID().slice(0, 4)}`);
      runs.push(run);
      console.log(`run ${i}: preview ${run.previewMs} ms | Confirm -> progress card (invoke response) ${run.invokeMs} ms, -> first in-place update ${run.firstUpdateMs} ms, -> first step done ${run.firstStepDoneMs} ms, -> final card ${run.finalMs} ms`);
    }
    const m = (k: keyof Run) => median(runs.map((r) => r[k]));
    console.log(`median: preview ${m('previewMs')} ms | invoke response ${m('invokeMs')} ms | first update ${m('firstUpdateMs')} ms (target <= 1000) | first step done ${m('firstStepDoneMs')} ms | final card ${m('finalMs')} ms (target <= 5000)`);
  } finally {
    await bot.stop();
  }
}

async function createOnce(bot: RunningBot, name: string): Promise<Run> {
  const connector = bot.sandbox!.connector;
  const before = connector.activities(conversationId).length;
  const started = Date.now();
  await post(bot, activity(bot, 'message', { text: `create repo name=${name} project=Payments stack=node owner=team-payments description="Benchmark service" envs=dev,staging,prod` }));
  const [preview] = connector.activities(conversationId).slice(before);
  const previewMs = Date.now() - started;
  const requestId = /"requestId":"([0-9a-f]{24})"/.exec(JSON.stringify(preview?.attachments?.[0]?.content))?.[1];
  if (!preview || !requestId) throw new Error(`no preview for ${name}: ${JSON.stringify(preview)?.slice(0, 300)}`);

  const logFrom = connector.requests.length;
  const t0 = Date.now();
  const res = await post(bot, activity(bot, 'invoke', { name: 'adaptiveCard/action', replyToId: preview.id, value: { action: { type: 'Action.Execute', verb: 'repo.create.confirm', data: { requestId } }, trigger: 'manual' } }));
  const invokeMs = Date.now() - t0;
  if (!JSON.stringify(res).includes('Creating Payments/')) throw new Error(`confirm answered ${JSON.stringify(res).slice(0, 300)}`);

  const updatePath = `/v3/conversations/${conversationId}/activities/${preview.id}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const updates = connector.requests.slice(logFrom).filter((r) => r.method === 'PUT' && r.path === updatePath);
    const final = updates.find((u) => /Created Payments\/|Could not finish/.test(JSON.stringify(u.body)));
    if (final) {
      if (/Could not finish/.test(JSON.stringify(final.body))) throw new Error(`${name} failed: ${JSON.stringify(final.body).slice(0, 800)}`);
      const stepDone = updates.find((u) => JSON.stringify(u.body).includes('✅'))!;
      return { previewMs, invokeMs, firstUpdateMs: Date.parse(updates[0]!.at) - t0, firstStepDoneMs: Date.parse(stepDone.at) - t0, finalMs: Date.parse(final.at) - t0 };
    }
    if (Date.now() > deadline) throw new Error(`${name}: no final card after 30 s`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const activity = (bot: RunningBot, type: string, fields: Partial<Activity>): Partial<Activity> => activityFrom(bot, alice, conversationId, type, fields);


main().catch((e) => {
  console.error(e);
  process.exit(1);
});
