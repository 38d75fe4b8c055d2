/** The approval store contract on MongoApprovalStore (the run's store, a database per test). */
import { MongoApprovalStore } from '../../src/adapters/mongo/mongo-approval-store.adapter';
import { approvalStoreContract } from '../contracts/approval-store.contract';
import { openTestDatabase } from '../helpers/test-database';

approvalStoreContract('MongoDB', async () => {
  const { conn, close } = await openTestDatabase('approvals');
  return { store: new MongoApprovalStore(conn), close };
});
