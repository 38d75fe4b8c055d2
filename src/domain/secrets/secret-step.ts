/**
 * Every step of a secret job leaves an audit record: the bot identity that executed it, the
 * requester and approver, which secret (service, environment, stored name), how it ended, and
 * what the step returned (versions, assignment names, links: never a value).
 */
import type { AuditLog } from '../audit/audit.port';
import { isDomainError } from '../domain-error';
import type { JobStepDefinition, JsonObject, StepContext } from '../jobs/jobs.types';
import type { SecretPlan } from './secrets.types';

export interface SecretJobInput {
  plan: SecretPlan;
  target: string;
  approvedBy?: { id: string; name: string };
}

export function secretStep<TInput extends SecretJobInput>(
  deps: { audit: AuditLog; botIdentity: string },
  /** `secret.create`, `secret.rotate`. */
  action: string,
  def: Omit<JobStepDefinition<TInput>, 'run'> & { run(ctx: StepContext<TInput>): Promise<JsonObject> },
): JobStepDefinition<TInput> {
  return {
    ...def,
    run: async (ctx) => {
      const { plan } = ctx.input;
      const base = { actor: deps.botIdentity, actorName: 'IDP bot', action: `${action}.${def.name}`, target: ctx.input.target };
      const details = { jobId: ctx.jobId, attempt: ctx.attempt, service: plan.service.name, env: plan.env, name: plan.vaultName, requestedBy: plan.requester.id, ...(ctx.input.approvedBy ? { approvedBy: ctx.input.approvedBy.id } : {}) };
      try {
        const output = await def.run(ctx);
        await deps.audit.record({ ...base, result: 'success', details: { ...details, ...output } });
        return output;
      } catch (error) {
        await deps.audit.record({ ...base, result: 'failure', details: { ...details, code: isDomainError(error) ? error.code : 'JOB.STEP_CRASHED' } }).catch(() => undefined);
        throw error;
      }
    },
  };
}
