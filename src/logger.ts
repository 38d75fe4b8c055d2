/**
 * Structured logs (pino). Authorization headers and anything named like a secret are redacted
 * wherever they appear in a logged object; a logged request or response is reduced to method,
 * path and status (restify logs `{ req }` whole when a reply cannot be formatted: its rawHeaders
 * carried the Bearer token); an error keeps its message and stack but not the requests hanging
 * off it (SDK errors carry request/response objects with headers). A turn's logger carries its
 * activity id.
 */
import pino, { type Logger, type DestinationStream } from 'pino';

export type { Logger };

const SECRET_KEYS = [
  'authorization', 'Authorization', 'password', 'secret', 'token', 'accessToken', 'access_token',
  'clientSecret', 'client_secret', 'apiKey', 'pat', 'value', 'MicrosoftAppPassword', 'AZURE_CLIENT_SECRET',
  'AZURE_DEVOPS_PAT', 'cookie', 'set-cookie',
];

/** Header containers: never worth a log line, often holding a credential. */
const HEADER_KEYS = ['headers', 'rawHeaders', '_headers', 'rawTrailers'];

/** Paths pino redacts: the key at top level, one and two levels deep, and in request headers. */
const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  ...SECRET_KEYS.map((k) => `*.*.${k}`),
  ...HEADER_KEYS,
  ...HEADER_KEYS.map((k) => `*.${k}`),
  ...HEADER_KEYS.map((k) => `*.*.${k}`),
];

/** Keys of an error that hold request-like objects (http, axios, Azure SDK, restify). */
const REQUEST_KEYS = new Set(['request', 'response', 'req', 'res', 'socket', 'config', 'agent', ...HEADER_KEYS]);

interface RequestLike {
  method?: string;
  url?: string;
  statusCode?: number;
}

/** Method and path only: no headers, no query string (tokens travel there too). */
function requestSerializer(req: RequestLike): Record<string, unknown> {
  return { method: req?.method, path: typeof req?.url === 'string' ? req.url.split('?')[0] : undefined };
}

function responseSerializer(res: RequestLike): Record<string, unknown> {
  return { statusCode: res?.statusCode };
}

/** pino's error serializer, then every request-like value dropped, in causes too. */
function errorSerializer(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  return withoutRequests(pino.stdSerializers.err(err), 0);
}

function withoutRequests(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null || depth > 4) return value;
  if (Array.isArray(value)) return value.map((v) => withoutRequests(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (!REQUEST_KEYS.has(key)) out[key] = withoutRequests(v, depth + 1);
  return out;
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'idp-bot' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { err: errorSerializer, error: errorSerializer, req: requestSerializer, res: responseSerializer },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
