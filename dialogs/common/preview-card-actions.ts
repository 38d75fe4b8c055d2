/**
 * Confirm / Cancel / refresh of a previewed request, the same for every flow that previews before
 * it provisions (create repo, add pipeline): Confirm answers with the job's progress card, which
 * replaces the preview (the job's updates land on that same message: the invoke's replyToId);
 * Cancel and refresh show the preview as the clicker may see it. The service decides who may.
 */
import { z } from 'zod';
import type { AdaptiveCard } from '../../cards/render';
import { cardAction, type CardAction } from '../../src/bot/card-action-router';
import type { TurnActor } from '../../src/bot/identity';
import { notifyTargetOf } from '../../src/bot/notify-target';
import type { JobPresentation } from '../../src/bot/job-presentation';
import type { NotifyTarget } from '../../src/domain/conversations/conversations.types';
import type { Job } from '../../src/domain/jobs/jobs.types';
import type { PendingRecord } from '../../src/domain/requests/pending-request-store.port';
import { jobProgressCard } from './job-progress.views';

export type PreviewViewer = 'requester' | 'others';

/**
 * Whose view a posted preview shows: everyone in a channel or group chat sees the card as posted,
 * so there it shows no buttons and the requester's refresh brings theirs; a 1:1 chat has only them.
 * (Teams always names the type; an activity without one, from a test client, is treated as 1:1.)
 */
export const postedPreviewViewer = (conversationType: string | undefined): PreviewViewer => (conversationType === 'channel' || conversationType === 'groupChat' ? 'others' : 'requester');

export interface PreviewService<R extends PendingRecord> {
  confirm(requestId: string, actor: TurnActor, notify: NotifyTarget): Promise<{ job: Job }>;
  cancel(requestId: string, actor: TurnActor): Promise<R>;
  getRequest(requestId: string): Promise<R | null>;
  jobOf(request: R): Promise<Job | null>;
}

export interface PreviewCardActionsOptions<R extends PendingRecord> {
  verbs: { confirm: string; cancel: string; refresh: string };
  service: PreviewService<R>;
  /** The requester's id, to decide whose view a refresh shows. */
  requesterOf(request: R): string;
  renderPreview(request: R, viewer: PreviewViewer): AdaptiveCard;
  presentation: JobPresentation;
}

/** Request ids are the store's ids: 24 hex characters. */
const requestData = z.object({ requestId: z.string().regex(/^[0-9a-f]{24}$/i, 'is not a request id') });

export function previewCardActions<R extends PendingRecord>(options: PreviewCardActionsOptions<R>): CardAction[] {
  const { verbs, service, presentation } = options;
  return [
    cardAction({
      verb: verbs.confirm,
      data: requestData,
      changesState: true,
      run: async ({ turn, data, actor }) => {
        const { job } = await service.confirm(data.requestId, actor, notifyTargetOf(turn.activity, turn.activity.replyToId));
        return { card: jobProgressCard(job, presentation) };
      },
    }),
    cardAction({
      verb: verbs.cancel,
      data: requestData,
      changesState: true,
      run: async ({ data, actor }) => ({ card: options.renderPreview(await service.cancel(data.requestId, actor), 'others') }),
    }),
    cardAction({
      verb: verbs.refresh,
      data: requestData,
      changesState: false,
      run: async ({ data, actor }) => {
        const request = await service.getRequest(data.requestId);
        if (!request) return { message: 'This request no longer exists; nothing was created.' };
        const job = await service.jobOf(request);
        if (job) return { card: jobProgressCard(job, presentation) };
        const viewer = actor.verified && options.requesterOf(request) === actor.id ? 'requester' : 'others';
        return { card: options.renderPreview(request, viewer) };
      },
    }),
  ];
}

export interface PreviewState {
  status?: { text: string; color: 'Good' | 'Warning' | 'Default' };
  showButtons: boolean;
  refreshUserId?: string;
}

/**
 * What a preview shows of its decision, for `viewer`: cancelled, confirmed, or who may decide;
 * the buttons for the requester while it is open, and the refresh that fetches their view.
 */
export function previewState(pending: PendingRecord & { requesterChannelId?: string }, requester: string, viewer: PreviewViewer, words: { nothing: string; confirmed: string }): PreviewState {
  const open = pending.status === 'pending';
  const status: PreviewState['status'] =
    pending.status === 'cancelled'
      ? { text: `Cancelled by ${requester}. ${words.nothing}`, color: 'Warning' }
      : pending.status === 'confirmed'
        ? { text: `Confirmed by ${requester}: ${words.confirmed}.`, color: 'Good' }
        : viewer === 'others'
          ? { text: `Only ${requester} can confirm or cancel this.`, color: 'Default' }
          : undefined;
  return {
    ...(status ? { status } : {}),
    showButtons: open && viewer === 'requester',
    // Keep asking Teams for the requester's view while a decision is possible.
    ...(open && pending.requesterChannelId ? { refreshUserId: pending.requesterChannelId } : {}),
  };
}
