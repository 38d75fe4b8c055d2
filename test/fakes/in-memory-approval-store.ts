/**
 * ApprovalStore in memory, with the Mongo adapter's semantics (the approval store contract runs on
 * both): ids derived from (flow, idempotencyKey), changes only on (pending, expected version),
 * copies in and out so a caller cannot change what is stored.
 */
import { createHash } from 'node:crypto';
import { approvalKey, type ApprovalStore } from '../../src/domain/approvals/approval-store.port';
import type { ApprovalChange, ApprovalRequest, NewApprovalRequest } from '../../src/domain/approvals/approval.types';

const idFor = (key: string): string => createHash('sha256').update(key).digest().subarray(0, 12).toString('hex');

export class InMemoryApprovalStore implements ApprovalStore {
  readonly requests = new Map<string, ApprovalRequest>();

  async create(request: NewApprovalRequest): Promise<{ request: ApprovalRequest; created: boolean }> {
    const id = idFor(approvalKey(request.flow, request.idempotencyKey));
    const existing = this.requests.get(id);
    if (existing) return { request: structuredClone(existing), created: false };
    // Synchronous from the check to the set: two racing creates cannot both pass.
    const pending = [...this.requests.values()].find((r) => r.flow === request.flow && r.subjectKey === request.subjectKey && r.state === 'pending');
    if (pending) return { request: structuredClone(pending), created: false };
    const stored: ApprovalRequest = { ...structuredClone(request), id, state: 'pending', decisions: [], remindersSent: 0, updatedAt: request.createdAt, version: 1 };
    this.requests.set(id, stored);
    return { request: structuredClone(stored), created: true };
  }

  async get(id: string): Promise<ApprovalRequest | null> {
    const r = this.requests.get(id.toLowerCase());
    return r ? structuredClone(r) : null;
  }

  async findPending(flow: string, subjectKey: string): Promise<ApprovalRequest | null> {
    const pending = [...this.requests.values()].filter((r) => r.flow === flow && r.subjectKey === subjectKey && r.state === 'pending').sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    return pending[0] ? structuredClone(pending[0]) : null;
  }

  async transition(id: string, expectedVersion: number, change: ApprovalChange): Promise<ApprovalRequest | null> {
    const r = this.requests.get(id.toLowerCase());
    if (!r || r.state !== 'pending' || r.version !== expectedVersion) return null;
    const next: ApprovalRequest = { ...r, updatedAt: change.now, version: r.version + 1 };
    if (change.state) Object.assign(next, { state: change.state, endedAt: change.now, remindAt: null });
    else if (change.remindAt !== undefined) next.remindAt = change.remindAt;
    if (change.remindersSent !== undefined) next.remindersSent = change.remindersSent;
    if (change.addDecision) next.decisions = [...r.decisions, structuredClone(change.addDecision)];
    this.requests.set(next.id, next);
    return structuredClone(next);
  }

  async dueForReminder(now: Date, limit: number): Promise<ApprovalRequest[]> {
    return this.pendingBy((r) => r.remindAt, now, limit);
  }

  async dueForExpiry(now: Date, limit: number): Promise<ApprovalRequest[]> {
    return this.pendingBy((r) => r.expiresAt, now, limit);
  }

  async markFollowedUp(id: string, at: Date): Promise<void> {
    const r = this.requests.get(id.toLowerCase());
    if (r?.state === 'approved') r.followedUpAt = at;
  }

  async awaitingFollowUp(endedBefore: Date, limit: number): Promise<ApprovalRequest[]> {
    return [...this.requests.values()]
      .filter((r) => r.state === 'approved' && !r.followedUpAt && r.endedAt && r.endedAt.getTime() <= endedBefore.getTime())
      .sort((a, b) => a.endedAt!.getTime() - b.endedAt!.getTime())
      .slice(0, limit)
      .map((r) => structuredClone(r));
  }

  private pendingBy(at: (r: ApprovalRequest) => Date | null, now: Date, limit: number): ApprovalRequest[] {
    return [...this.requests.values()]
      .filter((r) => r.state === 'pending' && at(r) !== null && at(r)!.getTime() <= now.getTime())
      .sort((a, b) => at(a)!.getTime() - at(b)!.getTime())
      .slice(0, limit)
      .map((r) => structuredClone(r));
  }
}
