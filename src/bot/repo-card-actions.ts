/**
 * The card actions of "create repo" and "add pipeline": Confirm / Cancel / refresh on the preview
 * (the requester only; anyone else gets a message and nothing changes) and Retry on a failed
 * progress card. Confirm answers with the progress card, which then replaces the preview; the
 * job's updates land on that same message (its id is the invoke's replyToId).
 */
import type { AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue, TurnContext } from 'botbuilder';
import { ADAPTIVE_CARD_CONTENT_TYPE, type AdaptiveCard } from '../../cards/render';
import { renderRepoPreviewCard } from '../../cards/repo-preview.card';
import { renderRepoProgressCard } from '../../cards/repo-progress.card';
import { CARD_VERBS } from '../../cards/verbs';
import { previewView, progressView } from '../../dialogs/create-repo/repo-card-views';
import { actorOf, notifyTarget } from '../../dialogs/shared/turn-actor';
import type { Job } from '../domain/jobs/jobs.types';
import { ADD_PIPELINE_JOB } from '../domain/repos/add-pipeline.job';
import type { AddPipelineService } from '../domain/repos/add-pipeline.service';
import type { CreateRepoService } from '../domain/repos/create-repo.service';
import { isDomainError } from '../domain/shared/domain-error';
import type { Logger } from '../logger';
import type { CardActionRouter } from './card-action-router';
import { stepFailureText } from './repo-messages';
import { turnLogger } from './turn-logger';
import { userMessageFor } from './user-messages';

export interface RepoCardActionDeps {
  createRepo: CreateRepoService;
  addPipeline: AddPipelineService;
  logger: Logger;
}

const card = (value: AdaptiveCard): AdaptiveCardInvokeResponse => ({ statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value });

/** A message the client shows to the person who clicked; the card stays as it is. */
const message = (text: string): AdaptiveCardInvokeResponse => ({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text }) as unknown as AdaptiveCardInvokeResponse;

const dataOf = (value: AdaptiveCardInvokeValue): Record<string, unknown> => (value.action?.data ?? {}) as Record<string, unknown>;

export const progressCard = (job: Job): AdaptiveCard => renderRepoProgressCard(progressView(job, stepFailureText));

export function registerRepoCardActions(router: CardActionRouter, deps: RepoCardActionDeps): CardActionRouter {
  const { createRepo, addPipeline } = deps;
  const guarded = (handler: (turn: TurnContext, data: Record<string, unknown>) => Promise<AdaptiveCardInvokeResponse>) => async (turn: TurnContext, value: AdaptiveCardInvokeValue) => {
    try {
      return await handler(turn, dataOf(value));
    } catch (error) {
      // Refusals and stale buttons are answered in words; the card is left as it was.
      if (!isDomainError(error)) turnLogger(turn, deps.logger).error({ err: error }, 'card action failed');
      return message(userMessageFor(error, turn.activity.id ?? 'unknown'));
    }
  };

  return router
    .on(
      CARD_VERBS.confirmRepo,
      guarded(async (turn, data) => {
        const { job } = await createRepo.confirm(String(data.requestId ?? ''), actorOf(turn.activity), notifyTarget(turn.activity, turn.activity.replyToId));
        return card(progressCard(job));
      }),
    )
    .on(
      CARD_VERBS.cancelRepo,
      guarded(async (turn, data) => {
        const cancelled = await createRepo.cancel(String(data.requestId ?? ''), actorOf(turn.activity));
        return card(renderRepoPreviewCard(previewView(cancelled, 'others')));
      }),
    )
    .on(
      CARD_VERBS.refreshRepoPreview,
      guarded(async (turn, data) => {
        const request = await createRepo.getRequest(String(data.requestId ?? ''));
        if (!request) return message('This request no longer exists; nothing was created.');
        const job = await createRepo.jobOf(request);
        if (job) return card(progressCard(job));
        const viewer = request.request.requestedBy.id === actorOf(turn.activity).id ? 'requester' : 'others';
        return card(renderRepoPreviewCard(previewView(request, viewer)));
      }),
    )
    .on(
      CARD_VERBS.retryRepoJob,
      guarded(async (turn, data) => {
        const jobId = String(data.jobId ?? '');
        const job = await createRepo.getJob(jobId);
        const actor = actorOf(turn.activity);
        const retried = job?.type === ADD_PIPELINE_JOB ? await addPipeline.retry(jobId, actor) : await createRepo.retry(jobId, actor);
        return card(progressCard(retried));
      }),
    );
}
