/**
 * Turns what the Graph client throws into the domain's UPSTREAM.* errors. The client throws a
 * GraphError for HTTP failures (statusCode + Graph's error code) and for transport or credential
 * failures (statusCode -1, code = the original error's name).
 */
import { GraphError } from '@microsoft/microsoft-graph-client';
import { DomainError } from '../../domain/domain-error';

export const statusOf = (e: unknown): number => (e instanceof GraphError ? e.statusCode : -1);

export function toDomainError(e: unknown, action: string): DomainError {
  if (e instanceof DomainError) return e;
  const status = statusOf(e);
  const code = e instanceof GraphError ? (e.code ?? undefined) : undefined;
  const details: Record<string, unknown> = { service: 'graph', action, status, graphCode: code };

  if (status === 401 || status === 403 || /^Authentication(Required)?Error$/.test(code ?? '')) {
    return new DomainError('UPSTREAM.FORBIDDEN', `Microsoft Graph refused to let me ${action} (${code ?? status}).`, details);
  }
  if (status === 429) {
    const retryAfter = Number(e instanceof GraphError ? e.headers?.get('retry-after') : undefined);
    if (Number.isFinite(retryAfter)) details.retryAfterSeconds = retryAfter;
    return new DomainError('UPSTREAM.THROTTLED', `Microsoft Graph is throttling requests to ${action}.`, details);
  }
  // 5xx, timeouts, refused or dropped connections, and any 4xx we did not expect (a query Graph
  // rejects is our bug, but for the person asking the service is simply not answering).
  return new DomainError('UPSTREAM.UNAVAILABLE', `Microsoft Graph did not answer a request to ${action} (${code ?? status}).`, details);
}
