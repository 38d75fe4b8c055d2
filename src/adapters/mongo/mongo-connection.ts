import mongoose, { type Connection } from 'mongoose';

export interface MongoConnectOptions {
  /**
   * Build the schemas' indexes (and create their collections) when a model is first used. On for
   * the sandbox and tests (a fresh store every time); off in production, where `npm run db:migrate`
   * creates them before the first start (Cosmos DB cannot add a unique index to a collection with data).
   */
  autoIndex?: boolean;
  /** How long to look for a server before failing (the migration's tests shorten it). */
  serverSelectionTimeoutMS?: number;
}

/**
 * One mongoose connection per bot instance (not the global one), so several instances can live
 * in one process in tests. `serverMonitoringMode: 'poll'` keeps the embedded sandbox store from
 * dropping connections at each heartbeat and is harmless on real MongoDB.
 */
export async function connectMongo(uri: string, dbName: string, options: MongoConnectOptions = {}): Promise<Connection> {
  const autoIndex = options.autoIndex ?? true;
  const conn = mongoose.createConnection(uri, {
    dbName,
    serverMonitoringMode: 'poll',
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 5000,
    maxPoolSize: 20,
    autoIndex,
    autoCreate: autoIndex,
  });
  try {
    await conn.asPromise();
  } catch (e) {
    await conn.close().catch(() => undefined);
    throw e;
  }
  return conn;
}

export const isConnected = (conn: Connection): boolean => conn.readyState === 1;

/** Duplicate-key error from a unique index (real MongoDB / Cosmos). */
export const isDuplicateKeyError = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && (e as { code?: number }).code === 11000;
