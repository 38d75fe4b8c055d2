/** A database of its own on the run's store (the jest global setup starts it), dropped on close. */
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { connectMongo, type MongoConnectOptions } from '../../src/adapters/mongo/mongo-connection';

export async function openTestDatabase(prefix: string, options: MongoConnectOptions = {}): Promise<{ conn: Connection; close: () => Promise<void> }> {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is not set: the jest global setup starts the store');
  const conn = await connectMongo(uri, `t_${prefix}_${randomUUID().replace(/-/g, '').slice(0, 12)}`, options);
  return {
    conn,
    close: async () => {
      await conn.dropDatabase().catch(() => undefined);
      await conn.close();
    },
  };
}
