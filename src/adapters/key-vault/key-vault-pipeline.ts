/**
 * Pipeline policies added to every SecretClient (each runs once per attempt, inside the SDK's
 * retry loop):
 * - `dropSecretValues`: the `value` of every secret bundle the vault sends back (set and get both
 *   echo it) is removed before the SDK parses the answer, so no value read back ever exists in
 *   this process;
 * - `capRetryAfter`: the SDK waits for any Retry-After, however long; a longer wait than the cap is
 *   not ours to sit through (Teams gives up after 15 s), so its header is moved aside and the 429
 *   surfaces at once as UPSTREAM.THROTTLED with the seconds the vault asked for;
 * - `requestTimeout`: the SDK has no timeout by default; a vault that never answers must fail.
 *   (A timed-out attempt ends the call: the SDK does not retry an abort.)
 */
import type { SecretClientOptions } from '@azure/keyvault-secrets';

type AdditionalPolicy = NonNullable<SecretClientOptions['additionalPolicies']>[number];
type PipelinePolicy = AdditionalPolicy['policy'];

/** Where the capped Retry-After (in seconds) is kept for the failure mapping. */
export const CAPPED_RETRY_AFTER_HEADER = 'x-idp-retry-after';
const RETRY_AFTER_HEADERS = ['retry-after-ms', 'x-ms-retry-after-ms', 'retry-after'];

const dropSecretValues: PipelinePolicy = {
  name: 'idpDropSecretValues',
  async sendRequest(request, next) {
    const response = await next(request);
    const text = response.bodyAsText;
    if (response.status < 300 && text && text.includes('"value"')) {
      try {
        const body = JSON.parse(text) as Record<string, unknown>;
        // A bundle's value is a string; a list page's `value` is its array of items (kept).
        if (body && typeof body.value === 'string') {
          delete body.value;
          response.bodyAsText = JSON.stringify(body);
        }
      } catch {
        /* not JSON: the SDK reports it */
      }
    }
    return response;
  },
};

function capRetryAfter(maxMs: number): PipelinePolicy {
  return {
    name: 'idpCapRetryAfter',
    async sendRequest(request, next) {
      const response = await next(request);
      const ms = retryAfterMs(response.headers);
      if (ms !== undefined && ms > maxMs) {
        for (const h of RETRY_AFTER_HEADERS) response.headers.delete(h);
        response.headers.set(CAPPED_RETRY_AFTER_HEADER, String(Math.ceil(ms / 1000)));
      }
      return response;
    },
  };
}

/**
 * Each attempt aborts after `ms`. Done with our own signal, not the request's `timeout`: the SDK's
 * Node client leaves that timer running after a failed connect, holding the process up to `ms`.
 */
function requestTimeout(ms: number): PipelinePolicy {
  return {
    name: 'idpRequestTimeout',
    async sendRequest(request, next) {
      const outer = request.abortSignal;
      const controller = new AbortController();
      const abort = () => controller.abort();
      outer?.addEventListener('abort', abort);
      const timer = setTimeout(abort, ms);
      request.abortSignal = controller.signal;
      try {
        return await next(request);
      } finally {
        clearTimeout(timer);
        outer?.removeEventListener('abort', abort);
        request.abortSignal = outer;
      }
    },
  };
}

/** Retry-After as the SDK reads it: milliseconds headers first, then seconds or an HTTP date. */
export function retryAfterMs(headers: { get(name: string): string | undefined }): number | undefined {
  for (const h of RETRY_AFTER_HEADERS) {
    const raw = headers.get(h);
    if (raw === undefined || raw === '') continue;
    const n = Number(raw);
    if (Number.isFinite(n)) return h === 'retry-after' ? n * 1000 : n;
    const date = Date.parse(raw);
    if (Number.isFinite(date)) return Math.max(0, date - Date.now());
  }
  return undefined;
}

export function keyVaultPolicies(options: { maxRetryAfterMs: number; requestTimeoutMs: number }): AdditionalPolicy[] {
  return [
    { policy: requestTimeout(options.requestTimeoutMs), position: 'perRetry' },
    { policy: capRetryAfter(options.maxRetryAfterMs), position: 'perRetry' },
    { policy: dropSecretValues, position: 'perRetry' },
  ];
}
