/** The expiry reminder store contract on the in-memory fake (MongoDB: test/integration/expiry-reminder-store.contract.int.test.ts). */
import { expiryReminderStoreContract } from '../contracts/expiry-reminder-store.contract';
import { InMemoryExpiryReminderStore } from '../fakes/in-memory-expiry-reminder-store';

expiryReminderStoreContract('in memory', async () => ({ store: new InMemoryExpiryReminderStore(), close: async () => undefined }));
