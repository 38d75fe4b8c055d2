/**
 * Every step of a repository job leaves an audit record: who asked, what the step did to which
 * repository, when, and how it ended (a transient failure retried later is recorded each time).
 */
import type { AuditLog } from '../audit/audit.port';
import { recordedStep, type StepDefinition } from '../audit/audited-step';
import type { JobStepDefinition } from '../jobs/jobs.types';
import type { Requester } from './repo-request';

export interface AuditedJobInput {
  requestedBy: Requester;
  /** `repo:Project/name`. */
  target: string;
}

export function auditedStep<TInput extends AuditedJobInput>(audit: AuditLog, action: string, step: StepDefinition<TInput>): JobStepDefinition<TInput> {
  return recordedStep(audit, action, step, (ctx) => ({ actor: ctx.input.requestedBy.id, actorName: ctx.input.requestedBy.name, target: ctx.input.target, details: { jobId: ctx.jobId, attempt: ctx.attempt } }));
}
