/** The digest stores contract on MongoDigestDeliveryStore and MongoFixRecordStore (the run's store, a database per test). */
import { randomUUID } from 'node:crypto';
import { connectMongo } from '../../src/adapters/mongo/mongo-connection';
import { MongoDigestDeliveryStore } from '../../src/adapters/mongo/mongo-digest-delivery-store.adapter';
import { MongoFixRecordStore } from '../../src/adapters/mongo/mongo-fix-record-store.adapter';
import { digestStoresContract } from '../contracts/digest-stores.contract';

digestStoresContract('MongoDB', async () => {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is not set: the jest global setup starts the store');
  const conn = await connectMongo(uri, `t_digest_${randomUUID().replace(/-/g, '').slice(0, 12)}`);
  return {
    deliveries: new MongoDigestDeliveryStore(conn),
    fixes: new MongoFixRecordStore(conn),
    close: async () => {
      await conn.dropDatabase().catch(() => undefined);
      await conn.close();
    },
  };
});
