/**
 * Every step of an onboarding or offboarding job leaves an audit record: the bot identity that
 * executed it (actor), the approver who allowed it and the requester, what it did to whom, and how
 * it ended (a transient failure retried later is recorded each time).
 */
import type { AuditLog } from '../audit/audit.port';
import { recordedStep, type StepDefinition } from '../audit/audited-step';
import type { JobStepDefinition, JsonObject } from '../jobs/jobs.types';
import type { TargetError, TargetResult, WorkspaceTarget } from './workspace-memberships.port';
import { DomainError } from '../domain-error';

export interface ProvisioningInput {
  /** `person:<object id>`: whose access changes. */
  target: string;
  approvedBy: { id: string; name: string };
  requestedBy: { id: string; name: string };
}

export function provisioningStep<TInput extends ProvisioningInput>(audit: AuditLog, botIdentity: string, action: string, step: StepDefinition<TInput>): JobStepDefinition<TInput> {
  return recordedStep(audit, action, step, (ctx) => ({
    actor: botIdentity,
    actorName: 'IDP bot',
    target: ctx.input.target,
    details: { jobId: ctx.jobId, attempt: ctx.attempt, approvedBy: ctx.input.approvedBy.id, requestedBy: ctx.input.requestedBy.id },
  }));
}

/** The outcome of one membership call in words for the step output and the audit record. */
export function outcomesOf(results: TargetResult<WorkspaceTarget>[]): { done: JsonObject; failure?: TargetError & { target: string } } {
  const by = (o: string) => results.flatMap((r) => (r.ok && r.outcome === o ? [r.target.name] : []));
  const failed = results.flatMap((r) => (r.ok ? [] : [{ target: r.target.name, ...r.error }]));
  return {
    done: { added: by('added'), alreadyMember: by('already-member'), removed: by('removed'), alreadyGone: by('already-gone'), failed: failed.map((f) => `${f.target}: ${f.code}`) },
    ...(failed[0] ? { failure: failed[0] } : {}),
  };
}

/** A target that failed for good fails the step (after the others were done); a transient one is retried by the runner. */
export function throwIfFailed(failure: (TargetError & { target: string }) | undefined): void {
  if (!failure) return;
  throw new DomainError(failure.code, `${failure.target}: ${failure.message}`, {
    target: failure.target,
    ...(failure.retryAfterSeconds !== undefined ? { retryAfterSeconds: failure.retryAfterSeconds } : {}),
  });
}
