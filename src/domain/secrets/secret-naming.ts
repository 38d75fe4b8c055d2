/**
 * Secret names by convention, checked against Key Vault's rules. The default convention
 * `<service>--<env>--<name>` is the form "who owns ..." already resolves (the service's
 * `idp.dev/keyvault-secret-prefix`, else its name, is the prefix). Key Vault allows 1-127
 * characters: letters, digits and dashes. A name that breaks a rule is refused with every reason
 * and a valid name to try.
 */

export const DEFAULT_NAME_CONVENTION = '{service}--{env}--{name}';
export const MAX_VAULT_NAME_LENGTH = 127;
const VAULT_CHARS = /^[0-9A-Za-z-]+$/;
const PART = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export type NameCheck = { ok: true; vaultName: string } | { ok: false; reasons: string[]; suggestion?: string };

/** `name` is the part the user chooses (db-password); `service` the catalog prefix; `env` the environment. */
export function vaultSecretName(convention: string, parts: { service: string; env: string; name: string }): NameCheck {
  const reasons: string[] = [];
  const name = parts.name.trim();
  if (!name) reasons.push('is empty');
  else {
    if (/\s/.test(name)) reasons.push('contains spaces');
    if (/[^0-9A-Za-z-]/.test(name.replace(/\s/g, ''))) reasons.push('may only contain letters, digits and dashes (Key Vault rule)');
    if (/[A-Z]/.test(name)) reasons.push('contains upper case letters (the convention is lower case)');
    if (/--/.test(name)) reasons.push('contains "--", which separates service, environment and name');
    if (/^-|-$/.test(name)) reasons.push('starts or ends with a dash');
  }
  const full = convention.replace('{service}', parts.service).replace('{env}', parts.env).replace('{name}', name);
  if (full.length > MAX_VAULT_NAME_LENGTH) reasons.push(`makes the stored name ${full.length} characters long (Key Vault allows ${MAX_VAULT_NAME_LENGTH})`);
  if (!reasons.length && VAULT_CHARS.test(full) && PART.test(name)) return { ok: true, vaultName: full };
  if (!reasons.length) reasons.push('does not fit the naming convention');
  const suggestion = suggestName(name, MAX_VAULT_NAME_LENGTH - (full.length - name.length));
  return { ok: false, reasons, ...(suggestion && suggestion !== name ? { suggestion } : {}) };
}

/** A valid name close to the one typed: lower case, runs of anything else as one dash, trimmed to fit. */
export function suggestName(text: string, maxLength: number): string | undefined {
  const s = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, Math.max(0, maxLength))
    .replace(/-+$/, '');
  return s && PART.test(s) ? s : undefined;
}
