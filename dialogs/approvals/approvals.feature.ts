/**
 * Approvals' chat edge: no command (flows ask through ApprovalService); the approval card's
 * buttons, and the notifier that brings the card to approvers and the outcome to requesters.
 */
import type { Feature } from '../../src/bot/feature';
import { approvalsCardActions, type ApprovalsFeatureDeps } from './approvals.card-actions';

export type { ApprovalsFeatureDeps } from './approvals.card-actions';
export { approvalCard } from './approvals.views';
export { ApprovalChatNotifier, type ApprovalDelivery } from './approvals.notifier';

export function approvalsFeature(deps: ApprovalsFeatureDeps): Feature {
  return { name: 'approvals', cardActions: approvalsCardActions(deps) };
}
