/**
 * The approval card's buttons: Refresh (each viewer's own view), Approve, Reject, Cancel. Each runs
 * as the verified acting user; the service enforces who may do what, and its refusals
 * (APPROVALS.*) are words for the clicker while the card stays. A change answers with the
 * clicker's updated card.
 */
import { z } from 'zod';
import { APPROVAL_VERBS } from '../../cards/approval.card';
import { cardAction, type CardAction, type CardActionContext } from '../../src/bot/card-action-router';
import type { ApprovalService } from '../../src/domain/approvals/approval.service';
import type { ApprovalRequest } from '../../src/domain/approvals/approval.types';
import { DomainError } from '../../src/domain/domain-error';
import type { ConversationDirectory } from '../../src/domain/conversations/conversations.port';
import type { ApprovalCardView } from '../../cards/approval.card';
import type { JobPresentation } from '../../src/bot/job-presentation';
import { notifyTargetOf } from '../../src/bot/notify-target';
import type { Job } from '../../src/domain/jobs/jobs.types';
import { progressView } from '../common/job-progress.views';
import { approvalCard } from './approvals.views';

/**
 * A flow whose approval starts a durable job (onboarding's provisioning): the job's progress shows
 * on the approval card, for everyone, with Retry when it failed.
 */
export interface ApprovalJobLink {
  flow: string;
  /** How the job's steps are named, its facts, and who may retry (the flow's presentation). */
  presentation: JobPresentation;
  /** The job that follows this approved request, if it started. */
  jobOf(requestId: string): Promise<Job | null>;
}

export interface ApprovalsFeatureDeps {
  approvals: Pick<ApprovalService, 'get' | 'viewFor' | 'decide' | 'cancel'>;
  /** Personal chats recorded by the bot: the channel user ids the card refreshes for. */
  conversations: Pick<ConversationDirectory, 'findByAadObjectId'>;
  followUpJobs?: ApprovalJobLink[];
}

/** The approval card's progress section for a request whose flow runs a job after approval. */
export async function progressOf(links: readonly ApprovalJobLink[] | undefined, request: ApprovalRequest, job?: Job | null): Promise<ApprovalCardView['progress']> {
  const link = links?.find((l) => l.flow === request.flow);
  if (!link || request.state !== 'approved') return undefined;
  const found = job === undefined ? await link.jobOf(request.id) : job;
  if (!found) return undefined;
  const view = progressView(found, link.presentation);
  return { jobId: view.jobId, heading: view.heading, steps: view.steps, ...(view.status ? { status: view.status } : {}), ...(view.detail ? { detail: view.detail } : {}), canRetry: view.canRetry };
}

/** Refresh ids of a request: the requester's and approvers' recorded 1:1 chats, plus `extra` (the clicker). */
export async function refreshIdsOf(conversations: Pick<ConversationDirectory, 'findByAadObjectId'>, r: ApprovalRequest, extra: string[] = []): Promise<string[]> {
  const people = [r.requester, ...r.approvers.people];
  const stored = await Promise.all(people.map((p) => conversations.findByAadObjectId(p.id)));
  return [...extra, ...stored.flatMap((s) => (s?.userId ? [s.userId] : []))];
}

/** The comment arrives merged into the button's data (Input.Text id "comment"); the service checks its length. */
const request = z.object({ requestId: z.string().min(1).max(300), comment: z.string().max(5000).optional() });
type Data = z.infer<typeof request>;

export function approvalsCardActions(deps: ApprovalsFeatureDeps): CardAction[] {
  /** Teams refreshes for channel user ids: the clicker's, and everyone's whose personal chat is recorded. */
  const refreshIds = (r: ApprovalRequest, c: CardActionContext<Data>): Promise<string[]> => refreshIdsOf(deps.conversations, r, [c.actor.channelId]);
  const cardFor = async (r: ApprovalRequest, c: CardActionContext<Data>) => ({
    card: approvalCard(r, deps.approvals.viewFor(r, c.actor.id), await refreshIds(r, c), await progressOf(deps.followUpJobs, r)),
  });
  /** Where the job after an approval reports: the card the approver clicked, in their chat. */
  const followUpContext = (c: CardActionContext<Data>) => notifyTargetOf(c.turn.activity, c.turn.activity.replyToId) as unknown as Record<string, unknown>;
  const person = (c: CardActionContext<Data>) => ({ id: c.actor.id, name: c.actor.name });
  const activity = (c: CardActionContext<Data>) => c.turn.activity.id;

  return [
    cardAction({
      verb: APPROVAL_VERBS.refresh,
      data: request,
      changesState: false,
      run: async (c) => {
        const found = await deps.approvals.get(c.data.requestId);
        if (!found) throw new DomainError('APPROVALS.NOT_FOUND', `No approval request ${c.data.requestId}`, { id: c.data.requestId });
        return cardFor(found, c);
      },
    }),
    cardAction({
      verb: APPROVAL_VERBS.approve,
      data: request,
      changesState: true,
      run: async (c) => cardFor((await deps.approvals.decide(c.data.requestId, person(c), 'approve', c.data.comment, activity(c), followUpContext(c))).request, c),
    }),
    cardAction({
      verb: APPROVAL_VERBS.reject,
      data: request,
      changesState: true,
      run: async (c) => cardFor((await deps.approvals.decide(c.data.requestId, person(c), 'reject', c.data.comment, activity(c))).request, c),
    }),
    cardAction({
      verb: APPROVAL_VERBS.cancel,
      data: request,
      changesState: true,
      run: async (c) => cardFor((await deps.approvals.cancel(c.data.requestId, person(c), activity(c))).request, c),
    }),
  ];
}
