/**
 * Approvals' chat edge: no command (flows ask through ApprovalService); the approval card's
 * buttons, the notifier that brings the card to approvers and the outcome to requesters, and the
 * progress of the job a flow runs after approval, drawn on the approval card itself.
 */
import type { Feature } from '../../src/bot/feature';
import type { JobPresentation } from '../../src/bot/job-presentation';
import { renderJobProgressCard } from '../../cards/job-progress.card';
import { approvalsCardActions, progressOf, refreshIdsOf, type ApprovalJobLink, type ApprovalsFeatureDeps } from './approvals.card-actions';
import { approvalCard } from './approvals.views';

export type { ApprovalJobLink, ApprovalsFeatureDeps } from './approvals.card-actions';
export { progressOf, refreshIdsOf } from './approvals.card-actions';
export { approvalCard } from './approvals.views';
export { ApprovalChatNotifier, type ApprovalDelivery } from './approvals.notifier';

export function approvalsFeature(deps: ApprovalsFeatureDeps): Feature {
  return { name: 'approvals', cardActions: approvalsCardActions(deps), jobs: (deps.followUpJobs ?? []).map((link) => onApprovalCard(link, deps)) };
}

/** The flow's job presentation, drawn as the approval card (as its approver sees it) with the job's steps. */
function onApprovalCard(link: ApprovalJobLink, deps: ApprovalsFeatureDeps): JobPresentation {
  return {
    ...link.presentation,
    card: async (job, progress) => {
      // The job's idempotency key is the approval request's id (one job per approved request).
      const request = /^[0-9a-f]{24}$/i.test(job.idempotencyKey) ? await deps.approvals.get(job.idempotencyKey) : null;
      // A job of this type started without an approval (a dev secret): its own progress card.
      if (!request) return renderJobProgressCard(progress);
      const approver = request.decisions.at(-1)?.by.id ?? request.requester.id;
      return approvalCard(request, deps.approvals.viewFor(request, approver), await refreshIdsOf(deps.conversations, request), await progressOf([link], request, job));
    },
  };
}
