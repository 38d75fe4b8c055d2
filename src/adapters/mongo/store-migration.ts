/**
 * Creates the bot's collections and indexes (`npm run db:migrate`) and checks, at a production
 * start, that they exist. Additive by default: an index the models do not declare is reported and
 * kept unless the caller asks to drop it. Built on mongoose's createCollection / diffIndexes, then
 * checked again with diffIndexes, because the embedded test store answers createIndex for a name it
 * already has with other options as if it had created it (real MongoDB refuses with code 85/86).
 */
import type { Connection, Model } from 'mongoose';
import type { ModelDefinition } from './model-definition';
import { MONGO_MODELS } from './mongo-models';

type IndexKey = Record<string, unknown>;
type IndexOptions = Record<string, unknown> & { name?: string; unique?: boolean };

export interface IndexSpec {
  name: string;
  key: IndexKey;
  unique: boolean;
}

export interface CollectionReport {
  collection: string;
  created: boolean;
  added: IndexSpec[];
  /** Indexes on the collection that no model declares: dropped with `dropUnlisted`, else kept. */
  unlisted: string[];
  dropped: string[];
  /** Why this collection could not be migrated (the others still are). */
  failure?: string;
}

export interface MigrateOptions {
  dropUnlisted?: boolean;
  models?: readonly ModelDefinition[];
}

export class StoreMigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreMigrationError';
  }
}

export class StoreNotMigratedError extends Error {
  constructor(readonly missing: { collection: string; collectionMissing: boolean; indexes: IndexSpec[] }[]) {
    super(
      'The store is not migrated: ' +
        missing.map((m) => (m.collectionMissing ? `${m.collection} (no collection)` : `${m.collection} lacks ${m.indexes.map(describeIndex).join(', ')}`)).join('; ') +
        '. Run `npm run db:migrate` (in the cluster: the db-migrate job) against this MONGODB_URI and MONGODB_DB, then start again.',
    );
    this.name = 'StoreNotMigratedError';
  }
}

/** MongoDB's default index name: `a_1_b_-1`. */
export const indexName = (key: IndexKey, options: IndexOptions = {}): string => options.name ?? Object.entries(key).map(([k, v]) => `${k}_${String(v)}`).join('_');

export const describeIndex = (ix: IndexSpec): string => `${ix.name}${ix.unique ? ' (unique)' : ''}`;

/** The indexes a model declares, as the migration names them. */
export function declaredIndexes(def: ModelDefinition): IndexSpec[] {
  return def.schema.indexes().map(([key, options]) => toSpec(key as IndexKey, options as IndexOptions));
}

const toSpec = (key: IndexKey, options: IndexOptions): IndexSpec => ({ name: indexName(key, options), key, unique: options.unique === true });

async function existingCollections(conn: Connection): Promise<Set<string>> {
  const list = await conn.db!.listCollections({}, { nameOnly: true }).toArray();
  return new Set(list.map((c) => c.name));
}

async function missingIndexes(model: Model<unknown>): Promise<{ toCreate: [IndexKey, IndexOptions][]; toDrop: string[] }> {
  const diff = await model.diffIndexes({ indexOptionsToCreate: true });
  return { toCreate: diff.toCreate as unknown as [IndexKey, IndexOptions][], toDrop: diff.toDrop };
}

/** Creates what is missing, one collection at a time, and reports what it did per collection (a failed one does not stop the rest). */
export async function migrateStore(conn: Connection, options: MigrateOptions = {}): Promise<CollectionReport[]> {
  const models = options.models ?? MONGO_MODELS;
  const collections = await existingCollections(conn);
  const reports: CollectionReport[] = [];
  for (const def of models) {
    const exists = collections.has(def.collection);
    reports.push(
      await migrateCollection(def, def.of(conn) as Model<unknown>, exists, options.dropUnlisted === true).catch((e: unknown) => ({
        collection: def.collection,
        created: false,
        added: [],
        unlisted: [],
        dropped: [],
        failure: e instanceof Error ? e.message : String(e),
      })),
    );
  }
  return reports;
}

async function migrateCollection(def: ModelDefinition, model: Model<unknown>, exists: boolean, dropUnlisted: boolean): Promise<CollectionReport> {
  if (!exists) await model.createCollection();
  const { toCreate, toDrop } = await missingIndexes(model);
  const dropped: string[] = [];
  if (dropUnlisted) {
    for (const name of toDrop) {
      await model.collection.dropIndex(name);
      dropped.push(name);
    }
  }
  const added: IndexSpec[] = [];
  for (const [key, opts] of toCreate) {
    const spec = toSpec(key, opts);
    try {
      await model.collection.createIndex(key as Record<string, 1 | -1>, { ...opts, name: spec.name });
    } catch (e) {
      const code = (e as { code?: number }).code;
      if (code === 85 || code === 86) throw conflict(spec, toDrop);
      throw e;
    }
    added.push(spec);
  }
  // The embedded store "creates" an index whose name is taken without a word: look again.
  const still = (await missingIndexes(model)).toCreate.map(([key, opts]) => toSpec(key, opts));
  if (still.length) throw conflict(still[0]!, toDrop);
  return { collection: def.collection, created: !exists, added, unlisted: dropUnlisted ? [] : toDrop, dropped };
}

function conflict(spec: IndexSpec, unlisted: string[]): StoreMigrationError {
  const others = unlisted.length ? ` (indexes there that no model declares: ${unlisted.join(', ')})` : '';
  return new StoreMigrationError(
    `index ${describeIndex(spec)} on ${JSON.stringify(spec.key)} cannot be created: an index with its name or keys exists with other options${others}. ` +
      'Drop that index, or run `npm run db:migrate -- --drop-unlisted`, and run the migration again.',
  );
}

/**
 * What a production start checks: every collection exists with every declared index (options
 * included: a non-unique index where a unique one is declared counts as missing). One
 * listCollections and one listIndexes per collection.
 */
export async function unmigrated(conn: Connection, models: readonly ModelDefinition[] = MONGO_MODELS): Promise<StoreNotMigratedError['missing']> {
  const collections = await existingCollections(conn);
  const missing = await Promise.all(
    models.map(async (def) => {
      if (!collections.has(def.collection)) return { collection: def.collection, collectionMissing: true, indexes: declaredIndexes(def) };
      const { toCreate } = await missingIndexes(def.of(conn) as Model<unknown>);
      return { collection: def.collection, collectionMissing: false, indexes: toCreate.map(([key, opts]) => toSpec(key, opts)) };
    }),
  );
  return missing.filter((m) => m.collectionMissing || m.indexes.length);
}

export async function assertStoreMigrated(conn: Connection, models: readonly ModelDefinition[] = MONGO_MODELS): Promise<void> {
  const missing = await unmigrated(conn, models);
  if (missing.length) throw new StoreNotMigratedError(missing);
}

/** One line for a collection: created / indexes added / unchanged (plus what it dropped or kept). */
export function describeReport(r: CollectionReport): string {
  if (r.failure) return `${r.collection}: FAILED: ${r.failure}`;
  const parts: string[] = [];
  if (r.created) parts.push('created');
  if (r.added.length) parts.push(`indexes added: ${r.added.map(describeIndex).join(', ')}`);
  if (r.dropped.length) parts.push(`indexes dropped: ${r.dropped.join(', ')}`);
  if (!parts.length) parts.push('unchanged');
  if (r.unlisted.length) parts.push(`kept indexes no model declares: ${r.unlisted.join(', ')} (--drop-unlisted drops them)`);
  return `${r.collection}: ${parts.join('; ')}`;
}

export const changedAnything = (reports: CollectionReport[]): boolean => reports.some((r) => r.created || r.added.length > 0 || r.dropped.length > 0);
