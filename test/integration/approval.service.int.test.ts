/** The approval races on MongoApprovalStore and MongoAuditLog (the run's store, a database per test). */
import { MongoApprovalStore } from '../../src/adapters/mongo/mongo-approval-store.adapter';
import { MongoAuditLog } from '../../src/adapters/mongo/mongo-audit-log.adapter';
import { approvalRaces } from '../helpers/approval-races';
import { openTestDatabase } from '../helpers/test-database';

approvalRaces('MongoDB', async () => {
  const { conn, close } = await openTestDatabase('approval_races');
  return { store: new MongoApprovalStore(conn), audit: new MongoAuditLog(conn), close };
});
