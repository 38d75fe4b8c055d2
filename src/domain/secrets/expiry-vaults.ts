/**
 * The vaults the expiry run lists, from the vault layout: one per environment (a single vault
 * serving every environment is listed once), or, per service and environment, one per catalog
 * service prefix and environment.
 */
import type { ExpiryVault } from './secret-expiry.service';
import { vaultFor, type VaultSettings } from './secret-vaults';

export async function expiryVaults(settings: VaultSettings, servicePrefixes: () => Promise<string[]>): Promise<ExpiryVault[]> {
  const prefixes = settings.layout.kind === 'per-environment' ? ['service'] : await servicePrefixes();
  const byUrl = new Map<string, ExpiryVault>();
  for (const prefix of prefixes) {
    for (const env of settings.environments) {
      const target = vaultFor(settings, prefix, env);
      if ('reason' in target || byUrl.has(target.url.toLowerCase())) continue;
      byUrl.set(target.url.toLowerCase(), { env, url: target.url, name: target.name });
    }
  }
  return [...byUrl.values()];
}
