/** The RepoRequestStore contract on MongoRepoRequestStore (the run's store, a database of its own). */
import { randomUUID } from 'node:crypto';
import { connectMongo } from '../../src/adapters/mongo/mongo-connection';
import { MongoRepoRequestStore } from '../../src/adapters/mongo/mongo-repo-request-store.adapter';
import { repoRequestStoreContract } from '../contracts/repo-request-store.contract';

repoRequestStoreContract('MongoRepoRequestStore', async () => {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is not set: the jest global setup starts the store');
  const conn = await connectMongo(uri, `t_repo_requests_${randomUUID().replace(/-/g, '').slice(0, 12)}`);
  return {
    store: new MongoRepoRequestStore(conn),
    close: async () => {
      await conn.dropDatabase().catch(() => undefined);
      await conn.close();
    },
  };
});
