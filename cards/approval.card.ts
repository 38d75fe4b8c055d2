import template from './approval.card.json';
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
  });
  // Built here, not in the template: `$when` on a top-level property leaves `"refresh": null`.
  const userIds = [...new Set(view.refreshUserIds)].slice(0, MAX_REFRESH_USERS);
  if (userIds.length) card.refresh = { action: { type: 'Action.Execute', title: 'Refresh', verb: APPROVAL_VERBS.refresh, data: { requestId: view.requestId } }, userIds };
  return card;
}
