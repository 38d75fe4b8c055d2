/**
 * `npm run catalog -- import <file-or-folder...>` as a function of (arguments, environment, output),
 * so a test runs the CLI's own code path. Against MONGODB_URI (+ MONGODB_DB), or, when it is unset,
 * the sandbox store file under DATA_DIR that `npm start` opens too (startSandboxStore).
 * Exit codes: 0 nothing rejected (notes such as "skipped: not an entity" do not count), 1 an entity
 * was rejected or a location could not be read, 2 wrong usage (or the sandbox bot holds the store).
 */
import { FileDescriptorSource } from '../../src/adapters/files/file-descriptor-source.adapter';
import { MongoAuditLog } from '../../src/adapters/mongo/mongo-audit-log.adapter';
import { MongoCatalogStore } from '../../src/adapters/mongo/mongo-catalog-store.adapter';
import { connectMongo } from '../../src/adapters/mongo/mongo-connection';
import { loadConfig, type Config } from '../../src/config';
import { CatalogImportService } from '../../src/domain/catalog/catalog-import.service';
import type { ImportResult } from '../../src/domain/catalog/catalog.types';
import { sandboxStorePath, startSandboxStore, type EmbeddedMongo } from '../../src/sandbox/embedded-mongo';

export const USAGE = 'Usage: npm run catalog -- import <catalog-info.yaml or folder>...';

export const EXIT = { ok: 0, rejected: 1, usage: 2 } as const;

export interface CliOutput {
  log(line: string): void;
  error(line: string): void;
}

export async function runCatalogCli(argv: string[], env: NodeJS.ProcessEnv, out: CliOutput): Promise<number> {
  const [command, ...paths] = argv;
  if (command !== 'import' || !paths.length) {
    out.error(USAGE);
    return EXIT.usage;
  }
  // The CLI only needs the store settings: sandbox mode skips the checks for the bot's Azure settings.
  const config = loadConfig({ ...env, BOT_MODE: 'sandbox' });
  let embedded: EmbeddedMongo | undefined;
  let uri = config.MONGODB_URI;
  if (!uri) {
    const running = await runningSandbox(config);
    if (running) {
      out.error(
        `The sandbox bot is running on ${running.url} and holds the sandbox store: import into it through its store instead:\n` +
          `  MONGODB_URI='${running.mongoUri ?? '<mongoUri from GET ' + running.url + '/sandbox>'}' npm run catalog -- import ${paths.join(' ')}`,
      );
      return EXIT.usage;
    }
    embedded = await startSandboxStore(config.dataDir);
    uri = embedded.uri;
    out.log(`Sandbox store: ${sandboxStorePath(config.dataDir)}`);
  }
  // Indexes are built here only on the embedded store; a MONGODB_URI store gets them from `npm run db:migrate`.
  const connection = await connectMongo(uri, config.MONGODB_DB, { autoIndex: embedded !== undefined });
  try {
    const service = new CatalogImportService({
      store: new MongoCatalogStore(connection),
      audit: new MongoAuditLog(connection),
      descriptors: new FileDescriptorSource(),
    });
    const started = Date.now();
    const results = await service.importLocations(paths);
    printResults(results, Date.now() - started, out);
    return exitCodeOf(results);
  } finally {
    await connection.close();
    await embedded?.stop();
  }
}

/** 1 when anything was rejected or unreadable; notes never fail an import. */
export const exitCodeOf = (results: ImportResult[]): number => (results.some((r) => r.problems.length) ? EXIT.rejected : EXIT.ok);

/** One line per location (what changed there), its problems and notes under it, then the totals. */
export function printResults(results: ImportResult[], ms: number, out: CliOutput): void {
  const total = { created: 0, updated: 0, unchanged: 0, orphaned: 0, problems: 0, notes: 0 };
  for (const r of results) {
    out.log(`${r.problems.length ? '✗' : '✓'} ${r.location}  created ${r.created}, updated ${r.updated}, unchanged ${r.unchanged}, orphaned ${r.orphaned}`);
    for (const p of r.problems) out.log(`    problem${p.entity ? ` in ${p.entity}` : ''}: ${p.reason}`);
    for (const n of r.notes) out.log(`    note${n.entity ? ` on ${n.entity}` : ''}: ${n.message}`);
    total.created += r.created;
    total.updated += r.updated;
    total.unchanged += r.unchanged;
    total.orphaned += r.orphaned;
    total.problems += r.problems.length;
    total.notes += r.notes.length;
  }
  out.log(
    `${results.length} location(s) in ${(ms / 1000).toFixed(1)} s: created ${total.created}, updated ${total.updated}, ` +
      `unchanged ${total.unchanged}, orphaned ${total.orphaned}, problems ${total.problems}, notes ${total.notes}`,
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
