/** The RepoRequestStore contract on the in-memory fake (MongoRepoRequestStore: test/integration/repo-request-store.contract.int.test.ts). */
import { repoRequestStoreContract } from '../contracts/repo-request-store.contract';
import { InMemoryRepoRequestStore } from '../fakes/in-memory-repo-request-store';

repoRequestStoreContract('InMemoryRepoRequestStore', async () => ({ store: new InMemoryRepoRequestStore(), close: async () => undefined }));
