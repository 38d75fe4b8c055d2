/** The WorkloadIdentities contract on the in-memory fake (GraphWorkloadIdentities: test/integration/workload-identities.contract.int.test.ts). */
import { DomainError } from '../../src/domain/domain-error';
import { DEMO_WORKLOADS } from '../../src/sandbox/seed/demo-org';
import { workloadIdentitiesContract } from '../contracts/workload-identities.contract';
import { InMemoryWorkloadIdentities } from '../fakes/in-memory-workload-identities';

workloadIdentitiesContract('InMemoryWorkloadIdentities', async () => {
  const fake = new InMemoryWorkloadIdentities(DEMO_WORKLOADS);
  return { identities: fake, add: async (w) => fake.add(w), close: async () => undefined };
});

test('InMemoryWorkloadIdentities: an injected failure rejects the next call only', async () => {
  const fake = new InMemoryWorkloadIdentities(DEMO_WORKLOADS);
  const down = new DomainError('UPSTREAM.UNAVAILABLE', 'Graph is down');
  fake.failNext(down);
  await expect(fake.principalIdOf(DEMO_WORKLOADS[0]!.clientId)).rejects.toBe(down);
  expect(await fake.principalIdOf(DEMO_WORKLOADS[0]!.clientId)).toBe(DEMO_WORKLOADS[0]!.principalId);
});
