import template from './ownership.card.json';
import { renderTemplate, type AdaptiveCard } from './render';

/**
 * Everything the 2 AM answer shows about one catalog entity. Its text is Teams markdown, ready to
 * show: whoever builds the view escapes what came from outside (teams-markdown.ts). A `url` is one
 * the card may link to; a link without one is shown by its title only.
 */
export interface OwnershipView {
  name: string;
  title?: string;
  kind: string;
  type?: string;
  description?: string;
  /** Not in the catalog on the team's own card only: one named by the descriptor but not imported (`inCatalog: false`). */
  owner?: { name: string; displayName?: string; email?: string; teamsChannelUrl?: string; kind?: string; inCatalog?: boolean };
  /** `alternative` for an entity outside the default namespace; absent in `default`. */
  namespace?: string;
  /** An API's definition: where it is (markdown, a link only to an allowed host). */
  definition?: string;
  onCall?: { name: string; email?: string; until?: Date; rotation?: string };
  escalation: { level: number; name: string; email?: string }[];
  tier?: string;
  lifecycle?: string;
  contactEmail?: string;
  /** `run`: the pipeline run, as a markdown link or (another host) as text. */
  deployments: { environment: string; version: string; status: string; deployedAt: Date; run?: string }[];
  dependencies: { name: string; ownerName?: string }[];
  dependents: { name: string; ownerName?: string }[];
  apis: { provides: string[]; consumes: string[] };
  links: { title: string; url?: string; type: string }[];
  /** People to open a group chat with ("chat with the owners"). */
  chatEmails: string[];
  matchedBy?: string;
}

/** Cards allow 5 top-level actions; long lists are summarised with a count, never cut silently. */
const MAX_BUTTONS = 5;
const MAX_LISTED_RELATIONS = 8;
const MAX_LISTED_LINKS = 10;

const STATUS: Record<string, { label: string; color: string }> = {
  succeeded: { label: 'healthy', color: 'Good' },
  failed: { label: 'FAILED', color: 'Attention' },
  in_progress: { label: 'deploying', color: 'Warning' },
  rolled_back: { label: 'rolled back', color: 'Warning' },
};

function relativeTime(when: Date, now: Date): string {
  const minutes = Math.round((now.getTime() - when.getTime()) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

/** What the Owner fact says when the descriptor names no owner at all. */
export const NO_OWNER = 'none: its catalog-info.yaml names no owner';

/** The owning team, linked to its Teams channel when we know it; one the catalog does not hold, as written with its kind. */
export function ownerText(owner: NonNullable<OwnershipView['owner']>): string {
  if (owner.inCatalog === false) return `${owner.name} (${owner.kind ?? 'Group'}, not in the catalog)${owner.email ? ` (${owner.email})` : ''}`;
  const name = owner.displayName ?? owner.name;
  const linked = owner.teamsChannelUrl ? `[${name}](${owner.teamsChannelUrl})` : name;
  return owner.email ? `${linked} (${owner.email})` : linked;
}

const person = (p: { name: string; email?: string }) => (p.email ? `${p.name} (${p.email})` : p.name);

function relationList(items: { name: string; ownerName?: string }[], askHint: string): string {
  const shown = items.slice(0, MAX_LISTED_RELATIONS).map((d) => `- **${d.name}**${d.ownerName ? ` (${d.ownerName})` : ''}`);
  const more = items.length - shown.length;
  if (more > 0) shown.push(`- …and ${more} more: ask "${askHint}"`);
  return shown.join('\n');
}

function chatDeepLink(emails: string[], topic: string): string | undefined {
  const users = [...new Set(emails.filter(Boolean))].slice(0, 8);
  if (users.length === 0) return undefined;
  return `https://teams.microsoft.com/l/chat/0/0?users=${users.map(encodeURIComponent).join(',')}&topicName=${encodeURIComponent(topic)}`;
}

function buttonsAndRest(view: OwnershipView) {
  const firstOf = (type: string) => view.links.find((l): l is { title: string; url: string; type: string } => l.type === type && l.url !== undefined);
  const preferred = [
    firstOf('dashboard') && { title: '📈 Dashboard', url: firstOf('dashboard')!.url },
    firstOf('logs') && { title: '🔎 Logs', url: firstOf('logs')!.url },
    firstOf('runbook') && { title: '📕 Runbook', url: firstOf('runbook')!.url },
    (firstOf('api') ?? firstOf('docs')) && { title: '📄 API docs', url: (firstOf('api') ?? firstOf('docs'))!.url },
    chatDeepLink(view.chatEmails, `${view.name} (from the IDP bot)`) && { title: '💬 Chat with the owners', url: chatDeepLink(view.chatEmails, `${view.name} (from the IDP bot)`)! },
  ].filter((b): b is { title: string; url: string } => Boolean(b));
  const buttons = preferred.slice(0, MAX_BUTTONS);
  const used = new Set(buttons.map((b) => b.url));
  const rest = view.links.filter((l) => l.url === undefined || !used.has(l.url));
  const listed = rest.slice(0, MAX_LISTED_LINKS).map((l) => (l.url ? `[${l.title}](${l.url})` : l.title));
  if (rest.length > listed.length) listed.push(`…and ${rest.length - listed.length} more links in the catalog`);
  return { buttons, moreLinksText: listed.length ? `More links: ${listed.join(' · ')}` : '' };
}

function ownershipCardData(view: OwnershipView, now = new Date()) {
  const owner = view.owner;
  const facts = [
    { title: 'Owner', value: owner ? ownerText(owner) : NO_OWNER },
    ...(view.namespace ? [{ title: 'Namespace', value: view.namespace }] : []),
    ...(view.definition ? [{ title: 'Definition', value: view.definition }] : []),
    { title: 'On call now', value: view.onCall ? `${person(view.onCall)}${view.onCall.until ? `, until ${view.onCall.until.toISOString().slice(0, 16).replace('T', ' ')} UTC` : ''}` : 'not recorded' },
    // One fact per person: "1. Bob, 2. Grace" in one value renders as a broken numbered list.
    ...view.escalation.map((e) => ({ title: `Escalation ${e.level}`, value: person(e) })),
    ...(view.onCall?.rotation ? [{ title: 'Rotation', value: view.onCall.rotation }] : []),
    ...(view.tier ? [{ title: 'Tier', value: view.tier }] : []),
    ...(view.lifecycle ? [{ title: 'Lifecycle', value: view.lifecycle }] : []),
    ...(view.contactEmail && view.contactEmail !== owner?.email ? [{ title: 'Contact', value: view.contactEmail }] : []),
  ];
  const { buttons, moreLinksText } = buttonsAndRest(view);
  const apis = [
    view.apis.provides.length ? `Provides: ${view.apis.provides.join(', ')}` : '',
    view.apis.consumes.length ? `Consumes: ${view.apis.consumes.join(', ')}` : '',
  ].filter(Boolean);
  return {
    heading: view.title && view.title !== view.name ? view.title : view.name,
    subheading: [view.kind + (view.type ? ` (${view.type})` : ''), view.namespace ? `${view.namespace}/${view.name}` : view.name].join(' · '),
    hasDescription: Boolean(view.description),
    description: view.description ?? '',
    facts,
    hasDeployments: view.deployments.length > 0,
    deployments: view.deployments.map((d) => {
      const status = STATUS[d.status] ?? { label: d.status, color: 'Default' };
      return { environment: d.environment, summary: `${d.version} · ${status.label} · ${relativeTime(d.deployedAt, now)}${d.run ? ` · ${d.run}` : ''}`, color: status.color };
    }),
    hasDependencies: view.dependencies.length > 0,
    dependenciesHeading: `Depends on (${view.dependencies.length})`,
    dependenciesText: relationList(view.dependencies, `what does ${view.name} depend on`),
    hasDependents: view.dependents.length > 0,
    dependentsHeading: `Used by (${view.dependents.length})`,
    dependentsText: relationList(view.dependents, `who depends on ${view.name}`),
    hasApis: apis.length > 0,
    apisText: apis.join('\n\n'),
    hasMoreLinks: moreLinksText !== '',
    moreLinksText,
    footer: view.matchedBy ? `Found by ${view.matchedBy}. From the service catalog.` : 'From the service catalog.',
    buttons,
  };
}

export const renderOwnershipCard = (view: OwnershipView, now = new Date()): AdaptiveCard => renderTemplate(template, ownershipCardData(view, now));
