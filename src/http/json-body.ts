/**
 * Reads a JSON request body, in place of restify's bodyParser on the routes that take one.
 * Only `application/json` (charset utf-8 at most): the parser also turned form posts with nested
 * keys into objects, so a browser page could post an activity cross-origin without a preflight.
 * No content-encoding: restify's reader counted compressed bytes against its limit, so a small
 * gzip could inflate past it. Bytes are counted as they arrive and reading stops at the limit,
 * chunked or not; nesting is bounded before JSON.parse builds anything.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface BodyLimits {
  maxBytes: number;
  /** Deepest nesting of objects and arrays accepted. */
  maxDepth: number;
}

export interface BodyRefusal {
  status: 400 | 413 | 415;
  error: string;
  message: string;
}
export type JsonBody = { ok: true; value: unknown } | ({ ok: false } & BodyRefusal);

export const DEFAULT_MAX_DEPTH = 64;

const JSON_MEDIA_TYPE = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

const refused = (status: BodyRefusal['status'], error: string, message: string): JsonBody => ({ ok: false, status, error, message });
const tooLarge = (maxBytes: number) => refused(413, 'PayloadTooLarge', `The body is larger than ${maxBytes} bytes.`);

/** Why the headers alone rule the body out, or null. */
function headerProblem(req: IncomingMessage, maxBytes: number): JsonBody | null {
  const type = String(req.headers['content-type'] ?? '').trim();
  if (!JSON_MEDIA_TYPE.test(type)) return refused(415, 'UnsupportedMediaType', `The body must be application/json (charset utf-8), not "${type.slice(0, 100) || 'none'}".`);
  const encoding = String(req.headers['content-encoding'] ?? '').trim().toLowerCase();
  if (encoding !== '' && encoding !== 'identity') return refused(415, 'UnsupportedMediaType', 'Compressed bodies (content-encoding) are not accepted.');
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) return tooLarge(maxBytes);
  return null;
}

/** Rejects only when the client goes away before the body ends (nobody left to answer). */
export async function readJsonBody(req: IncomingMessage, limits: BodyLimits): Promise<JsonBody> {
  const problem = headerProblem(req, limits.maxBytes);
  if (problem) return problem;
  const bytes = await readAtMost(req, limits.maxBytes);
  if (!bytes) return tooLarge(limits.maxBytes);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return refused(400, 'BadRequest', 'The body is not valid UTF-8.');
  }
  if (nestingDepth(text) > limits.maxDepth) return refused(400, 'BadRequest', `The JSON is nested deeper than ${limits.maxDepth} levels.`);
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return refused(400, 'BadRequest', `The body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The whole body, or undefined (reading stopped, nothing kept) once it passes maxBytes. */
function readAtMost(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = () => req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      chunks.length = 0;
      req.pause();
      settle();
      resolve(undefined);
    };
    const onEnd = () => {
      settle();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (e: Error) => {
      settle();
      reject(e);
    };
    const onClose = () => onError(new Error('the client closed the connection before the body ended'));
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

/** Deepest nesting of [ and { outside strings: one pass, no recursion (unlike a walk of the parsed value). */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/**
 * For an answer given before the body was read to its end: close the connection after it, so
 * Node does not go on reading (and throwing away) whatever the client still sends.
 */
export function closeAfterAnswer(req: IncomingMessage, res: ServerResponse): void {
  if (!req.complete) res.setHeader('connection', 'close');
}
