/**
 * Sends Graph JSON batches (`POST /$batch`, at most 20 requests each) through the Graph client and
 * hands back one answer per request. Requests travel in groups that must share a batch (one
 * `dependsOn` chain); groups are packed in order, batches go one after another, so a request in a
 * later batch runs after everything in an earlier one. A batch that fails as a whole gives every
 * request in it that failure as its answer (status -1 for transport failures).
 */
import type { Client } from '@microsoft/microsoft-graph-client';
import { statusOf } from './graph-errors';

export const GRAPH_BATCH_LIMIT = 20;

export interface BatchRequest {
  id: string;
  method: 'GET' | 'POST' | 'DELETE';
  /** Relative to the version: `/teams/{id}/members`. */
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  dependsOn?: string[];
}

export interface BatchAnswer {
  status: number;
  body?: unknown;
  /** Seconds, from a 429's Retry-After (inner or outer). */
  retryAfterSeconds?: number;
  /** Graph's error code and message when the request failed. */
  code?: string;
  message?: string;
}

/** Packs the groups into batches of at most GRAPH_BATCH_LIMIT requests (a bigger group is split in order). */
export function packBatches(groups: BatchRequest[][]): BatchRequest[][] {
  const batches: BatchRequest[][] = [];
  let current: BatchRequest[] = [];
  const flush = () => {
    if (current.length) batches.push(current);
    current = [];
  };
  for (const group of groups) {
    if (current.length + group.length > GRAPH_BATCH_LIMIT) flush();
    for (let i = 0; i < group.length; i += GRAPH_BATCH_LIMIT) {
      const part = group.slice(i, i + GRAPH_BATCH_LIMIT);
      if (i > 0) flush();
      current.push(...part);
    }
  }
  flush();
  // A dependency left in an earlier batch already ran: drop it, Graph refuses ids outside the batch.
  return batches.map((batch) => batch.map((r) => (r.dependsOn ? { ...r, dependsOn: r.dependsOn.filter((d) => batch.some((q) => q.id === d)) } : r)));
}

export async function sendBatches(client: Client, groups: BatchRequest[][]): Promise<Map<string, BatchAnswer>> {
  const answers = new Map<string, BatchAnswer>();
  for (const batch of packBatches(groups)) {
    const requests = batch.map((r) => ({
      id: r.id,
      method: r.method,
      url: r.url,
      ...(r.body !== undefined ? { body: r.body, headers: { 'Content-Type': 'application/json', ...r.headers } } : r.headers ? { headers: r.headers } : {}),
      ...(r.dependsOn?.length ? { dependsOn: r.dependsOn } : {}),
    }));
    try {
      const result = (await client.api('/$batch').post({ requests })) as { responses?: InnerResponse[] };
      for (const response of result.responses ?? []) answers.set(String(response.id), toAnswer(response));
    } catch (e) {
      const failure = outerFailure(e);
      for (const r of batch) answers.set(r.id, failure);
    }
    // Graph answers every request; one it left out counts as not answered.
    for (const r of batch) if (!answers.has(r.id)) answers.set(r.id, { status: -1, message: 'The batch gave no answer for this request.' });
  }
  return answers;
}

interface InnerResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

function toAnswer(r: InnerResponse): BatchAnswer {
  const header = Object.entries(r.headers ?? {}).find(([k]) => k.toLowerCase() === 'retry-after')?.[1];
  const retryAfter = header === undefined ? NaN : Number(header);
  const error = (r.body as { error?: { code?: string; message?: string } } | undefined)?.error;
  return {
    status: r.status,
    body: r.body,
    ...(Number.isFinite(retryAfter) ? { retryAfterSeconds: retryAfter } : {}),
    ...(error ? { code: error.code, message: error.message } : {}),
  };
}

function outerFailure(e: unknown): BatchAnswer {
  const status = statusOf(e);
  const err = e as { code?: string; message?: string; headers?: Headers };
  const retryAfter = Number(err.headers?.get?.('retry-after'));
  return { status, code: err.code ?? undefined, message: err.message, ...(Number.isFinite(retryAfter) ? { retryAfterSeconds: retryAfter } : {}) };
}
