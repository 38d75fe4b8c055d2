/**
 * How a failed Azure DevOps call is read: which failures are worth retrying, and the DomainError
 * each one becomes. azure-devops-node-api rejects with an Error carrying `statusCode` and
 * `responseHeaders` for HTTP failures, and with Node's socket errors (`code`) or typed-rest-client's
 * "Request timeout: ..." Error when the connection drops or stalls.
 */
import { DomainError } from '../../domain/domain-error';
import { parseRetryAfter, type RetryDecision } from './retry';

export interface CallContext {
  /** What we were doing, in words: "list repositories". */
  operation: string;
  /** The permission the call needs, as Azure DevOps names it: "Code (Read)". */
  permission: string;
  project?: string;
}

interface HttpFailure {
  statusCode?: number;
  responseHeaders?: Record<string, string | string[] | undefined>;
  code?: string;
  message?: string;
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

export const statusOf = (error: unknown): number | undefined => {
  const status = (error as HttpFailure | undefined)?.statusCode;
  return typeof status === 'number' ? status : undefined;
};

const retryAfterMs = (error: unknown): number | undefined => parseRetryAfter((error as HttpFailure).responseHeaders?.['retry-after']);

function isNetworkFailure(error: unknown): boolean {
  const e = error as HttpFailure | undefined;
  if (!e || statusOf(e) !== undefined) return false;
  return (e.code !== undefined && NETWORK_CODES.has(e.code)) || /^Request timeout|socket hang up/i.test(e.message ?? '');
}

/** Throttling, server errors, timeouts and dropped connections are transient; everything else is final. */
export function retryDecision(error: unknown): RetryDecision {
  const status = statusOf(error);
  if (status === 429 || status === 503) return { retry: true, afterMs: retryAfterMs(error) };
  if ((status !== undefined && status >= 500) || isNetworkFailure(error)) return { retry: true };
  return { retry: false };
}

/** The DomainError for a failure that retries did not cure. Messages never carry credentials. */
export function toDomainError(error: unknown, ctx: CallContext): DomainError {
  if (error instanceof DomainError) return error;
  const status = statusOf(error);
  const where = ctx.project ? `in project "${ctx.project}"` : 'in the organisation';
  const upstreamMessage = error instanceof Error ? error.message.slice(0, 300) : undefined;
  const details = { service: 'azure-devops', operation: ctx.operation, project: ctx.project, status, upstreamMessage };
  if (status === 401 || status === 403) {
    return new DomainError(
      'UPSTREAM.FORBIDDEN',
      `Azure DevOps refused to ${ctx.operation} (HTTP ${status}): the bot's credentials need "${ctx.permission}" ${where}.`,
      { ...details, permission: ctx.permission },
    );
  }
  if (status === 429) {
    const retryAfterSeconds = Math.ceil((retryAfterMs(error) ?? 0) / 1000) || undefined;
    return new DomainError('UPSTREAM.THROTTLED', `Azure DevOps is throttling requests; could not ${ctx.operation} ${where}.`, { ...details, retryAfterSeconds });
  }
  if ((status !== undefined && status >= 500) || isNetworkFailure(error)) {
    const cause = status !== undefined ? `HTTP ${status}` : ((error as HttpFailure).code ?? 'timeout');
    return new DomainError('UPSTREAM.UNAVAILABLE', `Azure DevOps is unavailable (${cause}); could not ${ctx.operation} ${where}.`, details);
  }
  return new DomainError('UPSTREAM.FAILED', `Azure DevOps could not ${ctx.operation} ${where} (${status !== undefined ? `HTTP ${status}` : 'unexpected response'}).`, details);
}
