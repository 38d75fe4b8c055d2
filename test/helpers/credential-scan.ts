/**
 * Finds credentials in log lines: the secrets a bot was configured with (PAT, app password,
 * client secret, webhook token) and anything shaped like a bearer token or a JWT.
 */
import type { RunningBot } from '../../src/main';

export interface Secret {
  name: string;
  value: string;
}

const TOKEN_SHAPES: Secret[] = [
  { name: 'a Bearer JWT', value: String.raw`Bearer\s+ey[A-Za-z0-9_-]{6,}` },
  { name: 'a JWT', value: String.raw`eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*` },
];

/** Shorter values would match ordinary words. */
const MIN_SECRET_LENGTH = 8;

export function secretsOf(bot: Pick<RunningBot, 'config' | 'sandbox'>): Secret[] {
  const c = bot.config;
  const named: [string, string | undefined][] = [
    ['AZURE_DEVOPS_PAT', c.AZURE_DEVOPS_PAT],
    ['MicrosoftAppPassword', c.MicrosoftAppPassword],
    ['AZURE_CLIENT_SECRET', c.AZURE_CLIENT_SECRET],
    ['CATALOG_WEBHOOK_TOKEN', c.CATALOG_WEBHOOK_TOKEN ?? bot.sandbox?.webhookToken],
    ['METRICS_TOKEN', c.METRICS_TOKEN],
    ['PLATFORM_METRICS_TOKEN', c.PLATFORM_METRICS_TOKEN],
  ];
  return named.filter((n): n is [string, string] => (n[1]?.length ?? 0) >= MIN_SECRET_LENGTH).map(([name, value]) => ({ name, value }));
}

/** "line <n>: <name>" for every line holding a secret or a token-shaped string. */
export function credentialLeaks(lines: readonly string[], secrets: readonly Secret[]): string[] {
  const shapes = TOKEN_SHAPES.map((s) => ({ name: s.name, pattern: new RegExp(s.value) }));
  const leaks: string[] = [];
  lines.forEach((line, i) => {
    for (const s of secrets) if (line.includes(s.value)) leaks.push(`line ${i + 1}: ${s.name}`);
    for (const s of shapes) if (s.pattern.test(line)) leaks.push(`line ${i + 1}: ${s.name}`);
  });
  return leaks;
}
