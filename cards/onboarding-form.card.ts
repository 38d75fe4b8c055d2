import template from './onboarding-form.card.json';
import { renderTemplate, type AdaptiveCard } from './render';

/** The verbs of the onboard / offboard cards (form and preview). */
export const ONBOARDING_VERBS = { preview: 'onboarding.preview', ask: 'onboarding.ask', discard: 'onboarding.discard' } as const;

/** The dataset the people pickers ask for (Teams sends `application/search` with it). */
export const PEOPLE_DATASET = 'directory.people';
/** The dataset the team picker asks for: catalog Groups. */
export const TEAMS_DATASET = 'catalog.teams';

export type OnboardingMode = 'onboard' | 'offboard';

export interface Choice {
  title: string;
  value: string;
}

/** The form, drawn with what was given so far; every text is escaped by the caller. */
export interface OnboardingFormView {
  mode: OnboardingMode;
  heading: string;
  intro: string;
  problems: string[];
  person: string;
  /** The person already given, as a choice (Teams shows a value only if a choice has it). */
  personChoices: Choice[];
  team: string;
  /** The team already given, as a choice. */
  teamChoices: Choice[];
  role: string;
  roles: Choice[];
  start: string;
  buddy: string;
  buddyChoices: Choice[];
}

export const renderOnboardingForm = (view: OnboardingFormView): AdaptiveCard =>
  renderTemplate(template, {
    ...view,
    onboarding: view.mode === 'onboard',
    personLabel: view.mode === 'onboard' ? 'Who joins' : 'Who leaves',
    teamRequired: view.mode === 'onboard',
    hasProblems: view.problems.length > 0,
    peopleDataset: PEOPLE_DATASET,
    teamsDataset: TEAMS_DATASET,
    previewVerb: ONBOARDING_VERBS.preview,
    discardVerb: ONBOARDING_VERBS.discard,
  });
