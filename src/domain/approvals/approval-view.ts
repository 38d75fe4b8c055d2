/**
 * Which buttons a viewer may press on a request, from the request and the viewer alone (as in
 * Microsoft-Teams-Samples bot-request-approval). The card renders it and the service enforces the
 * same answer, so a button the card never showed cannot be pressed by a crafted invoke either.
 */
import { isApprover, sameId, type ApprovalRequest, type ApprovalView } from './approval.types';

export function viewFor(request: Pick<ApprovalRequest, 'state' | 'requester' | 'approvers'>, viewerId: string): ApprovalView {
  // The requester first: even if listed as an approver somehow, they never decide their own request.
  const role = sameId(request.requester.id, viewerId) ? 'requester' : isApprover(request, viewerId) ? 'approver' : 'other';
  if (request.state !== 'pending') return { role, actions: [] };
  if (role === 'approver') return { role, actions: ['approve', 'reject'] };
  if (role === 'requester') return { role, actions: ['cancel'] };
  return { role, actions: [] };
}
