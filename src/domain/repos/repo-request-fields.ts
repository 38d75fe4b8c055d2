/**
 * Field-by-field view of a partly filled "create repo" request, for a form that asks only for what
 * is missing or wrong: which fields are missing, and for each wrong one every reason, in words
 * (`name "Payments API": contains spaces, contains upper case letters`), with a valid name to try.
 */
import { repoRequestSchema, type RepoRequest, type RepoRequestInput, type Requester } from './repo-request';
import type { NamingRules } from './repo-naming';

const FORM_FIELDS = ['name', 'project', 'stack', 'ownerTeam', 'description', 'environments'] as const;
export type FormField = (typeof FORM_FIELDS)[number];
export type RepoFormValues = Partial<Pick<RepoRequestInput, FormField>>;

export const FIELD_LABELS: Record<FormField, string> = {
  name: 'Repository name',
  project: 'Azure DevOps project',
  stack: 'Stack',
  ownerTeam: 'Owner team',
  description: 'Description',
  environments: 'Deployment targets',
};

export interface FieldProblem {
  field: FormField;
  /** Each completes "the <field> ...": "contains spaces". */
  reasons: string[];
  /** For the name: a valid name close to the one typed. */
  suggestion?: string;
}

export type FieldCheck = { ok: true; request: RepoRequest } | { ok: false; missing: FormField[]; problems: FieldProblem[] };

export function checkFields(values: RepoFormValues, requester: Requester, rules: Readonly<NamingRules>): FieldCheck {
  const result = repoRequestSchema(rules).safeParse({ ...values, requestedBy: requester });
  if (result.success) return { ok: true, request: result.data };
  const missing = new Set<FormField>();
  const problems = new Map<FormField, FieldProblem>();
  for (const issue of result.error.issues) {
    const field = issue.path[0] as FormField | 'requestedBy';
    if (field === 'requestedBy' || !FORM_FIELDS.includes(field)) continue;
    if (isBlank(values[field])) {
      missing.add(field);
      continue;
    }
    const problem = problems.get(field) ?? { field, reasons: [] };
    if (!problem.reasons.includes(issue.message)) problem.reasons.push(issue.message);
    const suggestion = (issue as { params?: { suggestion?: string } }).params?.suggestion;
    if (suggestion) problem.suggestion = suggestion;
    problems.set(field, problem);
  }
  return { ok: false, missing: FORM_FIELDS.filter((f) => missing.has(f)), problems: FORM_FIELDS.flatMap((f) => (problems.has(f) ? [problems.get(f)!] : [])) };
}

const isBlank = (v: unknown): boolean => v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);

/** One sentence per problem, naming the value as typed. */
export function describeProblem(problem: FieldProblem, values: RepoFormValues): string {
  const raw = values[problem.field];
  const shown = Array.isArray(raw) ? raw.join(', ') : typeof raw === 'string' ? raw : '';
  const label = FIELD_LABELS[problem.field].toLowerCase();
  const what = shown && problem.field !== 'description' ? `${label} "${clip(shown)}"` : `the ${label}`;
  const hint = problem.suggestion ? ` Try "${problem.suggestion}".` : '';
  return `The ${what.replace(/^the /, '')} ${problem.reasons.join(', ')}.${hint}`;
}

const clip = (s: string): string => (s.length > 60 ? `${s.slice(0, 57)}...` : s);
