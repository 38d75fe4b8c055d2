/** The approval card for one viewer, from the request and viewFor: every text from a flow or a person escaped. */
import { renderApprovalCard, type ApprovalCardView } from '../../cards/approval.card';
import type { AdaptiveCard } from '../../cards/render';
import { cut, escapeMarkdown } from '../../cards/teams-markdown';
import type { ApprovalRequest, ApprovalState, ApprovalView, ApproverSource } from '../../src/domain/approvals/approval.types';

const when = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
const names = (people: { name: string }[]) => people.map((p) => escapeMarkdown(p.name)).join(', ');

const STATE: Record<ApprovalState, { word: string; color: ApprovalCardView['state']['color'] }> = {
  pending: { word: '⏳ Waiting for approval', color: 'Accent' },
  approved: { word: '✅ Approved', color: 'Good' },
  rejected: { word: '❌ Rejected', color: 'Attention' },
  cancelled: { word: '🚫 Cancelled by the requester', color: 'Default' },
  expired: { word: '⌛ Expired undecided', color: 'Warning' },
};

/** How the approvers were found, in words. */
export function foundBy(source: ApproverSource, requester: string): string {
  switch (source.kind) {
    case 'manager':
      return source.of.toLowerCase() === requester.toLowerCase() ? "the requester's manager" : 'the manager of the person concerned';
    case 'team-members':
      return `members of ${escapeMarkdown(source.team)}, except the requester`;
    case 'users':
      return 'named by the flow, except the requester';
  }
}

const NOTES: Record<ApprovalView['role'], string | undefined> = {
  approver: 'You are an approver: one decision closes the request.',
  requester: 'You asked for this: an approver decides. You can cancel it while it waits.',
  other: undefined,
};

export function approvalCardView(request: ApprovalRequest, view: ApprovalView, refreshUserIds: string[], progress?: ApprovalCardView['progress']): ApprovalCardView {
  const decision = request.decisions.at(-1);
  const pending = request.state === 'pending';
  return {
    requestId: request.id,
    title: escapeMarkdown(cut(request.summary.title, 200)),
    state: { text: STATE[request.state].word, color: STATE[request.state].color },
    facts: [
      ...request.summary.facts.map((f) => ({ label: escapeMarkdown(cut(f.label, 60)), value: escapeMarkdown(cut(f.value, 300)) })),
      { label: 'Requested by', value: `${escapeMarkdown(request.requester.name)}, ${when(request.createdAt)}` },
      { label: 'Approvers', value: `${names(request.approvers.people)} (${foundBy(request.approvers.resolvedBy, request.requester.id)})` },
      pending ? { label: 'Expires', value: when(request.expiresAt) } : { label: 'Closed', value: when(request.endedAt ?? request.updatedAt) },
    ],
    ...(decision && !pending
      ? { decision: { text: `${decision.decision === 'approve' ? 'Approved' : 'Rejected'} by **${escapeMarkdown(decision.by.name)}** on ${when(decision.at)}`, ...(decision.comment ? { comment: `“${escapeMarkdown(decision.comment)}”` } : {}) } }
      : {}),
    ...(pending && NOTES[view.role] ? { note: NOTES[view.role] } : {}),
    canDecide: view.actions.includes('approve'),
    canCancel: view.actions.includes('cancel'),
    refreshUserIds,
    ...(progress ? { progress } : {}),
  };
}

export const approvalCard = (request: ApprovalRequest, view: ApprovalView, refreshUserIds: string[], progress?: ApprovalCardView['progress']): AdaptiveCard =>
  renderApprovalCard(approvalCardView(request, view, refreshUserIds, progress));
