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
  /** Group: the team lead (a User entity name or ref), who approves onboarding when the joiner has no manager. */
  teamLead: 'idp.dev/team-lead',
  /** Group: channels of its Teams team a joiner is added to (display names, comma-separated). */
  onboardingChannels: 'idp.dev/onboarding-channels',
  /** Group: directory groups a joiner is added to (display names, comma-separated). */
  onboardingGroups: 'idp.dev/onboarding-groups',
  /** Group: Azure DevOps project groups a joiner gets, `Project/Contributors, Project/Readers`. */
  devopsProjectGroups: 'dev.azure.com/project-groups',
  /** Component: the client id of the workload identity its pods run as (Azure Workload Identity's own annotation name). */
  workloadIdentityClientId: 'azure.workload.identity/client-id',
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

/** How problems name an annotation. */
export const annotationField = (key: string): string => `metadata.annotations["${key}"]`;

export const list = (value: string | undefined): string[] => [...new Set((value ?? '').split(',').map((s) => s.trim()).filter(Boolean))];

/** `field` names the value in a problem, e.g. annotationField(key) or "spec.profile.email". */
export function email(value: string, field: string): string {
  const v = value.trim();
  if (!EMAIL.test(v)) throw new DescriptorFieldError(field, `expected an email address, got "${value}"`);
  return v;
}

export function httpsUrl(value: string, field: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value.trim());
  } catch {
    // reported below
  }
  if (url?.protocol !== 'https:') throw new DescriptorFieldError(field, `expected an https URL, got "${value}"`);
  return value.trim();
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An Entra application (client) id: a GUID, kept lower-case. */
export function clientId(value: string, field: string): string {
  const v = value.trim();
  if (!GUID.test(v)) throw new DescriptorFieldError(field, `expected an application (client) id (a GUID), got "${value}"`);
  return v.toLowerCase();
}

/** `Project/repo` (Azure DevOps). */
export function projectRepo(value: string, field: string): { project: string; name: string } {
  const m = /^([^/]+)\/([^/]+)$/.exec(value.trim());
  if (!m) throw new DescriptorFieldError(field, `expected "Project/repository", got "${value}"`);
  return { project: m[1]!.trim(), name: m[2]!.trim() };
}

/** `Name <email>` (the name may be "quoted"), or a bare email, or a bare name. */
function person(value: string, field: string): Person {
  const v = value.trim();
  const m = /^(.*?)\s*<([^<>]*)>$/.exec(v);
  if (m) {
    const address = email(m[2]!, field);
    return { name: unquote(m[1]!) || address, email: address };
  }
  if (v.includes('@')) return { name: v, email: email(v, field) };
  if (!v || /[<>]/.test(v)) throw new DescriptorFieldError(field, `expected "Name <email>", got "${value}"`);
  return { name: unquote(v) };
}

/** `Name <email>, "Last, First" <email>`: commas inside quotes or <...> do not split. */
function people(value: string, field: string): Person[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  let angled = false;
  for (const ch of value) {
    if (ch === '"') quoted = !quoted;
    else if (ch === '<' && !quoted) angled = true;
    else if (ch === '>' && !quoted) angled = false;
    if (ch === ',' && !quoted && !angled) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => person(s, field));
}

const unquote = (s: string): string => s.trim().replace(/^"(.*)"$/, '$1').trim();

export function onCallFrom(annotations: Record<string, string>): OnCall | undefined {
  const rotation = annotations[ANNOTATIONS.onCallRotation]?.trim();
  const current = annotations[ANNOTATIONS.onCallCurrent];
  const escalation = annotations[ANNOTATIONS.onCallEscalation];
  if (!rotation && !current && !escalation) return undefined;
  return {
    ...(rotation ? { rotation } : {}),
    ...(current ? { current: person(current, annotationField(ANNOTATIONS.onCallCurrent)) } : {}),
    escalation: escalation ? people(escalation, annotationField(ANNOTATIONS.onCallEscalation)).map((p, i) => ({ ...p, level: i + 1 })) : [],
  };
}

const PROJECT_GROUPS: Record<string, 'projectReader' | 'projectContributor' | 'projectAdministrator' | 'projectStakeholder'> = {
  readers: 'projectReader',
  contributors: 'projectContributor',
  'project administrators': 'projectAdministrator',
  administrators: 'projectAdministrator',
  stakeholders: 'projectStakeholder',
};

/** `Project/Contributors, Other/Readers`: the built-in project groups, by the names Azure DevOps shows. */
export function projectGroups(value: string, field: string): { project: string; group: (typeof PROJECT_GROUPS)[string] }[] {
  return list(value).map((item) => {
    const m = /^([^/]+)\/([^/]+)$/.exec(item);
    const group = m ? PROJECT_GROUPS[m[2]!.trim().toLowerCase()] : undefined;
    if (!m || !group) throw new DescriptorFieldError(field, `expected "Project/Contributors" (Readers, Contributors, Project Administrators or Stakeholders), got "${item}"`);
    return { project: m[1]!.trim(), group };
  });
}
