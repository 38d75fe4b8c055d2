/** The digest stores contract on the in-memory fakes (MongoDB: test/integration/digest-stores.contract.int.test.ts). */
import { digestStoresContract } from '../contracts/digest-stores.contract';
import { InMemoryDigestDeliveryStore, InMemoryFixRecordStore } from '../fakes/in-memory-digest-stores';

digestStoresContract('in memory', async () => ({ deliveries: new InMemoryDigestDeliveryStore(), fixes: new InMemoryFixRecordStore(), close: async () => undefined }));
