/** The create-repo preview's Confirm / Cancel (the requester only) and its per-user refresh. */
import { REPO_PREVIEW_VERBS, renderRepoPreviewCard } from '../../cards/repo-preview.card';
import type { CardAction } from '../../src/bot/card-action-router';
import type { JobPresentation } from '../../src/bot/job-presentation';
import type { CreateRepoService } from '../../src/domain/repos/create-repo.service';
import { previewCardActions } from '../common/preview-card-actions';
import { previewView } from './create-repo.views';

export function createRepoCardActions(service: CreateRepoService, presentation: JobPresentation): CardAction[] {
  return previewCardActions({
    verbs: REPO_PREVIEW_VERBS,
    service,
    requesterOf: (request) => request.request.requestedBy.id,
    renderPreview: (request, viewer) => renderRepoPreviewCard(previewView(request, viewer)),
    presentation,
  });
}
