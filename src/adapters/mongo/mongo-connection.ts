import mongoose, { type Connection } from 'mongoose';

/**
 * One mongoose connection per bot instance (not the global one), so several instances can live
 * in one process in tests. `serverMonitoringMode: 'poll'` keeps the embedded sandbox store from
 * dropping connections at each heartbeat and is harmless on real MongoDB.
 */
export async function connectMongo(uri: string, dbName: string): Promise<Connection> {
  const conn = mongoose.createConnection(uri, {
    dbName,
    serverMonitoringMode: 'poll',
    serverSelectionTimeoutMS: 5000,
    maxPoolSize: 20,
    autoIndex: true,
  });
  await conn.asPromise();
  return conn;
}

export const isConnected = (conn: Connection): boolean => conn.readyState === 1;

/** Duplicate-key error from a unique index (real MongoDB / Cosmos). */
export const isDuplicateKeyError = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && (e as { code?: number }).code === 11000;
