/**
 * A @azure/core-rest-pipeline policy that reports every HTTP attempt (status, seconds) to the
 * metrics: added "per retry" (after the retry policy), so each retry is its own attempt and a 429
 * the SDK waits out is still counted. Used by Key Vault, ARM, @azure/identity (Entra token
 * requests) and the Bot Connector client, which all send through such a pipeline.
 */
import { isRestError, type PipelinePolicy } from '@azure/core-rest-pipeline';
import type { UpstreamRecorder } from '../../domain/metrics/instruments.port';

export const REQUEST_TIMING_POLICY = 'idpRequestTiming';

export function requestTimingPolicy(record: UpstreamRecorder): PipelinePolicy {
  return {
    name: REQUEST_TIMING_POLICY,
    async sendRequest(request, next) {
      const began = performance.now();
      let status = 0;
      try {
        const response = await next(request);
        status = response.status;
        return response;
      } catch (error) {
        // A RestError carrying a status is an answer; anything else (abort, reset, DNS) is none.
        if (isRestError(error) && error.statusCode) status = error.statusCode;
        throw error;
      } finally {
        record(status, (performance.now() - began) / 1000);
      }
    },
  };
}

/** The same policy as an `additionalPolicies` entry of an Azure SDK client's options. */
export const requestTimingEntry = (record: UpstreamRecorder) => ({ policy: requestTimingPolicy(record), position: 'perRetry' as const });
