/**
 * The repository naming convention: a name is checked against configurable rules (pattern,
 * length, reserved words, suffixes) AND against fixed limits no configuration can loosen — the
 * characters Azure DevOps, Backstage entity names and the generated files (YAML, pipeline
 * expressions, Java/Python identifiers) can all carry safely. Reasons are plain words for the
 * person typing, each completing "the name ..."; the suggestion is a name that passes the same rules.
 */

export interface NamingRules {
  /** Whole-name pattern. Absent: the default kebab-case convention, with a reason per rule broken. */
  pattern?: RegExp;
  minLength: number;
  maxLength: number;
  /** Compared case-insensitively. */
  reserved: string[];
  /** When set, the name must end with one of these (e.g. `-api`, `-svc`). */
  requiredSuffixes?: string[];
}

export type NameValidation = { ok: true } | { ok: false; reasons: string[]; suggestion?: string };

/** Backstage's entity name format: letters/digits separated by single `-`, `_` or `.`. */
const SAFE_NAME = /^[A-Za-z0-9]+([-_.][A-Za-z0-9]+)*$/;
/** Backstage caps entity names at 63 characters (Azure DevOps repositories at 64). */
const HARD_MAX_LENGTH = 63;
const DEFAULT_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Azure DevOps system-reserved names (naming restrictions page) and ASP.NET folders it also refuses. */
const AZURE_DEVOPS_RESERVED = [
  'aux', 'con', 'nul', 'prn', 'server', 'signalr', 'web', 'defaultcollection', 'web.config', 'bin',
  'app_browsers', 'app_code', 'app_data', 'app_globalresources', 'app_localresources', 'app_themes', 'app_webresources',
  ...Array.from({ length: 10 }, (_, i) => `com${i + 1}`),
  ...Array.from({ length: 9 }, (_, i) => `lpt${i + 1}`),
];

/** Names that read as something else (a branch, a placeholder, a generated file). */
const CONVENTION_RESERVED = [
  'admin', 'api', 'app', 'azure-pipelines', 'default', 'master', 'main', 'new', 'null', 'template', 'test', 'tmp',
  'temp', 'undefined', 'none', 'repo', 'repository', 'head',
];

export const DEFAULT_NAMING_RULES: Readonly<NamingRules> = Object.freeze({
  minLength: 3,
  maxLength: 50,
  reserved: [...CONVENTION_RESERVED],
});

/** Only the fixed limits: what the generators accept whatever the configured convention is. */
export const GENERATOR_NAMING_RULES: Readonly<NamingRules> = Object.freeze({
  pattern: SAFE_NAME,
  minLength: 1,
  maxLength: HARD_MAX_LENGTH,
  reserved: [],
});

/** Rules from configuration strings; anything not given keeps the default. */
export function namingRulesFrom(config: { pattern?: string; minLength?: number; maxLength?: number; reserved?: string[]; requiredSuffixes?: string[] }): NamingRules {
  const pattern = config.pattern?.trim();
  return {
    // The default pattern keeps its detailed reasons; a custom one gets "does not match".
    ...(pattern && pattern !== DEFAULT_PATTERN.source ? { pattern: new RegExp(anchored(pattern)) } : {}),
    minLength: Math.max(1, config.minLength ?? DEFAULT_NAMING_RULES.minLength),
    maxLength: Math.min(HARD_MAX_LENGTH, config.maxLength ?? DEFAULT_NAMING_RULES.maxLength),
    reserved: config.reserved ?? [...DEFAULT_NAMING_RULES.reserved],
    ...(config.requiredSuffixes?.length ? { requiredSuffixes: config.requiredSuffixes } : {}),
  };
}

/** The whole name must match, even for `a|b` patterns written without anchors. */
const anchored = (p: string): string => `^(?:${p})$`;

export function validateRepoName(name: string, rules: Readonly<NamingRules> = DEFAULT_NAMING_RULES): NameValidation {
  const reasons = problemsOf(name, rules);
  if (!reasons.length) return { ok: true };
  const suggestion = suggestName(name, rules);
  return { ok: false, reasons, ...(suggestion ? { suggestion } : {}) };
}

/** True when the generators may use `name` verbatim (the fixed limits only). */
export const isGeneratorSafeName = (name: string): boolean => problemsOf(name, GENERATOR_NAMING_RULES).length === 0;

function problemsOf(name: string, rules: Readonly<NamingRules>): string[] {
  if (!name) return ['is empty'];
  const reasons = new Set<string>();
  const add = (r: string) => reasons.add(r);
  const { length } = [...name];

  if (length < rules.minLength) add(`is ${length} character${length === 1 ? '' : 's'} long (minimum ${rules.minLength})`);
  const max = Math.min(rules.maxLength, HARD_MAX_LENGTH);
  if (length > max) add(`is ${length} characters long (limit ${max})`);

  // Fixed limits, whatever the configuration says.
  if (name.includes(' ')) add('contains spaces');
  if (/[^\S ]/.test(name)) add('contains line breaks or tabs');
  const bad = [...new Set([...name].filter((c) => !/[A-Za-z0-9._\s-]/.test(c)))];
  if (bad.length) add(`contains characters that are not allowed: ${bad.map(show).join(' ')}`);
  if (/^[-_.]/.test(name)) add(`starts with "${name[0]}"`);
  if (/[-_.]$/.test(name)) add(`ends with "${name[name.length - 1]}"`);
  if (/--/.test(name)) add('contains a double hyphen (--)');
  else if (/[-_.]{2}/.test(name)) add('contains two separators in a row');
  if (AZURE_DEVOPS_RESERVED.includes(name.toLowerCase())) add('is reserved by Azure DevOps');

  if (rules.pattern) {
    if (!rules.pattern.test(name)) add(`does not match the naming pattern ${rules.pattern.source}`);
  } else {
    if (/[A-Z]/.test(name)) add('contains upper case letters');
    if (/^[0-9]/.test(name)) add('starts with a digit');
    if (name.includes('_')) add('contains underscores');
    if (name.includes('.')) add('contains dots');
    // Safety net: every way to miss the default pattern has a reason above.
    if (!reasons.size && !DEFAULT_PATTERN.test(name)) add(`does not match the naming pattern ${DEFAULT_PATTERN.source}`);
  }

  if (rules.reserved.some((r) => r.toLowerCase() === name.toLowerCase())) add('is a reserved name');
  const suffixes = rules.requiredSuffixes ?? [];
  if (suffixes.length && !suffixes.some((s) => name.endsWith(s))) add(`must end with ${suffixes.map((s) => `"${s}"`).join(' or ')}`);
  return [...reasons];
}

/** A character as the person can see it: control characters and spaces by code. */
const show = (c: string): string => (/[\p{L}\p{N}\p{P}\p{S}]/u.test(c) ? `"${c}"` : `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);

/**
 * A valid name close to the input: `Payments API` -> `payments-api`, `1payments` -> `svc-1payments`,
 * `api` -> `api-service`. Undefined when no candidate passes the rules.
 */
function suggestName(name: string, rules: Readonly<NamingRules>): string | undefined {
  const base = kebab(name);
  if (!base) return undefined;
  const withoutDigits = base.replace(/^[0-9-]+/, '');
  const bases = [base, `svc-${base}`, withoutDigits, `${base}-service`, `${base}-svc`, `${base}-app`].filter(Boolean);
  const suffixes = rules.requiredSuffixes?.length ? rules.requiredSuffixes : [''];
  for (const b of bases) {
    for (const suffix of suffixes) {
      const candidate = fit(b.endsWith(suffix) ? b : `${b}${suffix}`, suffix, rules);
      if (candidate && candidate !== name && problemsOf(candidate, rules).length === 0) return candidate;
    }
  }
  return undefined;
}

/** Lower-case kebab-case: camelCase and acronyms split, accents dropped, anything else a hyphen. */
function kebab(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Shortened to the length limit at a word boundary where possible, keeping a required suffix. */
function fit(candidate: string, suffix: string, rules: Readonly<NamingRules>): string | undefined {
  const max = Math.min(rules.maxLength, HARD_MAX_LENGTH);
  if (candidate.length <= max) return candidate;
  const room = max - suffix.length;
  if (room < 1) return undefined;
  const head = candidate.slice(0, candidate.length - suffix.length);
  let cut = head.slice(0, room);
  const boundary = cut.lastIndexOf('-');
  if (boundary > room / 2) cut = cut.slice(0, boundary);
  cut = cut.replace(/-+$/, '');
  return cut ? `${cut}${suffix}` : undefined;
}
