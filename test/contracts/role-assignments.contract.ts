/**
 * What every RoleAssignments must do, run against the in-memory fake (test/unit/role-assignments.contract.test.ts)
 * and against ArmRoleAssignments + the ARM stand-in (test/integration/role-assignments.contract.int.test.ts).
 * Each test gets a fresh subject whose directory knows the demo workloads' service principals.
 */
import { roleAssignmentName } from '../../src/adapters/arm/role-assignment-name';
import { KEY_VAULT_SECRETS_USER, type RoleAssignmentSpec, type RoleAssignments } from '../../src/domain/secrets/role-assignments.port';
import { DEMO_AZURE, DEMO_WORKLOADS } from '../../src/sandbox/seed/demo-org';
import { domainFailure } from '../helpers/domain-failure';

export interface RoleAssignmentsUnderTest {
  assignments: RoleAssignments;
  /** Tries the subject makes while ARM does not find a principal (its `principalNotFound.attempts`). */
  principalAttempts: number;
  /** The same role for the same principal at the scope, assigned by someone else under their own name (the portal). */
  assignedElsewhere(spec: RoleAssignmentSpec, name: string): Promise<void>;
  /** A new identity in the directory that ARM does not find for the next `tries` tries (replication). */
  replicating(principalId: string, tries: number): Promise<void>;
  /** The bot's identity loses the right to assign roles. */
  forbid(): Promise<void>;
  close(): Promise<void>;
}

export const VAULT_SCOPE = `/subscriptions/${DEMO_AZURE.subscriptionId}/resourceGroups/${DEMO_AZURE.keyVaultResourceGroup}/providers/Microsoft.KeyVault/vaults/kv-idp-dev`;
export const SECRET_SCOPE = `${VAULT_SCOPE}/secrets/payments-api--dev--db-password`;
const [API, WEB] = DEMO_WORKLOADS as [(typeof DEMO_WORKLOADS)[0], (typeof DEMO_WORKLOADS)[0]];
const KEY_VAULT_READER = '21090545-7ca7-4776-b22c-e363652d74d2';
const NEW_IDENTITY = '3c1d0000-0000-4000-8000-0000000d5aff';

const specFor = (principalId: string, scope = SECRET_SCOPE, roleDefinitionId = KEY_VAULT_SECRETS_USER): RoleAssignmentSpec => ({ scope, roleDefinitionId, principalId, principalType: 'ServicePrincipal' });
const names = (list: { name: string }[]) => list.map((a) => a.name).sort();

export function roleAssignmentsContract(name: string, make: () => Promise<RoleAssignmentsUnderTest>): void {
  describe(`RoleAssignments contract: ${name}`, () => {
    let subject: RoleAssignmentsUnderTest;
    let assignments: RoleAssignments;

    beforeEach(async () => {
      subject = await make();
      assignments = subject.assignments;
    });
    afterEach(async () => subject?.close());

    it('creates the assignment under the name derived from (scope, role, principal), and says it created it', async () => {
      const { assignment, created } = await assignments.ensure(specFor(API.principalId));
      expect(created).toBe(true);
      const name = roleAssignmentName(SECRET_SCOPE, KEY_VAULT_SECRETS_USER, API.principalId);
      expect(assignment).toEqual({
        id: `${SECRET_SCOPE}/providers/Microsoft.Authorization/roleAssignments/${name}`,
        name,
        scope: SECRET_SCOPE,
        roleDefinitionId: KEY_VAULT_SECRETS_USER,
        principalId: API.principalId,
        principalType: 'ServicePrincipal',
      });
      expect(await assignments.listAt(SECRET_SCOPE)).toEqual([assignment]);
    });

    it('is idempotent: the same spec again (other case, trailing slash) returns the same assignment, not created', async () => {
      const first = await assignments.ensure(specFor(API.principalId));
      const again = await assignments.ensure({ ...specFor(API.principalId.toUpperCase(), `${SECRET_SCOPE}/`), roleDefinitionId: KEY_VAULT_SECRETS_USER.toUpperCase() });
      expect(again).toEqual({ assignment: first.assignment, created: false });
      expect(await assignments.listAt(SECRET_SCOPE)).toHaveLength(1);
    });

    it('takes an existing assignment of the same role to the same principal under another name as success, returning that one', async () => {
      const other = '0b5e0000-0000-4000-8000-00000000a55e';
      await subject.assignedElsewhere(specFor(API.principalId), other);
      const { assignment, created } = await assignments.ensure(specFor(API.principalId));
      expect(created).toBe(false);
      expect(assignment).toMatchObject({ name: other, scope: SECRET_SCOPE, roleDefinitionId: KEY_VAULT_SECRETS_USER, principalId: API.principalId });
      expect(names(await assignments.listAt(SECRET_SCOPE))).toEqual([other]);
    });

    it('lists the assignments at exactly a scope: not those on the vault above a secret, nor on secrets below a vault', async () => {
      const onSecret = await assignments.ensure(specFor(API.principalId));
      const onVault = await assignments.ensure(specFor(WEB.principalId, VAULT_SCOPE));
      const reader = await assignments.ensure(specFor(WEB.principalId, SECRET_SCOPE, KEY_VAULT_READER));
      expect(names(await assignments.listAt(SECRET_SCOPE))).toEqual(names([onSecret.assignment, reader.assignment]));
      expect(await assignments.listAt(VAULT_SCOPE)).toEqual([onVault.assignment]);
      expect(await assignments.listAt(`${VAULT_SCOPE}/secrets/nothing-here`)).toEqual([]);
    });

    it('gives another principal or another role its own assignment', async () => {
      const a = await assignments.ensure(specFor(API.principalId));
      const b = await assignments.ensure(specFor(WEB.principalId));
      const c = await assignments.ensure(specFor(API.principalId, SECRET_SCOPE, KEY_VAULT_READER));
      expect([a.created, b.created, c.created]).toEqual([true, true, true]);
      expect(new Set([a.assignment.name, b.assignment.name, c.assignment.name]).size).toBe(3);
    });

    it('refuses with SECRETS.ASSIGNMENT_FORBIDDEN naming the scope when the bot may not assign roles, and assigns nothing', async () => {
      await subject.forbid();
      const e = await domainFailure(assignments.ensure(specFor(API.principalId)));
      expect(e.code).toBe('SECRETS.ASSIGNMENT_FORBIDDEN');
      expect(e.details.scope).toBe(SECRET_SCOPE);
      expect(await assignments.listAt(SECRET_SCOPE)).toEqual([]);
    });

    it('gives up on a principal the directory does not have with SECRETS.PRINCIPAL_NOT_FOUND, after its tries', async () => {
      const e = await domainFailure(assignments.ensure(specFor('99999999-0000-4000-8000-000000000000')));
      expect(e.code).toBe('SECRETS.PRINCIPAL_NOT_FOUND');
      expect(e.details).toMatchObject({ principalId: '99999999-0000-4000-8000-000000000000', attempts: subject.principalAttempts });
      expect(await assignments.listAt(SECRET_SCOPE)).toEqual([]);
    });

    it('waits out a new identity that is still replicating (fewer misses than tries) and assigns it', async () => {
      await subject.replicating(NEW_IDENTITY, subject.principalAttempts - 1);
      const { assignment, created } = await assignments.ensure(specFor(NEW_IDENTITY));
      expect(created).toBe(true);
      expect(assignment.principalId).toBe(NEW_IDENTITY);
    });

    it('fails while the identity replicates longer than its tries, and succeeds when asked again later', async () => {
      await subject.replicating(NEW_IDENTITY, subject.principalAttempts);
      expect((await domainFailure(assignments.ensure(specFor(NEW_IDENTITY)))).code).toBe('SECRETS.PRINCIPAL_NOT_FOUND');
      expect(await assignments.listAt(SECRET_SCOPE)).toEqual([]);
      expect((await assignments.ensure(specFor(NEW_IDENTITY))).created).toBe(true);
    });
  });
}
