/**
 * What creating and rotating a secret share: what a confirmed plan leads to, asking another owner to
 * approve (production), what an approval starts, reading the plan back from an approved request,
 * and writing a typed value once. The plan travels in the
 * approval's payload; nothing here ever holds a value beyond the one write.
 */
import type { Actor } from '../access/team-access.policy';
import type { ApprovalService } from '../approvals/approval.service';
import type { ApprovalRequest, ApprovalSummary } from '../approvals/approval.types';
import { sameId } from '../approvals/approval.types';
import { DomainError } from '../domain-error';
import type { Job, JsonObject } from '../jobs/jobs.types';
import { REQUEST_TAG } from './secret-step';
import type { SecretProperties, SecretStore } from './secret-store.port';
import type { SecretValue } from './secret-value';
import type { SecretPlan } from './secrets.types';

const MAX_VALUE_LENGTH = 25_000;

export type SecretConfirmOutcome = { kind: 'job'; job: Job } | { kind: 'approval'; request: ApprovalRequest } | { kind: 'enter-value'; plan: SecretPlan; requestKey: string };
type OwnersAsk = { flow: string; requestKey: string; subjectKey: string; plan: SecretPlan; summary: ApprovalSummary; requester: Actor; activityId?: string };
/** Starts a plan's job: who approved it, and the job's key when it is not the request's (the approval's, whose card shows the steps). */
type StartJob = (plan: SecretPlan, requestKey: string, notify: JsonObject, approvedBy?: { id: string; name: string }, jobKey?: string) => Promise<Job>;

/** What a confirmed plan leads to: another owner's approval (production), the value dialog (typed), or its job now. */
export async function afterConfirm(approvals: Pick<ApprovalService, 'request'> | undefined, ask: OwnersAsk, notify: JsonObject, start: StartJob): Promise<SecretConfirmOutcome> {
  if (ask.plan.needsApproval) return { kind: 'approval', request: await askOwners(approvals, ask) };
  if (ask.plan.valueSource === 'type') return { kind: 'enter-value', plan: ask.plan, requestKey: ask.requestKey };
  return { kind: 'job', job: await start(ask.plan, ask.requestKey, notify) };
}

/**
 * The approvals follow-up of a secret flow: an approved plan that generates its value starts its job
 * now, keyed by the approval (its card shows the job's steps); one whose value is typed waits for
 * the requester's dialog.
 */
export function approvedFollowUp(flow: string, start: StartJob, askForValue: (approvalId: string, plan: SecretPlan) => Promise<void> | undefined) {
  return async (request: ApprovalRequest, context?: Record<string, unknown>): Promise<void> => {
    if (request.flow !== flow || request.state !== 'approved') return;
    const { plan, requestKey } = request.payload as unknown as { plan: SecretPlan; requestKey: string };
    if (plan.valueSource === 'generate') await start(plan, requestKey, (context ?? {}) as JsonObject, request.decisions.at(-1)?.by, request.id);
    else await askForValue(request.id, plan);
  };
}

/** One approval request to the other members of the owning team (never the requester). */
export async function askOwners(
  approvals: Pick<ApprovalService, 'request'> | undefined,
  ask: OwnersAsk,
): Promise<ApprovalRequest> {
  if (!approvals) throw new DomainError('SECRETS.APPROVAL_UNAVAILABLE', `${ask.flow} in ${ask.plan.env} needs approvals, which need a directory`, { env: ask.plan.env });
  const { request } = await approvals.request({
    flow: ask.flow,
    idempotencyKey: ask.requestKey,
    subjectKey: ask.subjectKey,
    summary: ask.summary,
    requester: { id: ask.requester.id, name: ask.requester.name },
    approvers: [{ kind: 'team-members', team: ask.plan.service.ownerRef }],
    payload: { plan: ask.plan, requestKey: ask.requestKey } as unknown as Record<string, unknown>,
    ...(ask.activityId ? { activityId: ask.activityId } : {}),
  });
  return request;
}

/** The plan of an approved request of `flow`, for its requester only. Policy is the caller's to check again. */
export async function approvedPlan(approvals: Pick<ApprovalService, 'get'> | undefined, flow: string, approvalId: string, actor: Actor): Promise<{ plan: SecretPlan; requestKey: string; approvedBy?: { id: string; name: string } }> {
  const approval = await approvals?.get(approvalId);
  if (!approval || approval.flow !== flow) throw new DomainError('SECRETS.NOT_APPROVED', `no ${flow} approval ${approvalId}`, { name: '' });
  const { plan, requestKey } = approval.payload as unknown as { plan: SecretPlan; requestKey: string };
  if (!sameId(approval.requester.id, actor.id)) throw new DomainError('SECRETS.NOT_REQUESTER', `${actor.id} is not the requester of ${approvalId}`, { requester: approval.requester.name });
  if (approval.state !== 'approved') throw new DomainError('SECRETS.NOT_APPROVED', `${approvalId} is ${approval.state}`, { name: plan.vaultName });
  const by = approval.decisions.at(-1)?.by;
  return { plan, requestKey, ...(by ? { approvedBy: by } : {}) };
}

/** A typed value of an acceptable length, for a plan that takes one. */
export function checkTypedValue(value: SecretValue, plan?: SecretPlan, requestKey?: string): void {
  if (value.length < 1 || value.length > MAX_VALUE_LENGTH) throw new DomainError('SECRETS.VALUE_INVALID', 'typed value of an unacceptable length', { max: MAX_VALUE_LENGTH });
  if (plan && plan.valueSource !== 'type') throw new DomainError('SECRETS.VALUE_INVALID', `${requestKey ?? plan.vaultName} generates its value`, { max: MAX_VALUE_LENGTH });
}

/** Writes the typed value as a new version unless this request wrote one already; the stored version, or null when it was there. */
export async function storeTypedOnce(
  store: Pick<SecretStore, 'listVersions' | 'setSecret'>,
  plan: SecretPlan,
  requestKey: string,
  value: SecretValue,
  tags: Record<string, string>,
  now: Date,
): Promise<SecretProperties | null> {
  const versions = await store.listVersions(plan.vault.url, plan.vaultName).catch(() => []);
  if (versions.some((v) => v.tags[REQUEST_TAG] === requestKey)) return null;
  return store.setSecret(plan.vault.url, plan.vaultName, { value, tags, ...(plan.expiresOn ? { expiresOn: new Date(plan.expiresOn) } : {}), notBefore: now });
}
