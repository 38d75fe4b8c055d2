import template from './approval.card.json';
import { JOB_RETRY_VERB, stepLook, type JobProgressView } from './job-progress.card';
import { renderTemplate, type AdaptiveCard } from './render';

/** The approval card's buttons and its per-user refresh (each viewer fetches their own view). */
export const APPROVAL_VERBS = { refresh: 'approval.refresh', approve: 'approval.approve', reject: 'approval.reject', cancel: 'approval.cancel' } as const;

/** One viewer's card; every text is already escaped for Teams markdown by the caller. */
export interface ApprovalCardView {
  requestId: string;
  title: string;
  state: { text: string; color: 'Good' | 'Attention' | 'Warning' | 'Accent' | 'Default' };
  /** Summary facts, then requester, approvers (and how they were found), expiry. */
  facts: { label: string; value: string }[];
  /** Who decided and when; with the comment when one was given. */
  decision?: { text: string; comment?: string };
  /** A line for this viewer (e.g. "You asked for this: an approver decides."). */
  note?: string;
  canDecide: boolean;
  canCancel: boolean;
  /** Channel user ids Teams refreshes the card for (Universal Actions allow at most 60). */
  refreshUserIds: string[];
  /** The flow's job after approval (onboarding's provisioning): its steps, status and Retry. */
  progress?: Pick<JobProgressView, 'jobId' | 'heading' | 'steps' | 'status' | 'detail' | 'canRetry'>;
}

const MAX_REFRESH_USERS = 60;

export function renderApprovalCard(view: ApprovalCardView): AdaptiveCard {
  const card = renderTemplate(template, {
    verbs: APPROVAL_VERBS,
    requestId: view.requestId,
    title: view.title,
    stateLine: view.state.text,
    stateColor: view.state.color,
    facts: view.facts,
    hasDecision: Boolean(view.decision),
    decisionLine: view.decision?.text ?? '',
    hasComment: Boolean(view.decision?.comment),
    comment: view.decision?.comment ?? '',
    hasNote: Boolean(view.note),
    note: view.note ?? '',
    canDecide: view.canDecide,
    canCancel: view.canCancel,
    hasProgress: Boolean(view.progress),
    progress: view.progress
      ? {
          jobId: view.progress.jobId,
          heading: view.progress.heading,
          steps: view.progress.steps.map((s) => ({ label: s.label, ...stepLook(s.state) })),
          hasStatus: Boolean(view.progress.status),
          status: view.progress.status?.text ?? '',
          statusColor: view.progress.status?.color ?? 'Default',
          hasDetail: Boolean(view.progress.detail),
          detail: view.progress.detail ?? '',
        }
      : { jobId: '', heading: '', steps: [], hasStatus: false, status: '', statusColor: 'Default', hasDetail: false, detail: '' },
    canRetry: Boolean(view.progress?.canRetry),
    retryVerb: JOB_RETRY_VERB,
  });
  // Built here, not in the template: `$when` on a top-level property leaves `"refresh": null`.
  const userIds = [...new Set(view.refreshUserIds)].slice(0, MAX_REFRESH_USERS);
  if (userIds.length) card.refresh = { action: { type: 'Action.Execute', title: 'Refresh', verb: APPROVAL_VERBS.refresh, data: { requestId: view.requestId } }, userIds };
  return card;
}
