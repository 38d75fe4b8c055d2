/**
 * The one place that turns error codes into what a person reads in chat. Never a stack trace,
 * never a secret; always a reference the platform team can find in the logs.
 */
import { isDomainError } from '../domain/shared/domain-error';

const BY_CODE: Record<string, (message: string) => string> = {
  'FEEDBACK.INVALID': (m) => m,
  'ACCESS.DENIED': (m) => `You are not allowed to do that: ${m}`,
  'UPSTREAM.UNAVAILABLE': () => 'A service I depend on is not answering right now. Please try again in a minute.',
  'UPSTREAM.THROTTLED': () => 'A service I depend on is busy (throttled). Please try again in a minute.',
  'UPSTREAM.FORBIDDEN': (m) => `I lack a permission: ${m}`,
};

export function userMessageFor(error: unknown, reference: string): string {
  if (isDomainError(error)) {
    const render = BY_CODE[error.code] ?? BY_CODE[error.code.split('.')[0] + '.*'];
    if (render) return render(error.message);
    // Domain errors are written for people: safe to show.
    return error.message;
  }
  return `Sorry, something went wrong on my side. The platform team can trace it with reference ${reference}.`;
}
