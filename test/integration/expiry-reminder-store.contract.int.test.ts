/** The expiry reminder store contract on MongoExpiryReminderStore (the run's store, a database of its own). */
import { MongoExpiryReminderStore } from '../../src/adapters/mongo/mongo-expiry-reminder-store.adapter';
import { expiryReminderStoreContract } from '../contracts/expiry-reminder-store.contract';
import { openTestDatabase } from '../helpers/test-database';

expiryReminderStoreContract('MongoDB', async () => {
  const { conn, close } = await openTestDatabase('expiry');
  return { store: new MongoExpiryReminderStore(conn), close };
});
