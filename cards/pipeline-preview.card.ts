import template from './pipeline-preview.card.json';
import { decisionBindings, withoutEmptyRefresh, type PreviewDecision } from './preview-decision';
import { renderTemplate, type AdaptiveCard } from './render';

/** The preview's buttons (requester only) and its per-user refresh. */
export const PIPELINE_PREVIEW_VERBS = { confirm: 'repo.pipeline.confirm', cancel: 'repo.pipeline.cancel', refresh: 'repo.pipeline.refresh' } as const;

/** The dry run of "add pipeline": the pull request and pipeline Confirm creates. */
export interface PipelinePreviewView extends PreviewDecision {
  heading: string;
  subheading: string;
  facts: { title: string; value: string }[];
  /** The files the pull request adds. */
  files: string[];
}

export function renderPipelinePreviewCard(view: PipelinePreviewView): AdaptiveCard {
  const card = renderTemplate(template, {
    ...decisionBindings(view, PIPELINE_PREVIEW_VERBS),
    heading: view.heading,
    subheading: view.subheading,
    facts: view.facts,
    filesHeading: `The pull request adds (${view.files.length} ${view.files.length === 1 ? 'file' : 'files'})`,
    files: view.files.join('\n\n'),
  });
  return withoutEmptyRefresh(card);
}
