/**
 * The preview's Confirm / Cancel (the requester only; anyone else gets words and nothing changes)
 * and its per-user refresh. Confirm answers with the progress card, which replaces the preview; the
 * job's updates land on that same message (its id is the invoke's replyToId).
 */
import { z } from 'zod';
import { renderJobProgressCard } from '../../cards/job-progress.card';
import { REPO_PREVIEW_VERBS } from '../../cards/repo-preview.card';
import { renderRepoPreviewCard } from '../../cards/repo-preview.card';
import { cardAction, type CardAction } from '../../src/bot/card-action-router';
import { notifyTargetOf } from '../../src/bot/identity';
import type { JobPresentation } from '../../src/bot/job-presentation';
import type { CreateRepoService } from '../../src/domain/repos/create-repo.service';
import { progressView } from '../shared/job-progress.views';
import { previewView } from './create-repo.views';

/** Request ids are the store's ids: 24 hex characters. */
const requestData = z.object({ requestId: z.string().regex(/^[0-9a-f]{24}$/i, 'is not a request id') });

export function createRepoCardActions(service: CreateRepoService, presentation: JobPresentation): CardAction[] {
  return [
    cardAction({
      verb: REPO_PREVIEW_VERBS.confirm,
      data: requestData,
      changesState: true,
      run: async ({ turn, data, actor }) => {
        const { job } = await service.confirm(data.requestId, actor, notifyTargetOf(turn.activity, turn.activity.replyToId));
        return { card: renderJobProgressCard(progressView(job, presentation)) };
      },
    }),
    cardAction({
      verb: REPO_PREVIEW_VERBS.cancel,
      data: requestData,
      changesState: true,
      run: async ({ data, actor }) => ({ card: renderRepoPreviewCard(previewView(await service.cancel(data.requestId, actor), 'others')) }),
    }),
    cardAction({
      verb: REPO_PREVIEW_VERBS.refresh,
      data: requestData,
      changesState: false,
      run: async ({ data, actor }) => {
        const request = await service.getRequest(data.requestId);
        if (!request) return { message: 'This request no longer exists; nothing was created.' };
        const job = await service.jobOf(request);
        if (job) return { card: renderJobProgressCard(progressView(job, presentation)) };
        const viewer = actor.verified && request.request.requestedBy.id === actor.id ? 'requester' : 'others';
        return { card: renderRepoPreviewCard(previewView(request, viewer)) };
      },
    }),
  ];
}
