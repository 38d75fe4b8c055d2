/**
 * Structured logs (pino). Authorization headers and anything named like a secret are redacted
 * wherever they appear in a logged object; a turn's logger carries its activity id.
 */
import pino, { type Logger, type DestinationStream } from 'pino';

export type { Logger };

const SECRET_KEYS = [
  'authorization', 'Authorization', 'password', 'secret', 'token', 'accessToken', 'access_token',
  'clientSecret', 'client_secret', 'apiKey', 'pat', 'value', 'MicrosoftAppPassword', 'AZURE_CLIENT_SECRET',
  'AZURE_DEVOPS_PAT', 'cookie', 'set-cookie',
];

/** Paths pino redacts: the key at top level, one and two levels deep, and in request headers. */
export const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  ...SECRET_KEYS.map((k) => `*.*.${k}`),
  'req.headers.authorization',
  'headers.authorization',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'idp-bot' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
