/**
 * Which secret a lifecycle command (rotate, delete, recover) means: the stored name as Key Vault
 * shows it (`payments-api--dev--db-password`), or `service=... env=... name=...`; plus the few
 * options those commands take (`expires=`, `value=generate|type`). A stored name is split back
 * into its parts with the configured convention, so another convention still resolves.
 */
import { tokenizeKeyValues } from '../requests/key-value-tokens';
import type { ValueSource } from './secret-request';

export interface SecretRefInput {
  /** The stored name, when typed as one word. */
  vaultName?: string;
  service?: string;
  env?: string;
  name?: string;
  expires?: string;
  value?: ValueSource;
}

const ALIASES: Record<string, keyof SecretRefInput> = { service: 'service', svc: 'service', component: 'service', env: 'env', environment: 'env', name: 'name', secret: 'name', expires: 'expires', expiry: 'expires', value: 'value', source: 'value' };
const VALUE_WORDS: Record<string, ValueSource> = { generate: 'generate', generated: 'generate', random: 'generate', type: 'type', typed: 'type', enter: 'type', dialog: 'type' };

export function parseSecretRef(text: string, command: RegExp, allowed: readonly (keyof SecretRefInput)[]): { values: SecretRefInput; problems: string[] } {
  const problems: string[] = [];
  const values: SecretRefInput = {};
  for (const token of tokenizeKeyValues(text.replace(command, ''), problems)) {
    if (token.key === undefined) {
      if (values.vaultName) problems.push(`"${token.value.slice(0, 40)}" is one word too many (name one secret)`);
      else values.vaultName = token.value.trim();
      continue;
    }
    const key = ALIASES[token.key.toLowerCase().replace(/[-_.]/g, '')];
    if (!key || !allowed.includes(key)) {
      problems.push(`unknown key "${token.key.slice(0, 40)}" (known keys: ${allowed.filter((k) => k !== 'vaultName').join(', ')})`);
      continue;
    }
    const value = token.value.trim();
    if (!value) {
      problems.push(`${key} has no value`);
      continue;
    }
    if (key === 'value') {
      const source = VALUE_WORDS[value.toLowerCase()];
      // A value pasted into chat is never repeated back.
      if (!source) problems.push('value= takes "generate" or "type" (type opens a private dialog); a secret value is never typed into the chat');
      else values.value = source;
      continue;
    }
    values[key] = value;
  }
  return { values, problems };
}

/** `payments-api--dev--db-password` -> its parts under `{service}--{env}--{name}`; null when it does not fit. */
export function splitVaultName(convention: string, vaultName: string): { service: string; env: string; name: string } | null {
  // Lazy: with a single-dash separator the first parts take the shortest match.
  const part = '((?:(?!--)[0-9A-Za-z-])+?)';
  const order: ('service' | 'env' | 'name')[] = [];
  const pattern = convention.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\{(service|env|name)\\\}/g, (_m, p: 'service' | 'env' | 'name') => {
    order.push(p);
    return part;
  });
  if (order.length !== 3) return null;
  const m = new RegExp(`^${pattern}$`).exec(vaultName);
  if (!m) return null;
  const parts = Object.fromEntries(order.map((p, i) => [p, m[i + 1]!])) as { service: string; env: string; name: string };
  return parts;
}
