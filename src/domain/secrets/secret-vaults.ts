/**
 * Where a service's secret lives and where its workload's read access is granted, on top of the
 * configured vault layout (vault-layout.ts):
 * - per-environment (one vault per environment, shared by services): "Key Vault Secrets User" is
 *   assigned on the secret itself, so a pod reads only its own service's secrets;
 * - per-service-environment (a vault per service and environment, Microsoft's recommendation):
 *   assigned on the vault, every secret of which belongs to that service.
 * The vault's Azure resource name (for the ARM scope) is configured per environment when it is not
 * the first label of its host.
 */
import { resolveVault, vaultNameOf, type VaultLayout } from './vault-layout';

export interface ArmLocation {
  subscriptionId: string;
  resourceGroup: string;
}

export interface VaultTarget {
  url: string;
  /** The vault's Azure resource name (what a SecretProviderClass's keyvaultName says). */
  name: string;
  resourceId: string;
  scopeFor(secretName: string): string;
}

export interface VaultSettings {
  layout: VaultLayout;
  /** env -> the vault's resource name, where it is not the host's first label. */
  names: Readonly<Record<string, string>>;
  /** The environments secrets may be created for. */
  environments: readonly string[];
  arm: ArmLocation;
}

export function vaultFor(settings: VaultSettings, service: string, env: string): VaultTarget | { reason: string } {
  if (!settings.environments.includes(env)) return { reason: `"${env}" is not an environment (${settings.environments.join(', ')})` };
  const resolved = resolveVault(settings.layout, service, env);
  if ('reason' in resolved) return resolved;
  const name = (settings.layout.kind === 'per-environment' ? settings.names[env] : undefined) ?? vaultNameOf(resolved.url);
  const resourceId = `/subscriptions/${settings.arm.subscriptionId}/resourceGroups/${settings.arm.resourceGroup}/providers/Microsoft.KeyVault/vaults/${name}`;
  return {
    url: resolved.url,
    name,
    resourceId,
    scopeFor: (secretName) => (settings.layout.kind === 'per-environment' ? `${resourceId}/secrets/${secretName}` : resourceId),
  };
}

/** env=name pairs from configuration. */
export const vaultNamesFrom = (pairs: readonly string[]): Record<string, string> =>
  Object.fromEntries(pairs.flatMap((p) => {
    const at = p.indexOf('=');
    return at > 0 ? [[p.slice(0, at).trim().toLowerCase(), p.slice(at + 1).trim()]] : [];
  }));
