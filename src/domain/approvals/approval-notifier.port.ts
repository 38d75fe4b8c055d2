import type { ApprovalRequest } from './approval.types';

/**
 * Tells people what happened to a request (the bot edge sends or refreshes the cards). Called after
 * the change is stored, once per change: a failure here does not undo the change; the service
 * records it in the audit trail and goes on.
 */
export interface ApprovalNotifier {
  /** A new request: its approvers get the card (and the requester learns when someone cannot be reached). */
  requested(request: ApprovalRequest): Promise<void>;
  /** A reminder to the approvers of a request still pending. */
  reminded(request: ApprovalRequest): Promise<void>;
  /** The requester learns the request expired undecided (and approvers that it is gone). */
  expired(request: ApprovalRequest): Promise<void>;
  /** Approved or rejected: the requester learns who decided and why (the last entry of `decisions`). */
  decided(request: ApprovalRequest): Promise<void>;
  /** The requester withdrew it: the approvers' cards show it closed. */
  cancelled(request: ApprovalRequest): Promise<void>;
}
