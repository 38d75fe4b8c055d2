import type { ApprovalPerson, ApproverStrategy } from './approval.types';

/**
 * Finds the people one strategy names (enabled accounts only; [] when it names nobody: no manager,
 * an unknown team, an empty list). The service leaves the requester out and tries the next
 * strategy when this yields nobody. Upstream failures raise DomainError UPSTREAM.*.
 */
export interface ApproverResolver {
  approversFor(strategy: ApproverStrategy): Promise<ApprovalPerson[]>;
}
