/**
 * Azure RBAC for workloads: a role on a scope for a principal (a workload identity's service
 * principal). `ensure` is idempotent: the assignment's name is a GUID derived from (scope, role,
 * principal), and an assignment that exists already (409 RoleAssignmentExists) is success.
 * Errors: SECRETS.ASSIGNMENT_FORBIDDEN { scope } (the bot may not assign roles there),
 * SECRETS.PRINCIPAL_NOT_FOUND { principalId } (a new identity not replicated yet, or wrong id),
 * UPSTREAM.THROTTLED / UPSTREAM.UNAVAILABLE.
 */

/** Key Vault Secrets User (read secret contents): what a workload needs to mount a secret. */
export const KEY_VAULT_SECRETS_USER = '4633458b-17de-408a-b874-0445c86b69e6';

export interface RoleAssignmentSpec {
  /** An ARM resource id: a vault, or one secret (`.../vaults/<vault>/secrets/<name>`). */
  scope: string;
  /** The role definition's GUID (e.g. KEY_VAULT_SECRETS_USER). */
  roleDefinitionId: string;
  principalId: string;
  principalType: 'ServicePrincipal' | 'User' | 'Group';
}

export interface RoleAssignment extends RoleAssignmentSpec {
  /** The full ARM id of the assignment. */
  id: string;
  name: string;
}

export interface RoleAssignments {
  ensure(spec: RoleAssignmentSpec): Promise<{ assignment: RoleAssignment; created: boolean }>;
  /** Assignments at exactly this scope (not inherited). */
  listAt(scope: string): Promise<RoleAssignment[]>;
}

/** A workload identity (user-assigned managed identity or app registration) by its client id -> its service principal's object id. */
export interface WorkloadIdentities {
  /** Null when the directory has no service principal with this appId. */
  principalIdOf(clientId: string): Promise<string | null>;
}
