/**
 * RoleAssignments in memory, answering as ArmRoleAssignments does against ARM (the contract suite
 * checks both): the same deterministic names, an existing (scope, role, principal) under any name
 * returned as it is, principals the directory knows (one still replicating is found after some
 * tries, within `principalAttempts`), the assigner's right to assign (`forbid`), assignments listed
 * at exactly a scope. A test can make the next call(s) fail (`failNext`) and read what was asked (`calls`).
 */
import { DomainError } from '../../src/domain/domain-error';
import type { RoleAssignment, RoleAssignmentSpec, RoleAssignments } from '../../src/domain/secrets/role-assignments.port';
import { normalizeScope, roleAssignmentName } from '../../src/adapters/arm/role-assignment-name';

type Method = 'ensure' | 'listAt';

export interface InMemoryRoleAssignmentsOptions {
  /** Directory object ids that exist (any case). */
  principals: string[];
  /** Tries on a principal not found before giving up, as the adapter's `principalNotFound.attempts` (default 5). */
  principalAttempts?: number;
}

export class InMemoryRoleAssignments implements RoleAssignments {
  /** By lower-cased name. */
  readonly assignments = new Map<string, RoleAssignment>();
  readonly calls: { method: Method; scope: string }[] = [];
  readonly principalAttempts: number;
  private readonly principals: Set<string>;
  /** Principal -> tries that still do not find it. */
  private readonly notYetFound = new Map<string, number>();
  private readonly failures: { method?: Method; error: unknown; times: number }[] = [];
  private forbidden = false;

  constructor(options: InMemoryRoleAssignmentsOptions) {
    this.principals = new Set(options.principals.map((p) => p.toLowerCase()));
    this.principalAttempts = Math.max(1, options.principalAttempts ?? 5);
  }

  /** The next `times` calls (of `method`, or any) reject with `error` and change nothing. */
  failNext(error: unknown, options: { method?: Method; times?: number } = {}): void {
    this.failures.push({ error, method: options.method, times: options.times ?? 1 });
  }

  /** An assignment someone else made, under their own name. */
  assignedElsewhere(spec: RoleAssignmentSpec, name: string): void {
    this.assignments.set(name.toLowerCase(), { ...this.normalized(spec), id: `${spec.scope}/providers/Microsoft.Authorization/roleAssignments/${name.toLowerCase()}`, name: name.toLowerCase() });
  }

  /** The next `tries` tries naming this principal do not find it (a new identity replicating). */
  replicating(principalId: string, tries: number): void {
    this.principals.add(principalId.toLowerCase());
    this.notYetFound.set(principalId.toLowerCase(), tries);
  }

  /** The bot's identity may no longer assign roles. */
  forbid(): void {
    this.forbidden = true;
  }

  async ensure(spec: RoleAssignmentSpec): Promise<{ assignment: RoleAssignment; created: boolean }> {
    this.enter('ensure', spec.scope);
    const wanted = this.normalized(spec);
    const same = [...this.assignments.values()].find((a) => normalizeScope(a.scope) === normalizeScope(wanted.scope) && a.roleDefinitionId === wanted.roleDefinitionId && a.principalId === wanted.principalId);
    // As ARM: an assignment that exists needs no write, so no right to write.
    if (same) return { assignment: { ...same }, created: false };
    if (this.forbidden) throw new DomainError('SECRETS.ASSIGNMENT_FORBIDDEN', `Not allowed to assign roles at ${wanted.scope}`, { scope: wanted.scope });
    // As the adapter: up to principalAttempts tries, each one using up a try that does not find it.
    const missing = this.notYetFound.get(wanted.principalId) ?? 0;
    if (!this.principals.has(wanted.principalId) || missing >= this.principalAttempts) {
      if (missing) this.notYetFound.set(wanted.principalId, missing - this.principalAttempts);
      throw new DomainError('SECRETS.PRINCIPAL_NOT_FOUND', `Principal ${spec.principalId} not found after ${this.principalAttempts} tries`, { principalId: spec.principalId, attempts: this.principalAttempts });
    }
    this.notYetFound.delete(wanted.principalId);
    const name = roleAssignmentName(wanted.scope, wanted.roleDefinitionId, wanted.principalId);
    const assignment: RoleAssignment = { ...wanted, id: `${wanted.scope}/providers/Microsoft.Authorization/roleAssignments/${name}`, name };
    this.assignments.set(name, assignment);
    return { assignment: { ...assignment }, created: true };
  }

  async listAt(scope: string): Promise<RoleAssignment[]> {
    this.enter('listAt', scope);
    return [...this.assignments.values()].filter((a) => normalizeScope(a.scope) === normalizeScope(scope)).map((a) => ({ ...a }));
  }

  private normalized(spec: RoleAssignmentSpec): RoleAssignmentSpec {
    return { ...spec, scope: spec.scope.trim().replace(/\/+$/, ''), roleDefinitionId: spec.roleDefinitionId.toLowerCase(), principalId: spec.principalId.toLowerCase() };
  }

  private enter(method: Method, scope: string): void {
    this.calls.push({ method, scope });
    const index = this.failures.findIndex((f) => !f.method || f.method === method);
    if (index < 0) return;
    const failure = this.failures[index]!;
    if (--failure.times <= 0) this.failures.splice(index, 1);
    throw failure.error;
  }
}
