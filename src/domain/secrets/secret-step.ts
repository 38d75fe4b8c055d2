/**
 * Every step of a secret job leaves an audit record: the bot identity that executed it, the
 * requester and approver, which secret (service, environment, stored name), how it ended, and
 * what the step returned (versions, assignment names, links: never a value).
 */
import type { AuditLog } from '../audit/audit.port';
import { recordedStep, type StepDefinition } from '../audit/audited-step';
import { DomainError, isDomainError } from '../domain-error';
import type { JobStepDefinition } from '../jobs/jobs.types';
import { generateSecret } from './secret-generator';
import type { SecretStore } from './secret-store.port';
import type { SecretPlan } from './secrets.types';

/** The tag naming the request that wrote a version (how a re-run finds it). */
export const REQUEST_TAG = 'idp-request';

export interface SecretJobInput {
  plan: SecretPlan;
  target: string;
  approvedBy?: { id: string; name: string };
}

export function secretStep<TInput extends SecretJobInput>(
  deps: { audit: AuditLog; botIdentity: string },
  /** `secret.create`, `secret.rotate`. */
  action: string,
  def: StepDefinition<TInput>,
): JobStepDefinition<TInput> {
  return recordedStep(deps.audit, action, def, (ctx) => {
    const { plan, approvedBy, target } = ctx.input;
    return {
      actor: deps.botIdentity,
      actorName: 'IDP bot',
      target,
      details: { jobId: ctx.jobId, attempt: ctx.attempt, service: plan.service.name, env: plan.env, name: plan.vaultName, requestedBy: plan.requester.id, ...(approvedBy ? { approvedBy: approvedBy.id } : {}) },
    };
  });
}

/**
 * The `store` step of a secret job: the version this request wrote (a re-run finds it by its tag),
 * else a generated value written now; a typed value must have been written by the dialog already.
 */
export async function storeRequestVersion(
  deps: { store: Pick<SecretStore, 'setSecret' | 'listVersions'>; generator: { length: number; alphabet: string }; tagsFor(plan: SecretPlan, requestKey: string): Record<string, string> },
  plan: SecretPlan,
  requestKey: string,
  now: Date,
): Promise<{ version: string; already?: true }> {
  const versions = await deps.store.listVersions(plan.vault.url, plan.vaultName).catch((e: unknown) => (isDomainError(e) && e.code === 'SECRETS.NOT_FOUND' ? [] : Promise.reject(e)));
  const mine = versions.find((v) => v.tags[REQUEST_TAG] === requestKey);
  if (mine) return { version: mine.version, already: true };
  if (plan.valueSource === 'type') throw new DomainError('SECRETS.VALUE_MISSING', `no typed value stored for ${requestKey}`, { name: plan.vaultName });
  const stored = await deps.store.setSecret(plan.vault.url, plan.vaultName, {
    value: generateSecret(deps.generator.length, deps.generator.alphabet),
    tags: deps.tagsFor(plan, requestKey),
    ...(plan.expiresOn ? { expiresOn: new Date(plan.expiresOn) } : {}),
    notBefore: now,
  });
  return { version: stored.version };
}
