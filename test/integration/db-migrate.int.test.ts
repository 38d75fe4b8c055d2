/**
 * `npm run db:migrate` against the run's store: every collection and index of the model registry
 * exists afterwards (unique ones unique), a second run changes nothing and says so, undeclared
 * indexes are kept unless --drop-unlisted, and a production start refuses a store it has not
 * migrated (with mongoose autoIndex off: the start builds nothing itself).
 */
import { freePort } from '../helpers/child-bot';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import { loadConfig } from '../../src/config';
import { runDbMigrate, type MigrateOutput } from '../../src/db-migrate';
import { MONGO_MODELS } from '../../src/adapters/mongo/mongo-models';
import { assertStoreMigrated, declaredIndexes, StoreNotMigratedError } from '../../src/adapters/mongo/store-migration';
import { startBot } from '../../src/main';
import { LogCapture } from '../helpers/log-capture';
import { openTestDatabase } from '../helpers/test-database';

const root = path.join(__dirname, '../..');

class Output implements MigrateOutput {
  readonly out: string[] = [];
  readonly err: string[] = [];
  log = (line: string) => void this.out.push(line);
  error = (line: string) => void this.err.push(line);
}

/** A database with nothing in it, on a connection that builds nothing by itself. */
async function emptyDatabase(prefix: string) {
  const db = await openTestDatabase(prefix, { autoIndex: false });
  return { ...db, name: db.conn.name };
}

async function migrate(dbName: string, args: string[] = []) {
  const output = new Output();
  const code = await runDbMigrate(args, { MONGODB_URI: process.env.MONGODB_URI, MONGODB_DB: dbName }, output);
  return { code, ...output };
}

/** Every collection's indexes as the server lists them, for before/after comparisons. */
async function indexesOf(conn: Connection): Promise<Record<string, unknown[]>> {
  const names = (await conn.db!.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
  return Object.fromEntries(await Promise.all(names.map(async (n) => [n, await conn.db!.collection(n).indexes()] as const)));
}

describe('npm run db:migrate', () => {
  it('creates every collection and every declared index, unique ones unique, one line per collection', async () => {
    const db = await emptyDatabase('migrate_first');
    try {
      const run = await migrate(db.name);
      expect(run.err).toEqual([]);
      expect(run.code).toBe(0);
      expect(run.out).toHaveLength(MONGO_MODELS.length + 1);
      expect(run.out.slice(0, -1).map((l) => l.split(':')[0])).toEqual(MONGO_MODELS.map((m) => m.collection));
      expect(run.out.find((l) => l.startsWith('jobs:'))).toBe('jobs: created; indexes added: type_1_idempotencyKey_1 (unique), status_1_nextRunAt_1, createdAt_1');
      expect(run.out.find((l) => l.startsWith('secret_expiry_reminders:'))).toBe('secret_expiry_reminders: created');
      expect(run.out.at(-1)).toBe(`Database ${db.name}: ${MONGO_MODELS.length} collections, ${MONGO_MODELS.length} created, indexes added on 20.`);

      const onServer = await indexesOf(db.conn);
      expect(Object.keys(onServer).sort()).toEqual(MONGO_MODELS.map((m) => m.collection).sort());
      for (const def of MONGO_MODELS) {
        const listed = onServer[def.collection] as { name: string; key: Record<string, unknown>; unique?: boolean }[];
        const want = declaredIndexes(def).map((ix) => ({ collection: def.collection, name: ix.name, key: ix.key, unique: ix.unique }));
        const have = listed.filter((ix) => ix.name !== '_id_').map((ix) => ({ collection: def.collection, name: ix.name, key: ix.key, unique: ix.unique === true }));
        expect(have).toEqual(want);
      }
      const unique = MONGO_MODELS.flatMap((def) => declaredIndexes(def).filter((ix) => ix.unique).map((ix) => `${def.collection}.${ix.name}`));
      expect(unique.sort()).toEqual(['bot_state.key_1', 'catalog_entities.ref_1', 'catalog_locations.location_1', 'catalog_meta.key_1', 'conversations.key_1', 'feedback.idempotencyKey_1', 'jobs.type_1_idempotencyKey_1']);
      await expect(assertStoreMigrated(db.conn)).resolves.toBeUndefined();
    } finally {
      await db.close();
    }
  });

  it('a second run reports every collection unchanged and changes nothing', async () => {
    const db = await emptyDatabase('migrate_again');
    try {
      expect((await migrate(db.name)).code).toBe(0);
      const before = await indexesOf(db.conn);
      const again = await migrate(db.name);
      expect(again.code).toBe(0);
      expect(again.out.slice(0, -1)).toEqual(MONGO_MODELS.map((m) => `${m.collection}: unchanged`));
      expect(again.out.at(-1)).toBe(`Database ${db.name}: all ${MONGO_MODELS.length} collections and their indexes were already there; nothing changed.`);
      expect(await indexesOf(db.conn)).toEqual(before);
    } finally {
      await db.close();
    }
  });

  it('adds only what is missing to a store that has data, and keeps indexes no model declares unless --drop-unlisted', async () => {
    const db = await emptyDatabase('migrate_partial');
    try {
      const audit = db.conn.db!.collection('audit');
      await audit.insertOne({ actor: 'u1', action: 'x', target: 't', result: 'success', at: new Date() });
      await audit.createIndex({ at: -1 });
      await audit.createIndex({ handMade: 1 });
      const run = await migrate(db.name);
      expect(run.code).toBe(0);
      expect(run.out.find((l) => l.startsWith('audit:'))).toBe('audit: indexes added: actor_1_at_-1, target_1_at_-1; kept indexes no model declares: handMade_1 (--drop-unlisted drops them)');
      expect(await audit.countDocuments()).toBe(1);

      const dropping = await migrate(db.name, ['--drop-unlisted']);
      expect(dropping.code).toBe(0);
      expect(dropping.out.find((l) => l.startsWith('audit:'))).toBe('audit: indexes dropped: handMade_1');
      expect((await audit.indexes()).map((ix) => ix.name)).toEqual(['_id_', 'at_-1', 'actor_1_at_-1', 'target_1_at_-1']);
    } finally {
      await db.close();
    }
  });

  it('fails, naming the index and the way out, when a declared index exists with other options (not unique)', async () => {
    const db = await emptyDatabase('migrate_conflict');
    try {
      await db.conn.db!.collection('jobs').createIndex({ type: 1, idempotencyKey: 1 }); // same name, not unique
      const run = await migrate(db.name);
      expect(run.code).toBe(1);
      expect(run.err[0]).toMatch(/^jobs: FAILED: index type_1_idempotencyKey_1 \(unique\) on \{"type":1,"idempotencyKey":1\} cannot be created: an index with its name or keys exists with other options .*--drop-unlisted/);
      expect(run.err[1]).toBe(`Migration of database ${db.name} failed for jobs (the other collections are done): fix what the lines above say and run it again.`);
      expect(run.out).toHaveLength(MONGO_MODELS.length - 1); // every other collection, and no summary
      expect(run.out.find((l) => l.startsWith('onboardings:'))).toBe('onboardings: created; indexes added: joiner.id_1_state_1_createdAt_-1, createdAt_1');
      await expect(assertStoreMigrated(db.conn)).rejects.toThrow(/jobs lacks type_1_idempotencyKey_1 \(unique\)/);

      const fixed = await migrate(db.name, ['--drop-unlisted']);
      expect(fixed.code).toBe(0);
      expect(fixed.out.find((l) => l.startsWith('jobs:'))).toBe('jobs: indexes added: type_1_idempotencyKey_1 (unique); indexes dropped: type_1_idempotencyKey_1');
      expect((await db.conn.db!.collection('jobs').indexes()).find((ix) => ix.name === 'type_1_idempotencyKey_1')).toMatchObject({ unique: true });
    } finally {
      await db.close();
    }
  });

  it('says what to do without MONGODB_URI, refuses unknown arguments, and keeps credentials out of a connection failure', async () => {
    const none = new Output();
    expect(await runDbMigrate([], { MONGODB_URI: undefined, MONGODB_DB: 'idp' }, none)).toBe(2);
    expect(none.err.join('\n')).toMatch(/MONGODB_URI is not set: nothing to migrate\. Set MONGODB_URI/);
    const bad = new Output();
    expect(await runDbMigrate(['--drop-everything'], { MONGODB_URI: process.env.MONGODB_URI, MONGODB_DB: 'idp' }, bad)).toBe(2);
    expect(bad.err.join('\n')).toMatch(/Unknown argument --drop-everything\nUsage: npm run db:migrate/);

    const port = await freePort();
    const failed = new Output();
    const uri = `mongodb://migrator:Pa55-w0rd-x@127.0.0.1:${port}/?serverMonitoringMode=poll&directConnection=true`;
    expect(await runDbMigrate([], { MONGODB_URI: uri, MONGODB_DB: 'idp' }, failed, { serverSelectionTimeoutMS: 300 })).toBe(1);
    expect(failed.err.join('\n')).toMatch(/^Could not connect to the store of MONGODB_URI \(database idp\): /);
    expect(failed.err.join('\n')).not.toContain('Pa55-w0rd-x');
    expect(failed.out).toEqual([]);
  });

  it('runs as a program: the environment in, one line per collection out, exit code 0', () => {
    const dbName = `t_migrate_cli_${Date.now()}`;
    const run = spawnSync(path.join(root, 'node_modules/.bin/tsx'), ['src/db-migrate.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH, MONGODB_URI: process.env.MONGODB_URI, MONGODB_DB: dbName },
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(MONGO_MODELS.length + 1);
    expect(run.stdout).toContain('bot_state: created; indexes added: key_1 (unique)');
    return mongoose
      .createConnection(process.env.MONGODB_URI!, { dbName, serverMonitoringMode: 'poll' })
      .asPromise()
      .then(async (conn) => {
        await conn.dropDatabase();
        await conn.close();
      });
  });
});

describe('a production start', () => {
  const productionEnv = (dbName: string) => ({
    BOT_MODE: 'production',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    MONGODB_URI: process.env.MONGODB_URI,
    MONGODB_DB: dbName,
    MicrosoftAppId: '00000000-0000-0000-0000-000000000001',
    MicrosoftAppPassword: 'not-used',
    AZURE_DEVOPS_ORG_URL: 'https://dev.azure.com/contoso',
    AZURE_DEVOPS_PAT: 'not-used',
    AZURE_TENANT_ID: '00000000-0000-0000-0000-000000000002',
    AZURE_CLIENT_ID: '00000000-0000-0000-0000-000000000003',
  });

  it('refuses an unmigrated store, naming npm run db:migrate, with autoIndex off and nothing built', async () => {
    const db = await emptyDatabase('prod_start');
    try {
      const known = new Set(mongoose.connections);
      const started = startBot(loadConfig(productionEnv(db.name)), { logDestination: new LogCapture() });
      await expect(started).rejects.toThrow(StoreNotMigratedError);
      await expect(started).rejects.toThrow(/^The store is not migrated: approvals \(no collection\);.* Run `npm run db:migrate`/);
      const botConnection = mongoose.connections.find((c) => !known.has(c) && c.name === db.name);
      expect(botConnection).toBeDefined();
      expect({ autoIndex: botConnection!.get('autoIndex'), autoCreate: botConnection!.get('autoCreate') }).toEqual({ autoIndex: false, autoCreate: false });
      expect(botConnection!.readyState).toBe(0); // closed by the failed start
      expect(await indexesOf(db.conn)).toEqual({});
    } finally {
      await db.close();
    }
  });

  it('passes the check once migrated, and fails it again when a unique index lost its uniqueness', async () => {
    const db = await emptyDatabase('prod_check');
    try {
      expect((await migrate(db.name)).code).toBe(0);
      await expect(assertStoreMigrated(db.conn)).resolves.toBeUndefined();
      const feedback = db.conn.db!.collection('feedback');
      await feedback.dropIndex('idempotencyKey_1');
      await feedback.createIndex({ idempotencyKey: 1 });
      const error = await assertStoreMigrated(db.conn).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreNotMigratedError);
      expect((error as StoreNotMigratedError).missing).toEqual([{ collection: 'feedback', collectionMissing: false, indexes: [{ name: 'idempotencyKey_1', key: { idempotencyKey: 1 }, unique: true }] }]);
    } finally {
      await db.close();
    }
  });
});

