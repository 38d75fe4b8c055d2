/**
 * Every step of a repository job leaves an audit record: who asked, what the step did to which
 * repository, when, and how it ended (a transient failure retried later is recorded each time).
 */
import type { AuditLog } from '../audit/audit.port';
import type { JobStepDefinition, JsonObject, StepContext } from '../jobs/jobs.types';
import { isDomainError } from '../domain-error';
import type { Requester } from './repo-request';

export interface AuditedJobInput {
  requestedBy: Requester;
  /** `repo:Project/name`. */
  target: string;
}

export function auditedStep<TInput extends AuditedJobInput>(
  audit: AuditLog,
  action: string,
  step: Omit<JobStepDefinition<TInput>, 'run'> & { run(ctx: StepContext<TInput>): Promise<JsonObject> },
): JobStepDefinition<TInput> {
  return {
    ...step,
    run: async (ctx) => {
      const base = { actor: ctx.input.requestedBy.id, actorName: ctx.input.requestedBy.name, action: `${action}.${step.name}`, target: ctx.input.target };
      try {
        const output = await step.run(ctx);
        await audit.record({ ...base, result: 'success', details: { jobId: ctx.jobId, attempt: ctx.attempt, ...output } });
        return output;
      } catch (error) {
        const code = isDomainError(error) ? error.code : 'JOB.STEP_CRASHED';
        // The step's own error is what the runner must see, not a failure to audit it.
        await audit.record({ ...base, result: 'failure', details: { jobId: ctx.jobId, attempt: ctx.attempt, code } }).catch(() => undefined);
        throw error;
      }
    },
  };
}
