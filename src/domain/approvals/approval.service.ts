/**
 * The approval workflow every flow shares. Rules are enforced here, not on the card: only a
 * resolved approver decides, the requester never decides their own request, a request that left
 * `pending` cannot be acted on, and each change is one conditional write, so a double click, a
 * Teams retry or two replicas racing change it once and leave exactly one audit record.
 *
 *   pending --approve--> approved        (an approver)
 *   pending --reject---> rejected        (an approver, optional comment)
 *   pending --cancel---> cancelled       (the requester)
 *   pending --expire---> expired         (the sweep, at expiresAt)
 *   pending --remind---> pending         (the sweep, at remindAt; remindersSent + 1)
 * Every other state is final. An approved request is handed to its flow's follow-up (e.g. the
 * onboarding job is enqueued); a follow-up that failed or was cut short by a crash is run again by
 * the sweep until it succeeds, so follow-ups must be idempotent.
 */
import type { AuditLog } from '../audit/audit.port';
import { DomainError, isDomainError } from '../domain-error';
import type { ApprovalNotifier } from './approval-notifier.port';
import type { ApprovalStore } from './approval-store.port';
import { viewFor } from './approval-view';
import { sameId, type ApprovalChange, type ApprovalDecisionKind, type ApprovalPerson, type ApprovalRequest, type ApprovalSummary, type ApprovalView, type ApproverSource, type ApproverStrategy, type ResolvedApprovers } from './approval.types';
import type { ApproverResolver } from './approver-resolver.port';

export interface ApprovalTimings {
  /** After how long (and then how often) pending approvers are reminded; null: never. */
  remindAfterMs: number | null;
  /** After how long an undecided request expires. */
  expireAfterMs: number;
}

export interface ApprovalServiceDeps {
  store: ApprovalStore;
  resolver: ApproverResolver;
  audit: AuditLog;
  notifier: ApprovalNotifier;
  timings: ApprovalTimings;
  clock?: () => Date;
  /** Requests one sweep handles at most (the next sweep takes the rest). Default 200. */
  sweepBatch?: number;
  /** What each flow does once one of its requests is approved (idempotent: it may run again). */
  followUps?: Record<string, ApprovalFollowUp>;
}

/**
 * A flow's action on an approved request (start its job). Runs after the approval is stored;
 * `context` is what the approving click gave (where the job reports: the approver's card), absent
 * when the sweep runs it.
 */
export type ApprovalFollowUp = (request: ApprovalRequest, context?: Record<string, unknown>) => Promise<void>;

/** How long the sweep leaves a just-approved request to the click that approved it before following it up itself. */
const FOLLOW_UP_GRACE_MS = 60_000;

export interface ApprovalAsk<P extends Record<string, unknown> = Record<string, unknown>> {
  flow: string;
  /** The same key (e.g. the activity id of the Confirm click) makes a retried ask land on the same request. */
  idempotencyKey: string;
  subjectKey: string;
  summary: ApprovalSummary;
  requester: ApprovalPerson;
  /** Tried in order; the first that names anyone but the requester gives the approvers. */
  approvers: ApproverStrategy[];
  payload: P;
  activityId?: string;
}

/** created: a new request; retried: this ask was made before (same key); already-pending: another request about the subject waits. */
export type AskOutcome = 'created' | 'retried' | 'already-pending';

export interface ChangeResult {
  request: ApprovalRequest;
  /** False when the change was already made by this person (a double click or a retry): nothing new was done. */
  changed: boolean;
}

/** The longest comment kept with a decision. */
export const MAX_COMMENT_LENGTH = 1000;
/** Attempts at a change when a concurrent one (a reminder) moved the version. */
const MAX_ATTEMPTS = 5;
const SYSTEM_ACTOR = 'system:approvals';

export class ApprovalService {
  private readonly clock: () => Date;
  private readonly sweepBatch: number;

  constructor(private readonly deps: ApprovalServiceDeps) {
    const { remindAfterMs, expireAfterMs } = deps.timings;
    if (!(Number.isSafeInteger(expireAfterMs) && expireAfterMs > 0)) throw new Error('ApprovalService: expireAfterMs must be a positive integer');
    if (remindAfterMs !== null && !(Number.isSafeInteger(remindAfterMs) && remindAfterMs > 0)) throw new Error('ApprovalService: remindAfterMs must be a positive integer or null');
    this.clock = deps.clock ?? (() => new Date());
    this.sweepBatch = deps.sweepBatch ?? 200;
  }

  /** The viewer's role and the actions they may take (what the card shows; decide and cancel enforce the same). */
  viewFor(request: ApprovalRequest, viewerId: string): ApprovalView {
    return viewFor(request, viewerId);
  }

  get(id: string): Promise<ApprovalRequest | null> {
    return this.deps.store.get(id);
  }

  /** The request about this subject that still waits, if any (a flow offers it instead of asking again). */
  findPending(flow: string, subjectKey: string): Promise<ApprovalRequest | null> {
    return this.deps.store.findPending(flow, subjectKey);
  }

  async request<P extends Record<string, unknown>>(ask: ApprovalAsk<P>): Promise<{ request: ApprovalRequest; outcome: AskOutcome }> {
    if (!ask.approvers.length) throw new Error('ApprovalService.request: name at least one approver strategy');
    const pending = await this.deps.store.findPending(ask.flow, ask.subjectKey);
    if (pending) return { request: pending, outcome: pending.idempotencyKey === ask.idempotencyKey ? 'retried' : 'already-pending' };
    const approvers = await this.resolve(ask);
    const now = this.clock();
    const expiresAt = new Date(now.getTime() + this.deps.timings.expireAfterMs);
    const { request, created } = await this.deps.store.create({
      flow: ask.flow,
      idempotencyKey: ask.idempotencyKey,
      subjectKey: ask.subjectKey,
      summary: ask.summary,
      requester: ask.requester,
      approvers,
      createdAt: now,
      expiresAt,
      remindAt: this.nextReminder(now, expiresAt),
      payload: ask.payload,
    });
    if (!created) return { request, outcome: request.idempotencyKey === ask.idempotencyKey ? 'retried' : 'already-pending' };
    await this.audit(request, ask.requester, 'approval.request', 'success', ask.activityId, { approvers: approvers.people.map((p) => p.id), resolvedBy: approvers.resolvedBy.kind });
    await this.notify(request, 'requested');
    return { request, outcome: 'created' };
  }

  async decide(id: string, actor: ApprovalPerson, decision: ApprovalDecisionKind, comment?: string, activityId?: string, followUpContext?: Record<string, unknown>): Promise<ChangeResult> {
    const text = comment?.trim() || undefined;
    if (text && text.length > MAX_COMMENT_LENGTH) throw new DomainError('APPROVALS.COMMENT_TOO_LONG', `A comment of ${text.length} characters (at most ${MAX_COMMENT_LENGTH})`, { max: MAX_COMMENT_LENGTH, length: text.length });
    return this.change(id, actor, decision, activityId, followUpContext, (now) => ({
      now,
      state: decision === 'approve' ? 'approved' : 'rejected',
      addDecision: { by: { id: actor.id, name: actor.name }, decision, ...(text ? { comment: text } : {}), at: now },
    }));
  }

  /** The requester withdraws a pending request. */
  cancel(id: string, actor: ApprovalPerson, activityId?: string): Promise<ChangeResult> {
    return this.change(id, actor, 'cancel', activityId, undefined, (now) => ({ now, state: 'cancelled' }));
  }

  /** Sends the reminders that are due, each once (one conditional write per reminder). Returns the ids reminded. */
  async remind(now: Date = this.clock()): Promise<string[]> {
    const done: string[] = [];
    for (const request of await this.deps.store.dueForReminder(now, this.sweepBatch)) {
      if (request.expiresAt.getTime() <= now.getTime()) continue; // expire() closes it: no reminder for a dead request
      const updated = await this.deps.store.transition(request.id, request.version, { now, remindersSent: request.remindersSent + 1, remindAt: this.nextReminder(now, request.expiresAt) });
      if (!updated) continue; // decided, or reminded by another replica, since it was read
      await this.audit(updated, null, 'approval.remind', 'success', undefined, { approvers: updated.approvers.people.map((p) => p.id), remindersSent: updated.remindersSent });
      await this.notify(updated, 'reminded');
      done.push(updated.id);
    }
    return done;
  }

  /** Closes the requests whose time ran out and tells their requesters. Returns the ids expired. */
  async expire(now: Date = this.clock()): Promise<string[]> {
    const done: string[] = [];
    for (const request of await this.deps.store.dueForExpiry(now, this.sweepBatch)) {
      const updated = await this.deps.store.transition(request.id, request.version, { now, state: 'expired' });
      if (!updated) continue;
      await this.audit(updated, null, 'approval.expire', 'success', undefined, { expiresAt: updated.expiresAt.toISOString() });
      await this.notify(updated, 'expired');
      done.push(updated.id);
    }
    return done;
  }

  /** Follows up approved requests whose flow has not acted yet (its follow-up failed, or the replica died after the click). */
  async followUpMissed(now: Date = this.clock()): Promise<string[]> {
    const done: string[] = [];
    for (const request of await this.deps.store.awaitingFollowUp(new Date(now.getTime() - FOLLOW_UP_GRACE_MS), this.sweepBatch)) {
      if (await this.followUp(request)) done.push(request.id);
    }
    return done;
  }

  /** Every sweep, expiry first (a request past its expiry gets no reminder). */
  async sweep(now: Date = this.clock()): Promise<{ expired: string[]; reminded: string[]; followedUp: string[] }> {
    const expired = await this.expire(now);
    const reminded = await this.remind(now);
    return { expired, reminded, followedUp: await this.followUpMissed(now) };
  }

  /** Runs the flow's follow-up of an approved request; true when it ran to the end (and is recorded). */
  private async followUp(request: ApprovalRequest, context?: Record<string, unknown>): Promise<boolean> {
    const run = this.deps.followUps?.[request.flow];
    if (!run) return false;
    try {
      await run(request, context);
      await this.deps.store.markFollowedUp(request.id, this.clock());
      return true;
    } catch (e) {
      // The approval stands; the sweep tries again.
      const error = isDomainError(e) ? { code: e.code, message: e.message } : { code: 'UNEXPECTED', message: e instanceof Error ? e.message : String(e) };
      await this.audit(request, null, 'approval.follow-up', 'failure', undefined, { error }).catch(() => undefined);
      return false;
    }
  }

  private async resolve(ask: ApprovalAsk): Promise<ResolvedApprovers> {
    for (const strategy of ask.approvers) {
      const people = (await this.deps.resolver.approversFor(strategy)).filter((p) => !sameId(p.id, ask.requester.id));
      if (people.length) return { people, resolvedBy: sourceOf(strategy, ask.requester.id) };
    }
    const tried = ask.approvers.map((s) => s.kind);
    const team = ask.approvers.find((s) => s.kind === 'team-members')?.team;
    await this.deps.audit.record({ actor: ask.requester.id, actorName: ask.requester.name, action: 'approval.request', target: `approval-subject:${ask.flow}:${ask.subjectKey}`, result: 'denied', ...(ask.activityId ? { activityId: ask.activityId } : {}), details: { reason: 'no approver', tried } });
    throw new DomainError('APPROVALS.NO_APPROVER', `Nobody but the requester can approve ${ask.flow} ${ask.subjectKey} (tried ${tried.join(', ')})`, { flow: ask.flow, tried, ...(team ? { team } : {}) });
  }

  /** One change by a person, retried while only the version moved (a reminder went out meanwhile). */
  private async change(
    id: string,
    actor: ApprovalPerson,
    action: ApprovalDecisionKind | 'cancel',
    activityId: string | undefined,
    followUpContext: Record<string, unknown> | undefined,
    build: (now: Date) => ApprovalChange,
  ): Promise<ChangeResult> {
    const verb = action === 'cancel' ? 'approval.cancel' : 'approval.decide';
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const request = await this.deps.store.get(id);
      if (!request) throw new DomainError('APPROVALS.NOT_FOUND', `No approval request ${id}`, { id });
      if (alreadyDoneBy(request, actor, action)) return { request, changed: false };
      if (!viewFor(request, actor.id).actions.includes(action)) {
        const refusal = refusalOf(request, actor, action);
        await this.audit(request, actor, verb, 'denied', activityId, { action, reason: refusal.code });
        throw refusal;
      }
      const updated = await this.deps.store.transition(request.id, request.version, build(this.clock()));
      if (!updated) continue;
      const decision = updated.decisions.at(-1);
      await this.audit(updated, actor, verb, 'success', activityId, action === 'cancel' ? {} : { decision: action, ...(decision?.comment ? { comment: decision.comment } : {}) });
      if (updated.state === 'approved') await this.followUp(updated, followUpContext);
      await this.notify(updated, action === 'cancel' ? 'cancelled' : 'decided');
      return { request: updated, changed: true };
    }
    throw new DomainError('APPROVALS.BUSY', `Approval request ${id} kept changing during ${action}`, { id });
  }

  private nextReminder(now: Date, expiresAt: Date): Date | null {
    if (this.deps.timings.remindAfterMs === null) return null;
    const at = new Date(now.getTime() + this.deps.timings.remindAfterMs);
    return at.getTime() < expiresAt.getTime() ? at : null;
  }

  private async notify(request: ApprovalRequest, event: keyof ApprovalNotifier): Promise<void> {
    try {
      await this.deps.notifier[event](request);
    } catch (e) {
      // The change stands; who could not be told is on record for the platform team.
      const error = isDomainError(e) ? { code: e.code, message: e.message } : { code: 'UNEXPECTED', message: e instanceof Error ? e.message : String(e) };
      await this.audit(request, null, 'approval.notify', 'failure', undefined, { event, error });
    }
  }

  private audit(request: ApprovalRequest, actor: ApprovalPerson | null, action: string, result: 'success' | 'failure' | 'denied', activityId: string | undefined, details: Record<string, unknown>): Promise<void> {
    return this.deps.audit.record({
      actor: actor?.id ?? SYSTEM_ACTOR,
      ...(actor ? { actorName: actor.name } : {}),
      action,
      target: `approval:${request.id}`,
      result,
      ...(activityId ? { activityId } : {}),
      details: { flow: request.flow, subjectKey: request.subjectKey, state: request.state, ...details },
    });
  }
}

function sourceOf(strategy: ApproverStrategy, requesterId: string): ApproverSource {
  switch (strategy.kind) {
    case 'manager':
      return { kind: 'manager', of: strategy.of };
    case 'team-members':
      return { kind: 'team-members', team: strategy.team, except: requesterId };
    case 'users':
      return { kind: 'users', ids: [...strategy.ids], except: requesterId };
  }
}

/** The same person repeating the change that closed the request (a double click, a Teams retry). */
function alreadyDoneBy(request: ApprovalRequest, actor: ApprovalPerson, action: ApprovalDecisionKind | 'cancel'): boolean {
  if (action === 'cancel') return request.state === 'cancelled' && sameId(request.requester.id, actor.id);
  const last = request.decisions.at(-1);
  return request.state !== 'pending' && last !== undefined && last.decision === action && sameId(last.by.id, actor.id);
}

function refusalOf(request: ApprovalRequest, actor: ApprovalPerson, action: ApprovalDecisionKind | 'cancel'): DomainError {
  const who = { flow: request.flow, title: request.summary.title };
  if (request.state !== 'pending') {
    const last = request.decisions.at(-1);
    const by = request.state === 'cancelled' ? request.requester.name : last?.by.name;
    return new DomainError('APPROVALS.STALE', `Approval request ${request.id} is ${request.state}; ${actor.id} tried to ${action}`, { ...who, state: request.state, ...(by ? { by } : {}), ...(request.endedAt ? { at: request.endedAt.toISOString() } : {}) });
  }
  if (action === 'cancel') return new DomainError('APPROVALS.NOT_REQUESTER', `${actor.id} is not the requester of approval ${request.id}`, { ...who, requester: request.requester.name });
  if (sameId(request.requester.id, actor.id)) return new DomainError('APPROVALS.SELF_APPROVAL', `${actor.id} asked for approval ${request.id} and cannot decide it`, who);
  return new DomainError('APPROVALS.NOT_APPROVER', `${actor.id} is not an approver of ${request.id}`, { ...who, approvers: request.approvers.people.map((p) => p.name) });
}
