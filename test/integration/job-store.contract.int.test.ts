/** The JobStore contract on the in-memory fake and on MongoJobStore (the run's store, a database of its own). */
import { randomUUID } from 'node:crypto';
import { connectMongo } from '../../src/adapters/mongo/mongo-connection';
import { MongoJobStore } from '../../src/adapters/mongo/mongo-job-store.adapter';
import { jobStoreContract } from '../contracts/job-store.contract';
import { InMemoryJobStore } from '../fakes/in-memory-job-store';

jobStoreContract('InMemoryJobStore', async () => ({ store: new InMemoryJobStore(), close: async () => undefined }));

jobStoreContract('MongoJobStore', async () => {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is not set: the jest global setup starts the store');
  const conn = await connectMongo(uri, `t_jobs_${randomUUID().replace(/-/g, '').slice(0, 12)}`);
  return {
    store: new MongoJobStore(conn),
    close: async () => {
      await conn.dropDatabase().catch(() => undefined);
      await conn.close();
    },
  };
});
