/** The Scheduler on MongoJobStore over the run's store (a database of its own): one job per slot holds there too. */
import { randomUUID } from 'node:crypto';
import { connectMongo } from '../../src/adapters/mongo/mongo-connection';
import { MongoJobStore } from '../../src/adapters/mongo/mongo-job-store.adapter';
import { schedulerSuite } from '../helpers/scheduler-suite';

schedulerSuite('MongoJobStore', async () => {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is not set: the jest global setup starts the store');
  const conn = await connectMongo(uri, `t_scheduler_${randomUUID().replace(/-/g, '').slice(0, 12)}`);
  return {
    store: new MongoJobStore(conn),
    close: async () => {
      await conn.dropDatabase().catch(() => undefined);
      await conn.close();
    },
  };
});
