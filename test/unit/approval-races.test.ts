/** The approval races on the in-memory store (MongoDB: test/integration/approval.service.int.test.ts). */
import { approvalRaces } from '../helpers/approval-races';
import { InMemoryApprovalStore } from '../fakes/in-memory-approval-store';
import { InMemoryAuditLog } from '../fakes/in-memory-audit-log';

approvalRaces('in memory', async () => ({ store: new InMemoryApprovalStore(), audit: new InMemoryAuditLog(), close: async () => undefined }));
