/**
 * The registry of MongoDB models (what `npm run db:migrate` creates and a production start checks)
 * covers every model an adapter registers on a connection, and keeps the unique indexes the
 * duplicate-key (E11000) handling relies on.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import { MONGO_MODELS } from '../../src/adapters/mongo/mongo-models';
import { declaredIndexes } from '../../src/adapters/mongo/store-migration';

const root = path.join(__dirname, '../..');
const folder = path.join(root, 'src/adapters/mongo');
const adapterFiles = readdirSync(folder).filter((f) => f.endsWith('.adapter.ts'));

type AdapterClass = new (conn: Connection) => unknown;
const classes: { file: string; name: string; cls: AdapterClass }[] = [];

beforeAll(async () => {
  for (const file of adapterFiles) {
    const exported = (await import(path.join(folder, file))) as Record<string, unknown>;
    for (const [name, v] of Object.entries(exported)) {
      if (typeof v === 'function' && /^Mongo[A-Z]/.test(name) && /^class /.test(Function.prototype.toString.call(v))) classes.push({ file, name, cls: v as AdapterClass });
    }
  }
});

/** A connection that never connects: models register on it, nothing is sent anywhere. */
function offlineConnection(): Connection {
  const conn = mongoose.createConnection();
  conn.set('autoIndex', false);
  conn.set('autoCreate', false);
  return conn;
}

describe('MongoDB model registry', () => {
  it('lists every model (and collection) the adapters register on a connection, with the same schema', () => {
    const conn = offlineConnection();
    const unconstructed: string[] = [];
    for (const { name, cls } of classes) {
      try {
        new cls(conn);
      } catch {
        unconstructed.push(name);
      }
    }
    // A class that needs more than a connection is a base class: a subclass in the folder constructs it.
    for (const name of unconstructed) {
      const base = classes.find((c) => c.name === name)!.cls;
      expect({ name, extendedBy: classes.filter((c) => Object.getPrototypeOf(c.cls) === base).map((c) => c.name) }).toEqual({ name, extendedBy: expect.arrayContaining([expect.any(String)]) });
    }
    expect(classes.length).toBeGreaterThanOrEqual(18);

    const registered = conn.modelNames().sort();
    expect(registered).toEqual(MONGO_MODELS.map((m) => m.name).sort());
    for (const def of MONGO_MODELS) expect({ model: def.name, sameSchema: conn.model(def.name).schema === def.schema }).toEqual({ model: def.name, sameSchema: true });
    // Collections opened without a model (conn.collection('x')) would escape the migration too.
    expect(Object.keys(conn.collections).sort()).toEqual(MONGO_MODELS.map((m) => m.collection).sort());
  });

  it('gives each model its own collection and name', () => {
    expect(new Set(MONGO_MODELS.map((m) => m.collection)).size).toBe(MONGO_MODELS.length);
    expect(new Set(MONGO_MODELS.map((m) => m.name)).size).toBe(MONGO_MODELS.length);
  });

  it('only the registry file lists models, and no adapter opens a collection by name', () => {
    const opensByName = readdirSync(folder)
      .filter((f) => f.endsWith('.ts') && f !== 'model-definition.ts')
      .filter((f) => /\bconn(ection)?\.(model|collection)\s*[<(]/.test(readFileSync(path.join(folder, f), 'utf8')));
    expect(opensByName).toEqual([]);
  });

  /**
   * Each isDuplicateKeyError use and the uniqueness it relies on. `_id` is unique on every server
   * (and the one the embedded test store enforces); the secondary ones only exist once migrated.
   */
  const E11000_RELIANCE: { file: string; where: string; collection: string; key: Record<string, number> | '_id' }[] = [
    { file: 'mongo-approval-store.adapter.ts', where: 'MongoApprovalStore.create', collection: 'approvals', key: '_id' },
    { file: 'mongo-approval-store.adapter.ts', where: 'MongoApprovalStore.claimSubject', collection: 'approval_subjects', key: '_id' },
    { file: 'mongo-expiry-reminder-store.adapter.ts', where: 'MongoExpiryReminderStore.claim', collection: 'secret_expiry_reminders', key: '_id' },
    { file: 'mongo-feedback-store.adapter.ts', where: 'MongoFeedbackStore.insertOnce (upsert on idempotencyKey)', collection: 'feedback', key: { idempotencyKey: 1 } },
    { file: 'mongo-health-run-store.adapter.ts', where: 'MongoHealthRunStore.saveRun', collection: 'health_team_results', key: '_id' },
    { file: 'mongo-job-store.adapter.ts', where: 'MongoJobStore.insertIfAbsent', collection: 'jobs', key: '_id' },
    { file: 'mongo-job-store.adapter.ts', where: 'MongoJobStore.insertIfAbsent (second guard)', collection: 'jobs', key: { type: 1, idempotencyKey: 1 } },
    { file: 'mongo-onboarding-store.adapter.ts', where: 'MongoOnboardingStore.create', collection: 'onboardings', key: '_id' },
    { file: 'mongo-catalog-store.adapter.ts', where: 'MongoCatalogStore.insertChunk (ref -> _id)', collection: 'catalog_entities', key: '_id' },
    { file: 'mongo-catalog-store.adapter.ts', where: 'MongoCatalogStore.insertChunk (ref)', collection: 'catalog_entities', key: { ref: 1 } },
    { file: 'mongo-catalog-store.adapter.ts', where: 'MongoCatalogStore.saveLocations (racing upserts)', collection: 'catalog_locations', key: { location: 1 } },
    // Upserts on a natural key without isDuplicateKeyError: the unique index keeps them single on real MongoDB.
    { file: 'revision-counter.ts', where: 'RevisionCounter.ensure (upsert on _id; key)', collection: 'catalog_meta', key: { key: 1 } },
    { file: 'mongo-bot-storage.adapter.ts', where: 'MongoBotStorage.write (upsert on key)', collection: 'bot_state', key: { key: 1 } },
    { file: 'mongo-conversation-directory.adapter.ts', where: 'MongoConversationDirectory.save (upsert on key)', collection: 'conversations', key: { key: 1 } },
  ];

  it.each(E11000_RELIANCE)('keeps the uniqueness $where relies on ($collection)', ({ collection, key }) => {
    const def = MONGO_MODELS.find((m) => m.collection === collection);
    expect(def).toBeDefined();
    if (key === '_id') return;
    expect(declaredIndexes(def!).filter((ix) => ix.unique).map((ix) => ix.key)).toContainEqual(key);
  });

  it('every isDuplicateKeyError use is in the table above', () => {
    const users = readdirSync(folder)
      .filter((f) => f.endsWith('.ts') && f !== 'mongo-connection.ts')
      .filter((f) => readFileSync(path.join(folder, f), 'utf8').includes('isDuplicateKeyError('));
    const listed = new Set(E11000_RELIANCE.map((r) => r.file));
    expect(users.length).toBeGreaterThanOrEqual(7);
    expect(users.filter((f) => !listed.has(f))).toEqual([]);
  });

  it('docs/storage.md lists every collection with its indexes, as the registry declares them', () => {
    const doc = readFileSync(path.join(root, 'docs/storage.md'), 'utf8');
    const table = doc.slice(doc.indexOf('| Collection | Indexes besides `_id` |'));
    const rows = [...table.matchAll(/^\| `([a-z_]+)` \| (.+) \|$/gm)].map((m) => [m[1], m[2]]);
    const expected = MONGO_MODELS.map((m) => [m.collection, declaredIndexes(m).map((ix) => `\`${ix.name}\`${ix.unique ? ' (unique)' : ''}`).join(', ') || '—']);
    expect(rows).toEqual(expected);
  });

  it('npm run db:migrate builds the app and runs dist/src/db-migrate.js (the container runs it the same way)', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['db:migrate']).toBe('node scripts/build.mjs && node dist/src/db-migrate.js');
    expect(readFileSync(path.join(root, 'scripts/build.mjs'), 'utf8')).toMatch(/folders = \[[^\]]*'src'/);
  });
});
