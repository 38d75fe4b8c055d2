/** The health stores contract on MongoHealthRunStore and MongoHealthWaiverStore (the run's store, a database per test). */
import { MongoHealthRunStore } from '../../src/adapters/mongo/mongo-health-run-store.adapter';
import { MongoHealthWaiverStore } from '../../src/adapters/mongo/mongo-health-waiver-store.adapter';
import { healthStoresContract } from '../contracts/health-stores.contract';
import { openTestDatabase } from '../helpers/test-database';

healthStoresContract('MongoDB', async () => {
  const { conn, close } = await openTestDatabase('health');
  return { runs: new MongoHealthRunStore(conn), waivers: new MongoHealthWaiverStore(conn), close };
});
