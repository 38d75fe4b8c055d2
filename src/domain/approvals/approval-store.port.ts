import type { ApprovalChange, ApprovalRequest, NewApprovalRequest } from './approval.types';

/**
 * Approval requests in the shared store, so any replica handles any click. Every change is one
 * conditional write on (id, state pending, version): of two racing changes (a double click, a
 * Teams retry, a reminder sweep on another replica) exactly one applies, the other gets null.
 */
export interface ApprovalStore {
  /**
   * Stores a new pending request whose id is derived from (flow, idempotencyKey); a second create
   * with the same pair returns the stored one untouched (`created: false`). While another request
   * about the same (flow, subjectKey) is pending, nothing is stored and that one is returned
   * (`created: false`, a different idempotencyKey): two asks racing about one subject leave one pending.
   */
  create(request: NewApprovalRequest): Promise<{ request: ApprovalRequest; created: boolean }>;
  /** Null for an unknown or malformed id. */
  get(id: string): Promise<ApprovalRequest | null>;
  /** The newest request still pending about this subject in this flow, or null. */
  findPending(flow: string, subjectKey: string): Promise<ApprovalRequest | null>;
  /**
   * Applies the change (and bumps the version) only if the request is pending at
   * `expectedVersion`; null otherwise (decided, cancelled, expired, changed since it was read, unknown).
   */
  transition(id: string, expectedVersion: number, change: ApprovalChange): Promise<ApprovalRequest | null>;
  /** Pending requests with remindAt <= now, earliest first, at most `limit`. */
  dueForReminder(now: Date, limit: number): Promise<ApprovalRequest[]>;
  /** Pending requests with expiresAt <= now, earliest first, at most `limit`. */
  dueForExpiry(now: Date, limit: number): Promise<ApprovalRequest[]>;
  /** Records that the flow acted on an approved request (started its job): it is not followed up again. */
  markFollowedUp(id: string, at: Date): Promise<void>;
  /** Approved requests closed at or before `endedBefore` whose flow has not acted yet, oldest first. */
  awaitingFollowUp(endedBefore: Date, limit: number): Promise<ApprovalRequest[]>;
}

/** The stable id of a request: the same (flow, idempotency key) names one request on every replica. */
export const approvalKey = (flow: string, idempotencyKey: string): string => `approval:${flow}:${idempotencyKey}`;
