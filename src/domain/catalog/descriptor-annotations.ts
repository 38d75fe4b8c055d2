/**
 * The annotations this catalog reads from descriptors, beyond Backstage's own fields, and how their
 * values are written. A malformed value is a DescriptorFieldError naming the annotation and why.
 */
import type { OnCall, Person } from './catalog.types';

export const ANNOTATIONS = {
  projectRepo: 'dev.azure.com/project-repo',
  buildDefinition: 'dev.azure.com/build-definition',
  aliases: 'idp.dev/aliases',
  tier: 'idp.dev/tier',
  secretPrefix: 'idp.dev/keyvault-secret-prefix',
  teamsChannelUrl: 'idp.dev/teams-channel-url',
  email: 'idp.dev/email',
  onCallRotation: 'idp.dev/oncall-rotation',
  onCallCurrent: 'idp.dev/oncall-current',
  onCallEscalation: 'idp.dev/oncall-escalation',
  /** Entra object ids, as Backstage's Microsoft Graph provider writes them. */
  graphUserId: 'graph.microsoft.com/user-id',
  graphGroupId: 'graph.microsoft.com/group-id',
} as const;

/** A field of an otherwise well-formed descriptor that this catalog cannot use. */
export class DescriptorFieldError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'DescriptorFieldError';
  }
}

const EMAIL = /^[^\s@<>,]+@[^\s@<>,]+\.[^\s@<>,]+$/;
const field = (key: string) => `metadata.annotations["${key}"]`;

export const list = (value: string | undefined): string[] => [...new Set((value ?? '').split(',').map((s) => s.trim()).filter(Boolean))];

export function email(value: string, key: string): string {
  const v = value.trim();
  if (!EMAIL.test(v)) throw new DescriptorFieldError(field(key), `expected an email address, got "${value}"`);
  return v;
}

export function httpsUrl(value: string, key: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new DescriptorFieldError(field(key), `expected an https URL, got "${value}"`);
  }
  if (url.protocol !== 'https:') throw new DescriptorFieldError(field(key), `expected an https URL, got "${value}"`);
  return url.toString();
}

/** `Project/repo` (Azure DevOps). */
export function projectRepo(value: string, key: string): { project: string; name: string } {
  const m = /^([^/]+)\/([^/]+)$/.exec(value.trim());
  if (!m) throw new DescriptorFieldError(field(key), `expected "Project/repository", got "${value}"`);
  return { project: m[1]!.trim(), name: m[2]!.trim() };
}

/** `Name <email>`, or a bare email, or a bare name. */
export function person(value: string, key: string): Person {
  const v = value.trim();
  const m = /^(.*?)\s*<([^<>]*)>$/.exec(v);
  if (m) {
    const address = email(m[2]!, key);
    return { name: m[1]!.trim() || address, email: address };
  }
  if (v.includes('@')) return { name: v, email: email(v, key) };
  if (!v || /[<>]/.test(v)) throw new DescriptorFieldError(field(key), `expected "Name <email>", got "${value}"`);
  return { name: v };
}

/** `Name <email>, Name <email>`: commas inside <...> do not split. */
export function people(value: string, key: string): Person[] {
  return value
    .split(/,(?![^<]*>)/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => person(s, key));
}

export function onCallFrom(annotations: Record<string, string>): OnCall | undefined {
  const rotation = annotations[ANNOTATIONS.onCallRotation]?.trim();
  const current = annotations[ANNOTATIONS.onCallCurrent];
  const escalation = annotations[ANNOTATIONS.onCallEscalation];
  if (!rotation && !current && !escalation) return undefined;
  return {
    ...(rotation ? { rotation } : {}),
    ...(current ? { current: person(current, ANNOTATIONS.onCallCurrent) } : {}),
    escalation: escalation ? people(escalation, ANNOTATIONS.onCallEscalation).map((p, i) => ({ ...p, level: i + 1 })) : [],
  };
}
