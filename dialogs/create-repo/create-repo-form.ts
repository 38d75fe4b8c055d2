/** The "create repo" form: card data from what is known and wrong, and the submitted values back. */
import type { CreateRepoFormView, FormInputView } from '../../cards/create-repo-form.card';
import { ENVIRONMENTS, STACKS } from '../../src/domain/pipelines/pipelines.types';
import { describeProblem, FIELD_LABELS, type FieldProblem, type FormField, type RepoFormValues } from '../../src/domain/repos/repo-request-fields';
import { STACK_LABELS, stackFromAlias } from '../../src/domain/repos/repo-request';

/** The form's buttons send this field ("submit" / "cancel"): a stale form is recognised by it. */
export const CREATE_REPO_FORM_FIELD = 'createRepoForm';

/** Field -> id of its input on the card. */
const INPUT_IDS: Record<FormField, keyof Pick<CreateRepoFormView, 'name' | 'project' | 'stack' | 'owner' | 'description' | 'envs'>> = {
  name: 'name',
  project: 'project',
  stack: 'stack',
  ownerTeam: 'owner',
  description: 'description',
  environments: 'envs',
};

const HINTS: Record<FormField, string> = {
  name: 'Lower case letters, digits and single hyphens, starting with a letter, e.g. payments-api',
  project: 'Choose the Azure DevOps project',
  stack: 'Choose a stack',
  ownerTeam: 'The catalog name of the owning team, e.g. team-payments',
  description: 'One or two sentences: what the service does',
  environments: 'Choose at least one (prod needs staging)',
};

const ENV_TITLES: Record<string, string> = { dev: 'dev', staging: 'staging', prod: 'prod (after staging, behind an approval)' };

const shown = (values: RepoFormValues, field: FormField): string => {
  const v = values[field];
  if (Array.isArray(v)) return v.join(field === 'environments' ? ',' : ', ');
  return typeof v === 'string' ? v : '';
};

export function formView(values: RepoFormValues, missing: FormField[], problems: FieldProblem[], projects: string[]): CreateRepoFormView {
  const ask = new Set<FormField>([...missing, ...problems.map((p) => p.field)]);
  const input = (field: FormField): FormInputView => ({ show: ask.has(field), value: shown(values, field), error: HINTS[field] });
  const given = (Object.keys(INPUT_IDS) as FormField[])
    .filter((f) => !ask.has(f) && shown(values, f))
    .map((f) => ({ title: FIELD_LABELS[f], value: f === 'stack' ? (STACK_LABELS[values.stack!] ?? shown(values, f)) : shown(values, f).replace(/,/g, ', ') }));
  return {
    heading: given.length ? 'A few more details for the new repository' : 'New repository',
    ...(given.length ? {} : { intro: 'I check everything before anything is created, then show you a preview to confirm. Power users can type it all at once: create repo name=payments-ledger project=Payments stack=node owner=team-payments description="..." envs=dev,staging,prod' }),
    given,
    problems: problems.map((p) => describeProblem(p, values)),
    name: input('name'),
    project: input('project'),
    stack: input('stack'),
    owner: input('ownerTeam'),
    description: input('description'),
    envs: { ...input('environments'), value: shown(values, 'environments') || 'dev,staging,prod' },
    projects,
    stacks: STACKS.map((s) => ({ title: STACK_LABELS[s], value: s })),
    environments: ENVIRONMENTS.map((e) => ({ title: ENV_TITLES[e] ?? e, value: e })),
  };
}

/** The values of a submitted form (Action.Submit), merged over what was known; empty inputs count as not given. */
export function mergeSubmitted(values: RepoFormValues, submitted: Record<string, unknown>): RepoFormValues {
  const text = (key: string): string | undefined => {
    const v = submitted[key];
    return typeof v === 'string' && v.trim() ? v : undefined;
  };
  const next: RepoFormValues = { ...values };
  const set = <K extends keyof RepoFormValues>(field: K, value: RepoFormValues[K] | undefined, given: boolean) => {
    if (!given) return;
    if (value === undefined) delete next[field];
    else next[field] = value;
  };
  set('name', text('name'), 'name' in submitted);
  set('project', text('project'), 'project' in submitted);
  const stack = text('stack');
  set('stack', stack ? (stackFromAlias(stack) ?? (stack as RepoFormValues['stack'])) : undefined, 'stack' in submitted);
  set('ownerTeam', text('owner'), 'owner' in submitted);
  set('description', text('description'), 'description' in submitted);
  const envs = text('envs');
  set('environments', envs ? (envs.split(/[\s,]+/).filter(Boolean) as RepoFormValues['environments']) : undefined, 'envs' in submitted);
  return next;
}
