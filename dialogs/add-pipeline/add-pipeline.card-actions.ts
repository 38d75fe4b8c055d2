/** The add-pipeline preview's Confirm / Cancel (the requester only) and its per-user refresh. */
import { PIPELINE_PREVIEW_VERBS, renderPipelinePreviewCard } from '../../cards/pipeline-preview.card';
import type { CardAction } from '../../src/bot/card-action-router';
import type { JobPresentation } from '../../src/bot/job-presentation';
import type { AddPipelineService } from '../../src/domain/repos/add-pipeline.service';
import { previewCardActions } from '../common/preview-card-actions';
import { previewView } from './add-pipeline.views';

export function addPipelineCardActions(service: AddPipelineService, presentation: JobPresentation): CardAction[] {
  return previewCardActions({
    verbs: PIPELINE_PREVIEW_VERBS,
    service,
    requesterOf: (request) => request.input.requestedBy.id,
    renderPreview: (request, viewer) => renderPipelinePreviewCard(previewView(request, viewer)),
    presentation,
  });
}
