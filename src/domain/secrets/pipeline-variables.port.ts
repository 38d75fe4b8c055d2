/**
 * The variables pipelines read, in Azure DevOps variable groups (`vg-<service>-<env>`, the groups
 * the golden pipeline names). A plain group holds values (a secret variable's value is write-only:
 * nothing here, nor the service, ever returns it); a Key Vault-linked group holds no values at all,
 * only the names of secrets the pipeline reads from the vault at run time through a service
 * connection, so nobody copies a value.
 *
 * Errors: PIPELINES.INVALID_VARIABLE_NAME { name, reason }, PIPELINES.VARIABLE_IS_SECRET { group, name }
 * (a plain value over a secret variable would un-hide it), PIPELINES.VARIABLE_GROUP_LINKED
 * { group, vault } (values cannot go into a Key Vault-linked group), PIPELINES.VARIABLE_GROUP_NOT_LINKABLE
 * { group, variables } (linking would drop the group's own variables), PIPELINES.VARIABLE_GROUP_OTHER_VAULT
 * { group, vault }, PIPELINES.SERVICE_CONNECTION_NOT_FOUND { project, serviceConnection },
 * REPOS.PROJECT_NOT_FOUND { project }, UPSTREAM.FORBIDDEN / THROTTLED / UNAVAILABLE / FAILED.
 */
import type { SecretValue } from './secret-value';

export interface PipelineVariableInfo {
  name: string;
  isSecret: boolean;
  /** Plain variables only; never present for a secret or a Key Vault-linked one. */
  value?: string;
}

export interface VariableGroupInfo {
  id: number;
  name: string;
  /** `key-vault`: every variable is a secret of the linked vault, read at run time. */
  kind: 'plain' | 'key-vault';
  keyVault?: { serviceConnectionId: string; vault: string };
  /** Sorted by name. */
  variables: PipelineVariableInfo[];
}

export interface KeyVaultLink {
  /** The Azure Resource Manager service connection's name in the project (the one allowed to read the vault). */
  serviceConnection: string;
  vaultName: string;
  /** Key Vault secret names; each becomes a variable of that name. */
  secretNames: string[];
}

export interface SetVariableResult {
  groupCreated: boolean;
  variableCreated: boolean;
  /** False when a plain value was already that (a secret is always written: its value cannot be compared). */
  changed: boolean;
}

export interface LinkKeyVaultResult {
  groupCreated: boolean;
  /** The secret names this call added (already-linked ones are left as they are). */
  added: string[];
}

export interface PipelineVariables {
  /** The group (case-insensitive name) with its variables' names; null when the project has no such group. */
  list(project: string, group: string): Promise<VariableGroupInfo | null>;
  /** A plain variable (`string`) or a secret one (`SecretValue`) in a plain group, created with the group when absent; the group's other variables are kept. */
  setVariable(project: string, group: string, name: string, value: string | SecretValue, options?: { description?: string }): Promise<SetVariableResult>;
  /** The group as a Key Vault-linked one holding these secrets (created when absent; an empty plain group is turned into one). */
  linkKeyVault(project: string, group: string, link: KeyVaultLink, options?: { description?: string }): Promise<LinkKeyVaultResult>;
}
