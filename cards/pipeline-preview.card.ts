import template from './pipeline-preview.card.json';
import { renderTemplate, type AdaptiveCard } from './render';

/** The preview's buttons (requester only) and its per-user refresh. */
export const PIPELINE_PREVIEW_VERBS = { confirm: 'repo.pipeline.confirm', cancel: 'repo.pipeline.cancel', refresh: 'repo.pipeline.refresh' } as const;

/** The dry run of "add pipeline": the pull request and pipeline Confirm creates. */
export interface PipelinePreviewView {
  requestId: string;
  heading: string;
  subheading: string;
  facts: { title: string; value: string }[];
  /** The files the pull request adds. */
  files: string[];
  status?: { text: string; color: 'Good' | 'Attention' | 'Warning' | 'Default' };
  /** Confirm / Cancel: only in the requester's view. */
  showButtons: boolean;
  /** Teams channel id of the requester: Universal Actions refresh fetches their view (with the buttons). */
  refreshUserId?: string;
}

export function renderPipelinePreviewCard(view: PipelinePreviewView): AdaptiveCard {
  const card = renderTemplate(template, {
    requestId: view.requestId,
    heading: view.heading,
    subheading: view.subheading,
    facts: view.facts,
    filesHeading: `The pull request adds (${view.files.length} ${view.files.length === 1 ? 'file' : 'files'})`,
    files: view.files.join('\n\n'),
    hasStatus: Boolean(view.status),
    status: view.status?.text ?? '',
    statusColor: view.status?.color ?? 'Default',
    showButtons: view.showButtons,
    hasRefresh: Boolean(view.refreshUserId),
    refreshUserId: view.refreshUserId ?? '',
    verbs: PIPELINE_PREVIEW_VERBS,
  });
  // `$when` leaves a null behind on a top-level property; clients expect it absent.
  if (card.refresh == null) delete card.refresh;
  return card;
}
