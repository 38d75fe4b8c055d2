import template from './onboarding-welcome.card.json';
import { renderTemplate, type AdaptiveCard } from './render';

/** The welcome card's buttons and its per-user refresh (the joiner ticks; manager and buddy follow progress). */
export const ONBOARDING_WELCOME_VERBS = { refresh: 'onboarding.refresh-welcome', checklist: 'onboarding.checklist', devcontainerPr: 'onboarding.devcontainer-pr' } as const;

/** Input ids: each checklist toggle is `check.<item id>`; the pull request's target repository is `repository`. */
export const CHECKLIST_INPUT_PREFIX = 'check.';
export const REPOSITORY_INPUT = 'repository';

export interface WelcomeChecklistLine {
  itemId: string;
  /** Plain text (a toggle's title is not markdown). */
  title: string;
  done: boolean;
  /** The read-only line (markdown, escaped): "✅ Clone payments-api". */
  line: string;
}

/** One viewer's card; every text is already escaped for Teams markdown by the caller (toggle and choice titles are plain text). */
export interface OnboardingWelcomeCardView {
  onboardingId: string;
  title: string;
  intro: string;
  facts: { label: string; value: string }[];
  /** Markdown lines, links to allowed hosts only. */
  docs: string[];
  docsMore?: string;
  environmentHeading: string;
  tools: { name: string; version: string }[];
  repositoriesHeading: string;
  /** Markdown lines. */
  repositories: string[];
  /** Choices of the "Open as a pull request" picker (plain text titles). */
  repositoryChoices: { title: string; value: string }[];
  checklistHeading: string;
  checklist: WelcomeChecklistLine[];
  note?: string;
  /** Toggles and Save progress (the joiner); else read-only lines. */
  canEdit: boolean;
  canOpenPr: boolean;
  downloadUrl?: string;
  /** Channel user ids Teams refreshes the card for (Universal Actions allow at most 60). */
  refreshUserIds: string[];
}

const MAX_REFRESH_USERS = 60;

export function renderOnboardingWelcomeCard(view: OnboardingWelcomeCardView): AdaptiveCard {
  const canOpenPr = view.canOpenPr && view.repositoryChoices.length > 0;
  const card = renderTemplate(template, {
    verbs: ONBOARDING_WELCOME_VERBS,
    onboardingId: view.onboardingId,
    title: view.title,
    intro: view.intro,
    facts: view.facts,
    hasDocs: view.docs.length > 0,
    docs: view.docs.map((line) => ({ line })),
    hasDocsMore: Boolean(view.docsMore),
    docsMore: view.docsMore ?? '',
    environmentHeading: view.environmentHeading,
    hasTools: view.tools.length > 0,
    tools: view.tools,
    repositoriesHeading: view.repositoriesHeading,
    repositories: view.repositories.map((line) => ({ line })),
    canOpenPr,
    repositoryInput: REPOSITORY_INPUT,
    repositoryChoices: view.repositoryChoices,
    defaultRepository: view.repositoryChoices[0]?.value ?? '',
    checklistHeading: view.checklistHeading,
    editItems: view.canEdit ? view.checklist.map((i) => ({ inputId: `${CHECKLIST_INPUT_PREFIX}${i.itemId}`, title: i.title, value: String(i.done) })) : [],
    readItems: view.canEdit ? [] : view.checklist.map((i) => ({ line: i.line })),
    hasNote: Boolean(view.note),
    note: view.note ?? '',
    canEdit: view.canEdit && view.checklist.length > 0,
    hasDownload: Boolean(view.downloadUrl),
    downloadUrl: view.downloadUrl ?? '',
  });
  // Built here, not in the template: `$when` on a top-level property leaves `"refresh": null`.
  const userIds = [...new Set(view.refreshUserIds)].slice(0, MAX_REFRESH_USERS);
  if (userIds.length) card.refresh = { action: { type: 'Action.Execute', title: 'Refresh', verb: ONBOARDING_WELCOME_VERBS.refresh, data: { onboardingId: view.onboardingId } }, userIds };
  return card;
}
