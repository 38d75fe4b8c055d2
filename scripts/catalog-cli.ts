/**
 * Catalog import from the command line:
 *
 *   npm run catalog -- import <file-or-folder...>
 *
 * Against MONGODB_URI (+ MONGODB_DB, default "idp"), or, when it is unset, the sandbox store under
 * DATA_DIR (started here, persisted on exit). Prints what changed per location and every problem;
 * exit code 1 when there is a problem, 2 on wrong usage.
 */
import path from 'node:path';
import { FileDescriptorSource } from '../src/adapters/files/file-descriptor-source.adapter';
import { MongoAuditLog } from '../src/adapters/mongo/mongo-audit-log.adapter';
import { MongoCatalogStore } from '../src/adapters/mongo/mongo-catalog-store.adapter';
import { connectMongo } from '../src/adapters/mongo/mongo-connection';
import { loadConfig, type Config } from '../src/config';
import { CatalogImportService } from '../src/domain/catalog/catalog-import.service';
import type { ImportResult } from '../src/domain/catalog/catalog.types';
import { startEmbeddedMongo, type EmbeddedMongo } from '../src/sandbox/embedded-mongo';

const USAGE = 'Usage: npm run catalog -- import <catalog-info.yaml or folder>...';

async function main(argv: string[]): Promise<number> {
  const [command, ...paths] = argv;
  if (command !== 'import' || !paths.length) {
    console.error(USAGE);
    return 2;
  }
  // The CLI only needs the store settings: sandbox mode skips the checks for the bot's Azure settings.
  const config = loadConfig({ ...process.env, BOT_MODE: 'sandbox' });
  let embedded: EmbeddedMongo | undefined;
  let uri = config.MONGODB_URI;
  if (!uri) {
    const running = await runningSandbox(config);
    if (running) {
      console.error(
        `The sandbox bot is running on ${running.url} and holds the sandbox store: import into it through its store instead:\n` +
          `  MONGODB_URI='${running.mongoUri ?? '<mongoUri from GET ' + running.url + '/sandbox>'}' npm run catalog -- import ${paths.join(' ')}`,
      );
      return 2;
    }
    const persistPath = path.join(config.dataDir, 'store', 'db.json');
    embedded = await startEmbeddedMongo({ persistPath });
    uri = embedded.uri;
    console.log(`Sandbox store: ${persistPath}`);
  }
  const connection = await connectMongo(uri, config.MONGODB_DB);
  try {
    const service = new CatalogImportService({
      store: new MongoCatalogStore(connection),
      audit: new MongoAuditLog(connection),
      descriptors: new FileDescriptorSource(),
    });
    const started = Date.now();
    const results = await service.importLocations(paths);
    print(results, Date.now() - started);
    return results.some((r) => r.problems.length) ? 1 : 0;
  } finally {
    await connection.close();
    await embedded?.stop();
  }
}

function print(results: ImportResult[], ms: number): void {
  const total = { created: 0, updated: 0, unchanged: 0, orphaned: 0, problems: 0 };
  for (const r of results) {
    console.log(`${r.problems.length ? '✗' : '✓'} ${r.location}  created ${r.created}, updated ${r.updated}, unchanged ${r.unchanged}, orphaned ${r.orphaned}`);
    for (const p of r.problems) console.log(`    problem${p.entity ? ` in ${p.entity}` : ''}: ${p.reason}`);
    total.created += r.created;
    total.updated += r.updated;
    total.unchanged += r.unchanged;
    total.orphaned += r.orphaned;
    total.problems += r.problems.length;
  }
  console.log(
    `${results.length} location(s) in ${(ms / 1000).toFixed(1)} s: created ${total.created}, updated ${total.updated}, ` +
      `unchanged ${total.unchanged}, orphaned ${total.orphaned}, problems ${total.problems}`,
  );
}

/** The sandbox bot answers GET /sandbox on its port; its `mongoUri` is the store to use while it runs. */
async function runningSandbox(config: Config): Promise<{ url: string; mongoUri?: string } | undefined> {
  const url = `http://127.0.0.1:${config.PORT}`;
  try {
    const res = await fetch(`${url}/sandbox`, { signal: AbortSignal.timeout(1000) });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { mongoUri?: string };
    return { url, ...(body.mongoUri ? { mongoUri: body.mongoUri } : {}) };
  } catch {
    return undefined;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
