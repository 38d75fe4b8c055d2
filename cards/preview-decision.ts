import type { AdaptiveCard } from './render';

/** What every preview card (create repo, add pipeline) shows of its decision. */
export interface PreviewDecision {
  requestId: string;
  /** E.g. "Cancelled by Alice. Nothing was created." */
  status?: { text: string; color: 'Good' | 'Attention' | 'Warning' | 'Default' };
  /** Confirm / Cancel: only in the requester's view. */
  showButtons: boolean;
  /** Teams channel id of the requester: Universal Actions refresh fetches their view (with the buttons). */
  refreshUserId?: string;
}

/** The template bindings of the decision: status line, Confirm / Cancel, the per-user refresh. */
export const decisionBindings = (view: PreviewDecision, verbs: { confirm: string; cancel: string; refresh: string }) => ({
  requestId: view.requestId,
  hasStatus: Boolean(view.status),
  status: view.status?.text ?? '',
  statusColor: view.status?.color ?? 'Default',
  showButtons: view.showButtons,
  hasRefresh: Boolean(view.refreshUserId),
  refreshUserId: view.refreshUserId ?? '',
  verbs,
});

/** `$when` leaves a null behind on a top-level property; clients expect it absent. */
export function withoutEmptyRefresh(card: AdaptiveCard): AdaptiveCard {
  if (card.refresh == null) delete card.refresh;
  return card;
}
