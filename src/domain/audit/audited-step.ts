/**
 * A job step that leaves an audit record each time it runs: who and what the flow names, plus the
 * step's output when it succeeds or its error code when it fails (a transient failure retried later
 * is recorded each time). The step's own error is what the runner sees, never a failure to audit it.
 */
import { isDomainError } from '../domain-error';
import type { JobStepDefinition, JsonObject, StepContext } from '../jobs/jobs.types';
import type { AuditLog } from './audit.port';

export type StepDefinition<TInput> = Omit<JobStepDefinition<TInput>, 'run'> & { run(ctx: StepContext<TInput>): Promise<JsonObject> };

/** What a step's record names: the action is `<action>.<step name>`. */
export interface StepAuditEntry {
  actor: string;
  actorName: string;
  target: string;
  details: Record<string, unknown>;
}

export function recordedStep<TInput>(audit: AuditLog, action: string, step: StepDefinition<TInput>, entry: (ctx: StepContext<TInput>) => StepAuditEntry): JobStepDefinition<TInput> {
  return {
    ...step,
    run: async (ctx) => {
      const { details, ...who } = entry(ctx);
      const base = { ...who, action: `${action}.${step.name}` };
      try {
        const output = await step.run(ctx);
        await audit.record({ ...base, result: 'success', details: { ...details, ...output } });
        return output;
      } catch (error) {
        await audit.record({ ...base, result: 'failure', details: { ...details, code: isDomainError(error) ? error.code : 'JOB.STEP_CRASHED' } }).catch(() => undefined);
        throw error;
      }
    },
  };
}
