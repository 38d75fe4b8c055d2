/**
 * Microsoft Graph JSON batching (`POST /v1.0/$batch`) for the Graph stand-in, as Graph v1.0
 * documents it: up to 20 requests, each with a unique `id`, `method`, a relative `url`, optional
 * `headers` and `body` (a body needs a Content-Type header) and `dependsOn` (ids of requests that
 * must run first). A request whose dependency failed (status >= 400) is not run and answers 424.
 * The batch answers 200 with one response per request (`id`, `status`, `headers`, `body`) unless
 * the batch itself is malformed (400). Each inner request goes through the stand-in's own routes,
 * so permissions, faults and the request log apply to it exactly as to a direct call.
 */
import type { StandInResponse } from './standin-server';

export const MAX_BATCH_REQUESTS = 20;

export interface BatchInnerRequest {
  id: string;
  method: string;
  /** Relative to the version, with its query: `/teams/{id}/members?$filter=...`. */
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}

export interface BatchInnerResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

export type BatchOutcome = { ok: true; responses: BatchInnerResponse[] } | { ok: false; code: string; message: string };

type Send = (request: BatchInnerRequest) => Promise<StandInResponse>;

const asRecord = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

/** Validates the batch, runs its requests (dependencies first) and collects the answers in request order. */
export async function runBatch(body: unknown, send: Send, errorBody: (code: string, message: string) => unknown): Promise<BatchOutcome> {
  const raw = asRecord(body)?.requests;
  if (!Array.isArray(raw) || raw.length === 0) return { ok: false, code: 'BadRequest', message: 'Invalid batch payload format.' };
  if (raw.length > MAX_BATCH_REQUESTS) return { ok: false, code: 'BadRequest', message: `The number of requests in the batch exceeds the limit of ${MAX_BATCH_REQUESTS}.` };

  const requests: (BatchInnerRequest & { dependsOn: string[] })[] = [];
  for (const item of raw) {
    const r = asRecord(item);
    const id = r?.id;
    if (!r || (typeof id !== 'string' && typeof id !== 'number') || typeof r.method !== 'string' || typeof r.url !== 'string') {
      return { ok: false, code: 'BadRequest', message: 'Every batch request needs an id, a method and a url.' };
    }
    if (requests.some((q) => q.id === String(id))) return { ok: false, code: 'BadRequest', message: `Batch request id '${String(id)}' is not unique.` };
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(asRecord(r.headers) ?? {})) headers[k.toLowerCase()] = String(v);
    const dependsOn = Array.isArray(r.dependsOn) ? r.dependsOn.map(String) : [];
    requests.push({ id: String(id), method: r.method.toUpperCase(), url: r.url, headers, body: r.body, dependsOn });
  }
  for (const r of requests) {
    const unknown = r.dependsOn.find((d) => !requests.some((q) => q.id === d) || d === r.id);
    if (unknown !== undefined) return { ok: false, code: 'BadRequest', message: `Batch request '${r.id}' depends on '${unknown}', which is not in the batch.` };
  }

  const done = new Map<string, BatchInnerResponse>();
  const running = new Set<string>();
  const run = async (r: (typeof requests)[number]): Promise<BatchInnerResponse | 'cycle'> => {
    const finished = done.get(r.id);
    if (finished) return finished;
    if (running.has(r.id)) return 'cycle';
    running.add(r.id);
    let failedDependency = false;
    for (const d of r.dependsOn) {
      const dep = await run(requests.find((q) => q.id === d)!);
      if (dep === 'cycle') return 'cycle';
      if (dep.status >= 400) failedDependency = true;
    }
    const response = failedDependency ? failed(r.id, 424, 'FailedDependency', 'A request this one depends on failed.', errorBody) : await runOne(r, send, errorBody);
    done.set(r.id, response);
    return response;
  };
  for (const r of requests) {
    if ((await run(r)) === 'cycle') return { ok: false, code: 'BadRequest', message: 'The batch requests depend on each other in a cycle.' };
  }
  return { ok: true, responses: requests.map((r) => done.get(r.id)!) };
}

async function runOne(r: BatchInnerRequest, send: Send, errorBody: (code: string, message: string) => unknown): Promise<BatchInnerResponse> {
  if (/^[a-z]+:\/\//i.test(r.url)) return failed(r.id, 400, 'BadRequest', 'Batch request URLs must be relative.', errorBody);
  if (r.body !== undefined && !r.headers['content-type']) return failed(r.id, 400, 'BadRequest', 'Content-Type header is required when a body is given.', errorBody);
  const answer = await send(r);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(answer.headers ?? {})) headers[k.toLowerCase() === 'retry-after' ? 'Retry-After' : k] = v;
  const hasBody = answer.body !== undefined && answer.status !== 204;
  if (hasBody) headers['Content-Type'] ??= 'application/json';
  return { id: r.id, status: answer.status, headers, ...(hasBody ? { body: answer.body } : {}) };
}

function failed(id: string, status: number, code: string, message: string, errorBody: (code: string, message: string) => unknown): BatchInnerResponse {
  return { id, status, headers: { 'Content-Type': 'application/json' }, body: errorBody(code, message) };
}
