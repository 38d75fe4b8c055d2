/** The RoleAssignments contract on the in-memory fake (ArmRoleAssignments: test/integration/role-assignments.contract.int.test.ts), and the fake's failure injection. */
import { DomainError } from '../../src/domain/domain-error';
import { KEY_VAULT_SECRETS_USER } from '../../src/domain/secrets/role-assignments.port';
import { DEMO_WORKLOADS } from '../../src/sandbox/seed/demo-org';
import { roleAssignmentsContract, SECRET_SCOPE } from '../contracts/role-assignments.contract';
import { InMemoryRoleAssignments } from '../fakes/in-memory-role-assignments';

const make = () => new InMemoryRoleAssignments({ principals: DEMO_WORKLOADS.map((w) => w.principalId), principalAttempts: 3 });

roleAssignmentsContract('InMemoryRoleAssignments', async () => {
  const fake = make();
  return {
    assignments: fake,
    principalAttempts: fake.principalAttempts,
    assignedElsewhere: async (spec, name) => fake.assignedElsewhere(spec, name),
    replicating: async (principalId, tries) => fake.replicating(principalId, tries),
    forbid: async () => fake.forbid(),
    close: async () => undefined,
  };
});

test('InMemoryRoleAssignments: an injected failure rejects the next call of that method only, and assigns nothing', async () => {
  const fake = make();
  const throttled = new DomainError('UPSTREAM.THROTTLED', 'ARM is throttling');
  fake.failNext(throttled, { method: 'ensure' });
  const spec = { scope: SECRET_SCOPE, roleDefinitionId: KEY_VAULT_SECRETS_USER, principalId: DEMO_WORKLOADS[0]!.principalId, principalType: 'ServicePrincipal' as const };
  await expect(fake.ensure(spec)).rejects.toBe(throttled);
  expect(await fake.listAt(SECRET_SCOPE)).toEqual([]);
  expect((await fake.ensure(spec)).created).toBe(true);
  expect(fake.calls.map((c) => c.method)).toEqual(['ensure', 'listAt', 'ensure']);
});
