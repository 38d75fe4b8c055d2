/**
 * Which vault holds a service's secret in an environment. Two layouts (KEY_VAULT_LAYOUT):
 * - per-environment: one vault per environment (KEY_VAULT_URLS); a single KEY_VAULT_URL with no
 *   list serves every environment (the one-vault installation);
 * - per-service-environment: one vault per service and environment from a URL template
 *   (`https://kv-{service}-{env}.vault.azure.net`), the layout Microsoft recommends.
 * A template must give a valid vault name (3-24 letters, digits and dashes, starting with a
 * letter, ending with a letter or digit, no "--"), else the reason says why.
 */

export type VaultLayout =
  | { kind: 'per-environment'; urls: Readonly<Record<string, string>>; fallbackUrl?: string }
  | { kind: 'per-service-environment'; template: string };

export type VaultResolution = { url: string } | { reason: string };

const VAULT_NAME = /^[a-z](?!.*--)[a-z0-9-]{1,22}[a-z0-9]$/;

export function vaultLayoutOf(config: { KEY_VAULT_LAYOUT: VaultLayout['kind']; KEY_VAULT_URLS: Record<string, string>; KEY_VAULT_URL?: string; KEY_VAULT_URL_TEMPLATE?: string }): VaultLayout {
  return config.KEY_VAULT_LAYOUT === 'per-service-environment'
    ? { kind: 'per-service-environment', template: config.KEY_VAULT_URL_TEMPLATE ?? '' }
    : { kind: 'per-environment', urls: config.KEY_VAULT_URLS, ...(config.KEY_VAULT_URL ? { fallbackUrl: config.KEY_VAULT_URL } : {}) };
}

export function resolveVault(layout: VaultLayout, service: string, environment: string): VaultResolution {
  const env = environment.toLowerCase();
  if (layout.kind === 'per-environment') {
    const listed = Object.keys(layout.urls);
    const url = layout.urls[env] ?? (listed.length === 0 ? layout.fallbackUrl : undefined);
    if (!url) return { reason: listed.length ? `no vault is configured for environment ${env} (configured: ${listed.join(', ')})` : 'no vault is configured' };
    return { url: url.replace(/\/+$/, '') };
  }
  if (!layout.template) return { reason: 'no vault URL template is configured' };
  const url = layout.template.replace(/\{service\}/g, service.toLowerCase()).replace(/\{env\}/g, env).replace(/\/+$/, '');
  const name = vaultNameOf(url);
  if (!VAULT_NAME.test(name)) return { reason: `"${name}" is not a valid vault name (3-24 letters, digits and dashes, starting with a letter, ending with a letter or digit, no "--")` };
  return { url };
}

/**
 * A vault's name is the first label of its host (kv-dev.vault.azure.net -> kv-dev). Not for
 * stand-in URLs (an IP address): the ARM scope of a vault is configuration, not derived from this.
 */
export function vaultNameOf(url: string): string {
  try {
    return new URL(url).hostname.split('.')[0] ?? url;
  } catch {
    return url;
  }
}
