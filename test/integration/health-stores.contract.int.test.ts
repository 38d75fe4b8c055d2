/** The health stores contract on MongoHealthRunStore and MongoHealthWaiverStore (the run's store, a database per test). */
import { randomUUID } from 'node:crypto';
import { MongoHealthRunStore } from '../../src/adapters/mongo/mongo-health-run-store.adapter';
import { MongoHealthWaiverStore } from '../../src/adapters/mongo/mongo-health-waiver-store.adapter';
import { connectMongo } from '../../src/adapters/mongo/mongo-connection';
import { healthStoresContract } from '../contracts/health-stores.contract';

healthStoresContract('MongoDB', async () => {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is not set: the jest global setup starts the store');
  const conn = await connectMongo(uri, `t_health_${randomUUID().replace(/-/g, '').slice(0, 12)}`);
  return {
    runs: new MongoHealthRunStore(conn),
    waivers: new MongoHealthWaiverStore(conn),
    close: async () => {
      await conn.dropDatabase().catch(() => undefined);
      await conn.close();
    },
  };
});
