/**
 * What a person typed in a Fix form, checked before anything is read or pushed: an owner that is
 * a Group or User in the catalog, https URLs on allowed hosts, a lifecycle Backstage's examples
 * use. Each refusal names the field and the rule (DIGEST.* codes worded in the message table).
 */
import type { CatalogStore } from '../catalog/catalog-store.port';
import type { FixKind } from '../catalog-health/health.types';
import { DomainError } from '../domain-error';
import type { DescriptorFix } from './descriptor-edit';

export const LIFECYCLES = ['experimental', 'production', 'deprecated'] as const;

const EMAIL = /^[^\s@<>,]+@[^\s@<>,]+\.[^\s@<>,]+$/;
const REF = /^(?:([a-z][a-z0-9-]*):)?(?:([a-z0-9][a-z0-9._-]*)\/)?([a-z0-9][a-z0-9._-]*)$/i;
/** A rotation's name as schedules name them ("payments-primary", "Payments / Primary"). */
const ROTATION_NAME = /^[\w][\w .:/()-]{0,99}$/;
const TEAMS_HOST = 'teams.microsoft.com';
const MAX_VALUE = 500;

export interface FixInputContext {
  catalog: Pick<CatalogStore, 'get'>;
  /** Hosts runbook, dashboard and rotation links may point to (sub-domains included). */
  linkHosts: readonly string[];
  /** The entity's namespace: a shorthand owner ref takes it, as Backstage does. */
  namespace: string;
}

const refused = (code: string, message: string, params: Record<string, unknown>) => new DomainError(code, message, params);

export async function parseFixInput(kind: FixKind, raw: string | undefined, ctx: FixInputContext): Promise<DescriptorFix> {
  const value = (raw ?? '').trim();
  if (!value) throw refused('DIGEST.VALUE_REQUIRED', `no value for the ${kind} fix`, { field: fieldName(kind) });
  if (value.length > MAX_VALUE) throw refused('DIGEST.VALUE_TOO_LONG', `${kind} value of ${value.length} characters`, { field: fieldName(kind), max: MAX_VALUE });
  switch (kind) {
    case 'owner':
      return { kind, owner: await owner(value, ctx) };
    case 'lifecycle':
      if (!(LIFECYCLES as readonly string[]).includes(value.toLowerCase())) throw refused('DIGEST.LIFECYCLE_INVALID', `lifecycle "${value}"`, { value, allowed: LIFECYCLES.join(', ') });
      return { kind, lifecycle: value.toLowerCase() };
    case 'contact':
      if (!/^[a-z]+:/i.test(value) && value.includes('@')) {
        if (!EMAIL.test(value)) throw refused('DIGEST.CONTACT_INVALID', `contact "${value}" is not an email address`, { value });
        return { kind, email: value };
      }
      return { kind, teamsChannelUrl: allowedHttps(value, [TEAMS_HOST], 'contact') };
    case 'runbook':
    case 'dashboard':
      return { kind, url: allowedHttps(value, ctx.linkHosts, kind), title: kind === 'runbook' ? 'Runbook' : 'Dashboard' };
    case 'on-call':
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return { kind, rotation: allowedHttps(value, ctx.linkHosts, 'on-call rotation') };
      if (!ROTATION_NAME.test(value)) throw refused('DIGEST.ROTATION_INVALID', `rotation "${value}"`, { value });
      return { kind, rotation: value };
  }
}

export function fieldName(kind: FixKind): string {
  return { owner: 'owner', contact: 'contact channel', runbook: 'runbook URL', dashboard: 'dashboard URL', 'on-call': 'on-call rotation', lifecycle: 'lifecycle' }[kind];
}

async function owner(value: string, ctx: FixInputContext): Promise<string> {
  const m = REF.exec(value);
  if (!m) throw refused('DIGEST.OWNER_UNKNOWN', `owner "${value}" is not an entity ref`, { owner: value });
  const ref = `${(m[1] ?? 'group').toLowerCase()}:${(m[2] ?? ctx.namespace).toLowerCase()}/${m[3]!.toLowerCase()}`;
  const entity = await ctx.catalog.get(ref);
  if (!entity || entity.status !== 'active' || (entity.kind !== 'Group' && entity.kind !== 'User')) throw refused('DIGEST.OWNER_UNKNOWN', `owner ${ref} is not an active Group or User in the catalog`, { owner: value });
  return ref;
}

/** The URL when https and on one of `hosts`; else a refusal naming the field. */
function allowedHttps(value: string, hosts: readonly string[], field: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw refused('DIGEST.URL_NOT_HTTPS', `${field} "${value}" is not a URL`, { field, value });
  }
  if (url.protocol !== 'https:' || url.username || url.password) throw refused('DIGEST.URL_NOT_HTTPS', `${field} "${value}" is not an https URL`, { field, value });
  const host = url.hostname.toLowerCase();
  if (!hosts.some((h) => host === h.toLowerCase() || host.endsWith(`.${h.toLowerCase()}`))) throw refused('DIGEST.URL_HOST_NOT_ALLOWED', `${field} host ${host} is not allowed`, { field, host, allowed: hosts.join(', ') || '(none configured)' });
  return url.href;
}
