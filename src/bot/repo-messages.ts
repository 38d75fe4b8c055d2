/** What a person reads about a failed repository job step: the bot edge's wording plus what could not be done. */
import type { StepError } from '../domain/jobs/jobs.types';
import { DomainError } from '../domain/shared/domain-error';
import { userMessageFor } from './user-messages';

/** Codes whose generic wording drops the specifics (which call, which project); those are added back. */
const ADD_DETAIL = new Set(['UPSTREAM.UNAVAILABLE', 'UPSTREAM.THROTTLED', 'JOB.STEP_ABANDONED']);

export function stepFailureText(error: StepError, jobId: string): string {
  const text = userMessageFor(new DomainError(error.code, error.message), `job ${jobId}`);
  if (error.code === 'JOB.STEP_CRASHED') return `Something went wrong on my side. The platform team can trace it with reference job ${jobId}.`;
  return ADD_DETAIL.has(error.code) && !text.includes(error.message) ? `${text} (${error.message})` : text;
}
