import template from './repo-preview.card.json';
import { decisionBindings, withoutEmptyRefresh, type PreviewDecision } from './preview-decision';
import { renderTemplate, type AdaptiveCard } from './render';

/** The preview's buttons (requester only) and its per-user refresh. */
export const REPO_PREVIEW_VERBS = { confirm: 'repo.create.confirm', cancel: 'repo.create.cancel', refresh: 'repo.create.refresh' } as const;

/** The dry run of "create repo": exactly what Confirm creates. */
export interface RepoPreviewView extends PreviewDecision {
  heading: string;
  subheading: string;
  description?: string;
  facts: { title: string; value: string }[];
  defaultBranch: string;
  policies: string[];
  files: string[];
}

/** Files listed before "...and N more": the card stays short on a phone. */
const MAX_LISTED_FILES = 14;

export function renderRepoPreviewCard(view: RepoPreviewView): AdaptiveCard {
  const listed = view.files.slice(0, MAX_LISTED_FILES);
  const more = view.files.length - listed.length;
  const card = renderTemplate(template, {
    ...decisionBindings(view, REPO_PREVIEW_VERBS),
    heading: view.heading,
    subheading: view.subheading,
    hasDescription: Boolean(view.description),
    description: view.description ?? '',
    facts: view.facts,
    policiesHeading: `Branch policies on ${view.defaultBranch}`,
    policies: view.policies.map((p) => `- ${p}`).join('\n'),
    filesHeading: `First commit (${view.files.length} files)`,
    files: [...listed, ...(more > 0 ? [`...and ${more} more`] : [])].join('\n\n'),
  });
  return withoutEmptyRefresh(card);
}
