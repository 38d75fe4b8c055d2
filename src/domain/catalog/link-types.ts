/**
 * What kind of link a descriptor's `metadata.links[]` entry is, so the answer card can put
 * dashboards, logs and runbooks on buttons: the link's own `type` when it says, else inferred
 * from its title, then from its URL.
 */
import { LINK_TYPES, type LinkType } from './catalog.types';

// Order matters: "API docs" is api, "Logs dashboard" is logs.
const RULES: [RegExp, LinkType][] = [
  [/runbook|playbook/, 'runbook'],
  [/swagger|openapi|open-api|api[ -]?(docs?|reference|spec)/, 'api'],
  [/kibana|log[ -]?analytics|\blogs?\b|logging|splunk|loki/, 'logs'],
  [/dashboard|grafana|monitor|datadog|\/d\//, 'dashboard'],
  [/\bdocs?\b|wiki|documentation|readme|confluence|techdocs/, 'docs'],
  [/\/_git\/|github\.com|gitlab|\brepo(sitory)?\b/, 'repository'],
  [/\/_build|pipeline|\bci\b/, 'pipeline'],
];

export function inferLinkType(text: string | undefined): LinkType | undefined {
  if (!text) return undefined;
  const lower = text.toLowerCase();
  if ((LINK_TYPES as readonly string[]).includes(lower)) return lower as LinkType;
  return RULES.find(([re]) => re.test(lower))?.[1];
}

export function linkType(link: { url: string; title?: string; type?: string }): LinkType {
  return inferLinkType(link.type) ?? inferLinkType(link.title) ?? inferLinkType(link.url) ?? 'other';
}

/** A title for a link that has none: its host name. */
export function defaultLinkTitle(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}
