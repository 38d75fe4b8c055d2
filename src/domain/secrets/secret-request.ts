/**
 * `create secret service=<svc> env=<env> name=<name> expires=<date|90d> rotate=<90d> value=generate|type pipeline=yes`
 * and the card form's fields: what was given, problems in words. Lookups are the service's job.
 * There is deliberately no way to give the value here: a typed value only ever goes through the
 * Teams dialog (task module) straight to Key Vault.
 */
import { tokenizeKeyValues } from '../requests/key-value-tokens';

export const SECRET_FIELDS = ['service', 'env', 'name', 'expires', 'rotate', 'value', 'pipeline'] as const;
export type SecretField = (typeof SECRET_FIELDS)[number];
export type SecretInput = Partial<Record<SecretField, string>>;
export type ValueSource = 'generate' | 'type';

const ALIASES: Record<string, SecretField> = {
  service: 'service',
  svc: 'service',
  component: 'service',
  env: 'env',
  environment: 'env',
  name: 'name',
  secret: 'name',
  expires: 'expires',
  expiry: 'expires',
  expiresin: 'expires',
  rotate: 'rotate',
  rotation: 'rotate',
  rotateevery: 'rotate',
  value: 'value',
  source: 'value',
  // A secret pipeline variable: linked into vg-<service>-<env>-secrets after it is stored.
  pipeline: 'pipeline',
  variable: 'pipeline',
};

const PIPELINE_WORDS = ['yes', 'true', 'link'];

/** Typed by mistake after `value=`: refused without echoing it. */
const VALUE_WORDS: Record<string, ValueSource> = { generate: 'generate', generated: 'generate', random: 'generate', type: 'type', typed: 'type', enter: 'type', dialog: 'type' };

export function parseSecretText(text: string, command: RegExp): { values: SecretInput; problems: string[] } {
  const problems: string[] = [];
  const values: SecretInput = {};
  for (const token of tokenizeKeyValues(text.replace(command, ''), problems)) {
    if (token.key === undefined) {
      problems.push(`"${token.value.slice(0, 40)}" is not a key=value pair (for example env=dev)`);
      continue;
    }
    const key = ALIASES[token.key.toLowerCase().replace(/[-_.]/g, '')];
    if (!key) {
      problems.push(`unknown key "${token.key.slice(0, 40)}" (known keys: ${SECRET_FIELDS.join(', ')})`);
      continue;
    }
    const value = token.value.trim();
    if (key === 'value' && value && !VALUE_WORDS[value.toLowerCase()]) {
      // Someone pasted a value into chat: never repeat it back.
      problems.push('value= takes "generate" or "type" (type opens a private dialog); a secret value is never typed into the chat');
      continue;
    }
    if (key === 'pipeline' && value && !PIPELINE_WORDS.includes(value.toLowerCase())) {
      problems.push('pipeline= takes "yes" (link the secret into the pipeline\'s Key Vault variable group)');
      continue;
    }
    if (values[key] !== undefined) problems.push(`${key} is given twice; the last value counts`);
    if (value) values[key] = key === 'value' ? VALUE_WORDS[value.toLowerCase()] : key === 'pipeline' ? 'yes' : value;
    else problems.push(`${key} has no value`);
  }
  return { values, problems };
}

const DAY_MS = 86_400_000;

/** `90d`, `12w`, `6m`, `1y` or a date YYYY-MM-DD -> the moment; the reason in words otherwise. */
export function parseExpiry(text: string, now: Date): { ok: true; at: Date } | { ok: false; reason: string } {
  const t = text.trim().toLowerCase();
  const period = parsePeriodDays(t);
  if (period !== null) return period > 0 && period <= 3660 ? { ok: true, at: new Date(now.getTime() + period * DAY_MS) } : { ok: false, reason: `"${text}" is not between 1 day and 10 years` };
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!date || date.toISOString().slice(0, 10) !== t) return { ok: false, reason: `"${text}" is neither a period (90d, 12w, 6m, 1y) nor a date YYYY-MM-DD` };
  if (date.getTime() <= now.getTime()) return { ok: false, reason: `${t} is in the past` };
  return { ok: true, at: date };
}

/** `90d` / `12w` / `6m` / `1y` -> days; null when not a period. */
export function parsePeriodDays(text: string): number | null {
  const m = /^(\d{1,5})\s*([dwmy])$/.exec(text.trim().toLowerCase());
  if (!m) return null;
  const n = Number(m[1]);
  return m[2] === 'd' ? n : m[2] === 'w' ? n * 7 : m[2] === 'm' ? n * 30 : n * 365;
}
