/**
 * What a "create repo" request carries, its validation (zod), and the one-shot form power users
 * type: `create repo name=payments-api project=Payments stack=node owner=team-payments
 * description="Card payments API" envs=dev,staging,prod`.
 *
 * Split of duties: `parseKeyValueCommand` checks syntax and vocabulary (keys, stacks, targets);
 * the schema checks the rules (naming convention, formats, prod needs staging), so the dialog
 * runs every value, typed or clicked, through the same schema.
 */
import { tokenizeKeyValues } from '../requests/key-value-tokens';
import { z } from 'zod';
import { environmentFromAlias, normalizeEnvironments } from '../pipelines/environments';
import { ENVIRONMENTS, STACKS, type Environment, type Stack } from '../pipelines/pipelines.types';
import { DEFAULT_NAMING_RULES, validateRepoName, type NamingRules } from './repo-naming';

export const STACK_LABELS: Record<Stack, string> = { 'java-spring-boot': 'Java Spring Boot', node: 'Node.js', python: 'Python' };

const STACK_ALIASES: Record<string, Stack> = {
  'java-spring-boot': 'java-spring-boot', java: 'java-spring-boot', spring: 'java-spring-boot', springboot: 'java-spring-boot',
  'spring-boot': 'java-spring-boot', 'java-spring': 'java-spring-boot',
  node: 'node', nodejs: 'node', 'node.js': 'node', ts: 'node', typescript: 'node', js: 'node', javascript: 'node',
  python: 'python', py: 'python', python3: 'python',
};

export const stackFromAlias = (word: string): Stack | undefined => STACK_ALIASES[word.trim().toLowerCase().replace(/[\s_]+/g, '-')];

/** Backstage entity name: what a catalog Group is called (`team-payments`). */
const ENTITY_NAME = /^[A-Za-z0-9]+([-_.][A-Za-z0-9]+)*$/;
/** Characters Azure DevOps refuses in project names. */
const PROJECT_FORBIDDEN = /[\\/:*?"<>|;#$%&{},+=[\]~@'`^]/;
/** Control characters and bidi overrides ("Trojan Source"); tabs and line breaks are fine in prose. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/;
const RESERVED_PROJECTS = new Set(['aux', 'con', 'nul', 'prn', 'server', 'signalr', 'web', 'defaultcollection', 'app_code', 'app_data', 'bin']);

const ownerTeamSchema = z
  .string()
  .trim()
  // People paste refs from the catalog: `group:default/team-payments` means `team-payments`.
  .transform((v) => v.replace(/^group:(default\/)?/i, ''))
  .pipe(
    z
      .string()
      .min(1, 'is missing')
      .max(63, 'is longer than 63 characters')
      .regex(ENTITY_NAME, 'must be a catalog group name such as team-payments (letters, digits, single - _ or . between them)'),
  );

const projectSchema = z
  .string()
  .trim()
  .min(1, 'is missing')
  .max(64, 'is longer than 64 characters')
  .refine((v) => !PROJECT_FORBIDDEN.test(v) && !CONTROL.test(v) && !/[^\S ]/.test(v), 'contains characters Azure DevOps does not allow in project names')
  .refine((v) => !/^[_.]/.test(v) && !v.endsWith('.'), 'must not start with _ or . nor end with .')
  .refine((v) => !RESERVED_PROJECTS.has(v.toLowerCase()), 'is reserved by Azure DevOps');

const descriptionSchema = z
  .string()
  .trim()
  .min(1, 'is missing')
  .max(500, 'is longer than 500 characters')
  .refine((v) => !CONTROL.test(v), 'contains control characters');

const requesterSchema = z.object({
  id: z.string().trim().min(1, 'is missing'),
  name: z.string().trim().min(1, 'is missing'),
  email: z.email('is not an email address').optional(),
});

const environmentsSchema = z.array(z.enum(ENVIRONMENTS)).transform((list, ctx) => {
  const result = normalizeEnvironments(list);
  if (result.ok) return result.environments;
  for (const message of result.reasons) ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
});

/** The request schema under a naming convention (the configured one in production). */
export function repoRequestSchema(rules: Readonly<NamingRules> = DEFAULT_NAMING_RULES) {
  return z.object({
    name: z
      .string()
      .trim()
      .superRefine((name, ctx) => {
        const result = validateRepoName(name, rules);
        if (result.ok) return;
        for (const message of result.reasons) ctx.addIssue({ code: 'custom', message, params: result.suggestion ? { suggestion: result.suggestion } : {} });
      }),
    project: projectSchema,
    stack: z.enum(STACKS, { error: `must be one of ${STACKS.join(', ')}` }),
    ownerTeam: ownerTeamSchema,
    description: descriptionSchema,
    environments: environmentsSchema,
    requestedBy: requesterSchema,
  });
}

export type RepoRequestSchema = ReturnType<typeof repoRequestSchema>;
/** A validated request: environments deduplicated, in release order, prod only with staging. */
export type RepoRequest = z.output<RepoRequestSchema>;
export type RepoRequestInput = z.input<RepoRequestSchema>;
export type Requester = RepoRequest['requestedBy'];

const FIELD_LABELS: Record<string, string> = {
  name: 'name', project: 'project', stack: 'stack', ownerTeam: 'owner team', description: 'description',
  environments: 'deployment targets', requestedBy: 'requester',
};

export type RepoRequestParse = { ok: true; request: RepoRequest } | { ok: false; problems: string[]; suggestedName?: string };

/** Validates a request; problems read as sentences ("name contains upper case letters"). */
export function parseRepoRequest(input: unknown, rules: Readonly<NamingRules> = DEFAULT_NAMING_RULES): RepoRequestParse {
  const result = repoRequestSchema(rules).safeParse(input);
  if (result.success) return { ok: true, request: result.data };
  let suggestedName: string | undefined;
  const problems = result.error.issues.map((issue) => {
    const [field, ...rest] = issue.path.map(String);
    const suggestion = (issue as { params?: { suggestion?: string } }).params?.suggestion;
    if (field === 'name' && suggestion) suggestedName = suggestion;
    const label = field ? [FIELD_LABELS[field] ?? field, ...rest].join(' ') : 'request';
    const missing = valueAt(input, issue.path) === undefined;
    const message = missing ? (field === 'environments' ? 'are missing' : 'is missing') : issue.message;
    return `${label} ${message}`;
  });
  return { ok: false, problems: [...new Set(problems)], ...(suggestedName ? { suggestedName } : {}) };
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const key of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}

// ---- The one-shot form -------------------------------------------------------------------------

type FormKey = 'name' | 'project' | 'stack' | 'ownerTeam' | 'description' | 'environments';

/** Spelled-out keys people use, compared without case, `-`, `_` or `.`. */
const KEY_ALIASES: Record<string, FormKey> = {
  name: 'name', repo: 'name', repository: 'name', reponame: 'name',
  project: 'project', proj: 'project', adoproject: 'project',
  stack: 'stack', lang: 'stack', language: 'stack', template: 'stack',
  owner: 'ownerTeam', team: 'ownerTeam', ownerteam: 'ownerTeam', owningteam: 'ownerTeam',
  description: 'description', desc: 'description', about: 'description',
  envs: 'environments', env: 'environments', environments: 'environments', environment: 'environments',
  targets: 'environments', deployto: 'environments',
};

const KEY_NAMES: Record<FormKey, string> = {
  name: 'name', project: 'project', stack: 'stack', ownerTeam: 'owner', description: 'description', environments: 'envs',
};

/** Closing quote(s) for each opening quote, straight or typographic (mobile keyboards curl them). */

const COMMAND_PREFIX = /^\s*(?:create|new)\s+(?:a\s+)?(?:repo|repository)\b/i;


export interface KeyValueParse {
  values: Partial<RepoRequestInput>;
  problems: string[];
}

export function parseKeyValueCommand(text: string): KeyValueParse {
  const problems: string[] = [];
  const values: Partial<RepoRequestInput> = {};
  const seen = new Set<FormKey>();

  for (const token of tokenizeKeyValues(text.replace(COMMAND_PREFIX, ''), problems)) {
    if (token.key === undefined) {
      problems.push(`"${token.value}" is not a key=value pair (for example name=payments-api)`);
      continue;
    }
    const key = KEY_ALIASES[token.key.toLowerCase().replace(/[-_.]/g, '')];
    if (!key) {
      problems.push(`unknown key "${token.key}" (known keys: ${Object.values(KEY_NAMES).join(', ')})`);
      continue;
    }
    if (seen.has(key)) problems.push(`${KEY_NAMES[key]} is given twice; the last value counts`);
    seen.add(key);
    const value = token.value.trim();
    if (!value) {
      problems.push(`${KEY_NAMES[key]} has no value`);
      delete values[key];
      continue;
    }
    assign(values, key, value, problems);
  }
  return { values, problems };
}

function assign(values: Partial<RepoRequestInput>, key: FormKey, value: string, problems: string[]): void {
  switch (key) {
    case 'stack': {
      const stack = stackFromAlias(value);
      if (stack) values.stack = stack;
      else {
        delete values.stack;
        problems.push(`stack "${value}" is not one we support (java, node or python)`);
      }
      return;
    }
    case 'environments': {
      const found: Environment[] = [];
      for (const word of value.split(/[\s,;+]+/).filter(Boolean)) {
        const env = environmentFromAlias(word);
        if (env) found.push(env);
        else problems.push(`"${word}" is not a deployment target (dev, staging or prod)`);
      }
      if (found.length) values.environments = ENVIRONMENTS.filter((e) => found.includes(e));
      else delete values.environments;
      return;
    }
    default:
      values[key] = value;
  }
}
