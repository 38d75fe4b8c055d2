/**
 * Which vault holds a service's secret in an environment, and where a workload's read access is
 * granted. Two layouts:
 * - per-environment (one vault per environment, shared by services): access is granted on the
 *   secret itself (Key Vault Secrets User at the secret's scope), so a pod reads only its own;
 * - per-service-environment (a vault per service and environment, Microsoft's recommendation):
 *   access is granted on the vault (every secret in it belongs to that service).
 */

export type VaultLayout =
  | { kind: 'per-environment'; vaults: Readonly<Record<string, string>> }
  | { kind: 'per-service-environment'; urlTemplate: string; environments: readonly string[] };

export interface ArmLocation {
  subscriptionId: string;
  resourceGroup: string;
}

export interface VaultTarget {
  /** https://kv-dev.vault.azure.net */
  url: string;
  /** kv-dev: the first label of the host (what the SecretProviderClass names). */
  name: string;
  /** The vault's ARM resource id. */
  resourceId: string;
  /** Where the workload's role is assigned for this secret. */
  scopeFor(secretName: string): string;
}

export const environmentsOf = (layout: VaultLayout): string[] => (layout.kind === 'per-environment' ? Object.keys(layout.vaults) : [...layout.environments]);

/** The vault for (service, env); null when the environment has none. */
export function vaultFor(layout: VaultLayout, service: string, env: string, arm: ArmLocation): VaultTarget | null {
  const url = layout.kind === 'per-environment' ? layout.vaults[env] : layout.environments.includes(env) ? layout.urlTemplate.replace('{service}', service).replace('{env}', env) : undefined;
  if (!url) return null;
  const name = vaultNameOf(url);
  const resourceId = `/subscriptions/${arm.subscriptionId}/resourceGroups/${arm.resourceGroup}/providers/Microsoft.KeyVault/vaults/${name}`;
  return {
    url,
    name,
    resourceId,
    scopeFor: (secretName) => (layout.kind === 'per-environment' ? `${resourceId}/secrets/${secretName}` : resourceId),
  };
}

/** The vault name Azure gave the host (kv-dev in https://kv-dev.vault.azure.net); for a stand-in on 127.0.0.1, the configured path-free host's first label or "vault". */
export function vaultNameOf(url: string): string {
  const host = new URL(url).hostname;
  const first = host.split('.')[0] ?? '';
  return /^[a-z][a-z0-9-]{1,22}[a-z0-9]$/i.test(first) && !/^\d+$/.test(first) ? first.toLowerCase() : `vault-${host.replace(/[^a-z0-9]/gi, '-')}`;
}
