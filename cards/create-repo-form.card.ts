import template from './create-repo-form.card.json';
import { renderTemplate, type AdaptiveCard } from './render';

/** One input of the form; `show: false` leaves it out (the value is known and valid). */
export interface FormInputView {
  show: boolean;
  value: string;
  /** What the client shows when the input is empty or invalid. */
  error: string;
}

/** The "create repo" form: only what is still missing or wrong, with the known values as facts. */
export interface CreateRepoFormView {
  heading: string;
  intro?: string;
  given: { title: string; value: string }[];
  /** One sentence per problem with what was typed ("The repository name ... contains spaces."). */
  problems: string[];
  name: FormInputView;
  project: FormInputView;
  stack: FormInputView;
  owner: FormInputView;
  description: FormInputView;
  /** Comma-separated values ("dev,staging,prod"). */
  envs: FormInputView;
  projects: string[];
  stacks: { title: string; value: string }[];
  environments: { title: string; value: string }[];
}

export const renderCreateRepoForm = (view: CreateRepoFormView): AdaptiveCard =>
  renderTemplate(template, {
    ...view,
    hasIntro: Boolean(view.intro),
    intro: view.intro ?? '',
    hasGiven: view.given.length > 0,
    hasProblems: view.problems.length > 0,
  });
