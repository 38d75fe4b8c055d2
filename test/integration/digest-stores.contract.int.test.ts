/** The digest stores contract on MongoDigestDeliveryStore and MongoFixRecordStore (the run's store, a database per test). */
import { MongoDigestDeliveryStore } from '../../src/adapters/mongo/mongo-digest-delivery-store.adapter';
import { MongoFixRecordStore } from '../../src/adapters/mongo/mongo-fix-record-store.adapter';
import { digestStoresContract } from '../contracts/digest-stores.contract';
import { openTestDatabase } from '../helpers/test-database';

digestStoresContract('MongoDB', async () => {
  const { conn, close } = await openTestDatabase('digest');
  return { deliveries: new MongoDigestDeliveryStore(conn), fixes: new MongoFixRecordStore(conn), close };
});
