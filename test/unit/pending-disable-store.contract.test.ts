/** The pending disable store contract on the in-memory fake (MongoDB: test/integration/pending-disable-store.contract.int.test.ts). */
import { pendingDisableStoreContract } from '../contracts/pending-disable-store.contract';
import { InMemoryPendingDisableStore } from '../fakes/in-memory-pending-disable-store';

pendingDisableStoreContract('in memory', async () => ({ store: new InMemoryPendingDisableStore(), close: async () => undefined }));
