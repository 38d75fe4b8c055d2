/**
 * `npm run db:migrate` (in the container: `node dist/src/db-migrate.js`): creates every collection
 * and index the bot's models declare on MONGODB_URI / MONGODB_DB, one line per collection, before
 * the first production start (the bot starts with mongoose autoIndex off and refuses a store
 * without them). Idempotent; never drops an index unless `--drop-unlisted` is given.
 * Exit codes: 0 done (or nothing to do), 1 failed, 2 usage or configuration.
 */
import { ConfigError, loadStoreConfig, type StoreConfig } from './config';
import { connectMongo } from './adapters/mongo/mongo-connection';
import { changedAnything, describeReport, migrateStore } from './adapters/mongo/store-migration';

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export interface MigrateOutput {
  log(line: string): void;
  error(line: string): void;
}

const USAGE = 'Usage: npm run db:migrate [-- --drop-unlisted]\n  --drop-unlisted  also drop indexes that no model of the bot declares (default: report and keep them)';

export async function runDbMigrate(args: readonly string[], config: StoreConfig, out: MigrateOutput, options: { serverSelectionTimeoutMS?: number } = {}): Promise<number> {
  const unknown = args.filter((a) => a !== '--drop-unlisted');
  if (unknown.length || args.includes('--help')) {
    out.error(`${unknown.length ? `Unknown argument ${unknown.join(' ')}\n` : ''}${USAGE}`);
    return EXIT.usage;
  }
  if (!config.MONGODB_URI) {
    out.error(
      'MONGODB_URI is not set: nothing to migrate. Set MONGODB_URI (and MONGODB_DB, default idp) to the production store, as for the bot.\n' +
        'The sandbox (`npm start` without MONGODB_URI) needs no migration: its embedded store gets its indexes at start.',
    );
    return EXIT.usage;
  }
  let conn;
  try {
    conn = await connectMongo(config.MONGODB_URI, config.MONGODB_DB, { autoIndex: false, ...options });
  } catch (e) {
    out.error(`Could not connect to the store of MONGODB_URI (database ${config.MONGODB_DB}): ${redact(messageOf(e), config.MONGODB_URI)}`);
    return EXIT.failed;
  }
  try {
    const reports = await migrateStore(conn, { dropUnlisted: args.includes('--drop-unlisted') });
    for (const r of reports) (r.failure ? out.error : out.log)(redact(describeReport(r), config.MONGODB_URI));
    const failed = reports.filter((r) => r.failure);
    if (failed.length) {
      out.error(`Migration of database ${config.MONGODB_DB} failed for ${failed.map((r) => r.collection).join(', ')} (the other collections are done): fix what the lines above say and run it again.`);
      return EXIT.failed;
    }
    const created = reports.filter((r) => r.created).length;
    const indexed = reports.filter((r) => r.added.length).length;
    out.log(
      changedAnything(reports)
        ? `Database ${config.MONGODB_DB}: ${reports.length} collections, ${created} created, indexes added on ${indexed}.`
        : `Database ${config.MONGODB_DB}: all ${reports.length} collections and their indexes were already there; nothing changed.`,
    );
    return EXIT.ok;
  } catch (e) {
    out.error(`Migration of database ${config.MONGODB_DB} failed: ${redact(messageOf(e), config.MONGODB_URI)}`);
    return EXIT.failed;
  } finally {
    await conn.close().catch(() => undefined);
  }
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** The connection string's credentials never reach the output, whatever a driver error quotes. */
export function redact(text: string, uri: string): string {
  const userinfo = /^[a-z+]+:\/\/([^@/]+)@/i.exec(uri)?.[1];
  if (!userinfo) return text;
  const secrets = [uri, userinfo, ...userinfo.split(':').slice(1), decodeURIComponentSafe(userinfo.split(':').slice(1).join(':'))].filter((s) => s.length >= 3);
  return secrets.reduce((t, s) => t.split(s).join('***'), text);
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

async function main(): Promise<void> {
  let config: StoreConfig;
  try {
    config = loadStoreConfig();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    console.error(e.message);
    process.exit(EXIT.usage);
  }
  process.exit(await runDbMigrate(process.argv.slice(2), config, { log: (l) => console.log(l), error: (l) => console.error(l) }));
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(EXIT.failed);
  });
}
