/** The approval store contract on the in-memory fake (Mongo adapter: test/integration/approval-store.contract.int.test.ts). */
import { approvalStoreContract } from '../contracts/approval-store.contract';
import { InMemoryApprovalStore } from '../fakes/in-memory-approval-store';

approvalStoreContract('in memory', async () => ({ store: new InMemoryApprovalStore(), close: async () => undefined }));
