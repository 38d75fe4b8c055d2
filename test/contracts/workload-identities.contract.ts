/**
 * What every WorkloadIdentities must do, run against the in-memory fake (test/unit/workload-identities.contract.test.ts)
 * and against GraphWorkloadIdentities + the Graph stand-in (test/integration/workload-identities.contract.int.test.ts),
 * both knowing the demo workloads.
 */
import type { WorkloadIdentities } from '../../src/domain/secrets/role-assignments.port';
import { DEMO_WORKLOADS } from '../../src/sandbox/seed/demo-org';

export interface WorkloadIdentitiesUnderTest {
  identities: WorkloadIdentities;
  /** A new identity appears in the directory. */
  add(workload: { clientId: string; principalId: string }): Promise<void>;
  close(): Promise<void>;
}

export function workloadIdentitiesContract(name: string, make: () => Promise<WorkloadIdentitiesUnderTest>): void {
  describe(`WorkloadIdentities contract: ${name}`, () => {
    let subject: WorkloadIdentitiesUnderTest;

    beforeEach(async () => (subject = await make()));
    afterEach(async () => subject?.close());

    it("resolves each demo workload's client id to its service principal's object id", async () => {
      for (const w of DEMO_WORKLOADS) expect(await subject.identities.principalIdOf(w.clientId)).toBe(w.principalId);
    });

    it('matches the client id in any case and with spaces around it', async () => {
      expect(await subject.identities.principalIdOf(` ${DEMO_WORKLOADS[0]!.clientId.toUpperCase()} `)).toBe(DEMO_WORKLOADS[0]!.principalId);
    });

    it('answers null for a client id the directory does not have, then finds it once it appears', async () => {
      const clientId = '3c1d0000-0000-4000-8000-0000000c1aff';
      expect(await subject.identities.principalIdOf(clientId)).toBeNull();
      await subject.add({ clientId, principalId: '3c1d0000-0000-4000-8000-0000000d5aff' });
      expect(await subject.identities.principalIdOf(clientId)).toBe('3c1d0000-0000-4000-8000-0000000d5aff');
    });

    it.each([['an empty value', ''], ['a name', 'id-payments-api'], ['a filter injection', `${DEMO_WORKLOADS[0]!.clientId}' or appId ne '`]])('answers null for %s, never an error', async (_what, clientId) => {
      expect(await subject.identities.principalIdOf(clientId)).toBeNull();
    });
  });
}
