/** The pending disable store contract on MongoPendingDisableStore (the run's store, a database per test). */
import { MongoPendingDisableStore } from '../../src/adapters/mongo/mongo-pending-disable-store.adapter';
import { pendingDisableStoreContract } from '../contracts/pending-disable-store.contract';
import { openTestDatabase } from '../helpers/test-database';

pendingDisableStoreContract('MongoDB', async () => {
  const { conn, close } = await openTestDatabase('pending_disable');
  return { store: new MongoPendingDisableStore(conn), close };
});
