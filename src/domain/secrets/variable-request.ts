/**
 * The words of `set variable NAME=value for <service> in <env>`, `set secret variable NAME for
 * <service> in <env>` (or `set variable NAME secret for ...`) and `list variables for <service>
 * [in <env>]`. A value typed for a secret variable is dropped here and never repeated back.
 */
export type VariableCommand =
  | { kind: 'plain'; name: string; value: string; service: string; env: string }
  | { kind: 'secret'; name: string; service: string; env: string; options: string }
  /** A value was typed for a variable marked secret: refused without repeating it. */
  | { kind: 'secret-with-value'; name: string; service: string; env: string }
  | { kind: 'unreadable'; problems: string[] };

const TARGET = /\s+for\s+(?<service>[^\s=]+)\s+in\s+(?<env>[^\s=]+)(?<options>(?:\s+\S+=\S+)*)\s*$/i;
const SECRET = /^\s*set\s+(?:a\s+)?secret\s+(?:pipeline\s+)?variable\s+(?<name>[^\s=]+)(?<rest>.*)$/is;
const PLAIN = /^\s*set\s+(?:a\s+)?(?:pipeline\s+)?variable\s+(?<name>[^\s=]+)(?<assign>=(?<value>"[^"]*"|'[^']*'|[^\s"']\S*)?)?(?<marked>\s+(?:as\s+)?secret)?(?<rest>.*)$/is;

const USAGE = 'for example: set variable LOG_LEVEL=debug for payments-api in dev, or set secret variable DB_PASSWORD for payments-api in dev';

export function parseVariableCommand(text: string): VariableCommand {
  const secret = SECRET.exec(text);
  if (secret) {
    const target = TARGET.exec(secret.groups!.rest!);
    if (!target || secret.groups!.rest!.slice(0, target.index).trim()) return { kind: 'unreadable', problems: ['I need: set secret variable NAME for <service> in <env> (no value: it is generated, or add value=type to type it in a private dialog)', USAGE] };
    return { kind: 'secret', name: secret.groups!.name!, service: target.groups!.service!, env: target.groups!.env!, options: target.groups!.options!.trim() };
  }
  const plain = PLAIN.exec(text);
  const target = plain ? TARGET.exec(plain.groups!.rest!) : null;
  // Nothing between the value and "for": anything else means the value was not quoted.
  if (!plain || !target || plain.groups!.rest!.slice(0, target.index).trim()) {
    // Never echo the text: it may hold a value.
    return { kind: 'unreadable', problems: ['I need: set variable NAME=value for <service> in <env> (quote a value with spaces: NAME="a b")', USAGE] };
  }
  const { name, assign, value, marked } = plain.groups!;
  const where = { name: name!, service: target.groups!.service!, env: target.groups!.env! };
  if (marked) return assign ? { kind: 'secret-with-value', ...where } : { kind: 'secret', ...where, options: target.groups!.options!.trim() };
  if (target.groups!.options!.trim()) return { kind: 'unreadable', problems: ['a plain variable takes no options after the environment', USAGE] };
  if (!assign) return { kind: 'unreadable', problems: [`${name} has no value: set variable ${name}=value for ${where.service} in ${where.env}, or set secret variable ${name} for ${where.service} in ${where.env}`] };
  const v = value ?? '';
  return { kind: 'plain', ...where, value: /^(["']).*\1$/s.test(v) ? v.slice(1, -1) : v };
}

/** `list variables for <service> [in <env>]` -> the target, or null. */
export function parseListVariables(text: string): { service: string; env?: string } | null {
  const m = /^\s*(?:list|show)\s+(?:pipeline\s+)?variables\s+(?:for|of)\s+(?<service>[^\s=]+)(?:\s+in\s+(?<env>[^\s=]+))?\s*$/i.exec(text);
  return m ? { service: m.groups!.service!, ...(m.groups!.env ? { env: m.groups!.env } : {}) } : null;
}

/** A pipeline variable name as the part of a Key Vault secret name (DB_PASSWORD -> db-password). */
export const secretPartOf = (name: string): string => name.trim().toLowerCase().replace(/[_.]+/g, '-');
