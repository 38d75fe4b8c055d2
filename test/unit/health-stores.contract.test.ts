/** The health stores contract on the in-memory fakes (Mongo adapters: test/integration/health-stores.contract.int.test.ts). */
import { healthStoresContract } from '../contracts/health-stores.contract';
import { InMemoryHealthRunStore, InMemoryHealthWaiverStore } from '../fakes/in-memory-health-stores';

healthStoresContract('in memory', async () => ({ runs: new InMemoryHealthRunStore(), waivers: new InMemoryHealthWaiverStore(), close: async () => undefined }));
