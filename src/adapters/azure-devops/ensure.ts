/**
 * Find-then-create for writes that are not safe to repeat blindly. A create that failed with a
 * server error, a timeout or a dropped connection may still have happened, so it is never simply
 * sent again: the loop backs off (honouring Retry-After), finds again, and creates only if the
 * object is still missing. A 409 means someone (maybe our own lost attempt) got there first: find
 * again, and if it is still missing the conflict is real.
 */
import type { DomainError } from '../../domain/domain-error';
import { retryDecision, statusOf, toDomainError, type CallContext } from './azure-devops-failures';
import { backoffDelay, sleep, type RetryPolicy } from './retry';

export interface EnsureSteps<T> {
  /** Reads (retried on their own); undefined when the object does not exist yet. */
  find(): Promise<T | undefined>;
  /** One attempt; may throw a DomainError for a final answer (e.g. a 404 resolved to null). */
  create(): Promise<T>;
  /** The error for a 409 that a fresh find does not explain; default: the upstream failure. */
  conflict?(error: unknown): DomainError;
  /** A 409 means "the base moved" (a stale ref): find and try again instead of failing. */
  retryConflicts?: boolean;
}

export interface Ensured<T> {
  value: T;
  /** True when this call made it (or a create of ours whose answer was lost evidently did). */
  created: boolean;
}

export async function ensure<T>(policy: RetryPolicy, ctx: CallContext, steps: EnsureSteps<T>): Promise<Ensured<T>> {
  let outcomeUnknown = false;
  let lastError: unknown;
  for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
    const found = await steps.find();
    if (found !== undefined) return { value: found, created: outcomeUnknown };
    try {
      return { value: await steps.create(), created: true };
    } catch (error) {
      lastError = error;
      if (statusOf(error) === 409) {
        if (steps.retryConflicts) continue;
        const after = await steps.find();
        if (after !== undefined) return { value: after, created: outcomeUnknown };
        throw steps.conflict?.(error) ?? toDomainError(error, ctx);
      }
      const decision = retryDecision(error);
      if (!decision.retry) throw toDomainError(error, ctx);
      outcomeUnknown = true;
      const delay = decision.afterMs ?? backoffDelay(attempt, policy);
      if (attempt === policy.maxAttempts || delay > policy.maxRetryAfterMs) break;
      await sleep(delay);
    }
  }
  // Out of attempts: the last create may still have landed.
  const found = await steps.find();
  if (found !== undefined) return { value: found, created: outcomeUnknown };
  if (statusOf(lastError) === 409 && steps.conflict) throw steps.conflict(lastError);
  throw toDomainError(lastError, ctx);
}
