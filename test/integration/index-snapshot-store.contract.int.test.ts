/** The IndexSnapshotStore contract on MongoIndexSnapshotStore (the run's store, a database of its own). */
import { randomUUID } from 'node:crypto';
import { connectMongo } from '../../src/adapters/mongo/mongo-connection';
import { MongoIndexSnapshotStore } from '../../src/adapters/mongo/mongo-index-snapshot-store.adapter';
import { indexSnapshotStoreContract } from '../contracts/index-snapshot-store.contract';

indexSnapshotStoreContract('MongoIndexSnapshotStore', async () => {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is not set: the jest global setup starts the store');
  const conn = await connectMongo(uri, `t_snapshots_${randomUUID().replace(/-/g, '').slice(0, 12)}`);
  return {
    store: new MongoIndexSnapshotStore(conn),
    close: async () => {
      await conn.dropDatabase().catch(() => undefined);
      await conn.close();
    },
  };
});
