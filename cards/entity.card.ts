import template from './entity.card.json';
import { NO_OWNER, ownerText, type OwnershipView } from './ownership.card';
import { renderTemplate, type AdaptiveCard } from './render';
import { chatDeepLink } from './team.card';

/**
 * An entity of a kind the catalog has no card of its own for (Template, kinds from plugins): what
 * every entity's envelope and usual spec fields say. Text is escaped by the view; a `url` is one the card may open.
 */
export interface EntityCardView {
  name: string;
  title?: string;
  kind: string;
  namespace?: string;
  type?: string;
  lifecycle?: string;
  description?: string;
  owner?: OwnershipView['owner'];
  system?: string;
  tags: string[];
  links: { title: string; url?: string }[];
  chatEmails: string[];
  matchedBy?: string;
}

const MAX_LINK_BUTTONS = 4;
const MAX_LISTED_LINKS = 10;

function entityCardData(view: EntityCardView) {
  const facts = [
    { title: 'Owner', value: view.owner ? ownerText(view.owner) : NO_OWNER },
    ...(view.type ? [{ title: 'Type', value: view.type }] : []),
    ...(view.lifecycle ? [{ title: 'Lifecycle', value: view.lifecycle }] : []),
    ...(view.system ? [{ title: 'System', value: view.system }] : []),
    ...(view.namespace ? [{ title: 'Namespace', value: view.namespace }] : []),
    ...(view.tags.length ? [{ title: 'Tags', value: view.tags.join(', ') }] : []),
  ];
  const linked = view.links.filter((l): l is { title: string; url: string } => l.url !== undefined);
  const chat = chatDeepLink(view.chatEmails, `${view.name} (from the IDP bot)`);
  const buttons = [...linked.slice(0, chat ? MAX_LINK_BUTTONS : MAX_LINK_BUTTONS + 1).map((l) => ({ title: l.title, url: l.url })), ...(chat ? [{ title: '💬 Chat with the owners', url: chat }] : [])];
  const used = new Set(buttons.map((b) => b.url));
  const rest = view.links.filter((l) => !l.url || !used.has(l.url));
  const listed = rest.slice(0, MAX_LISTED_LINKS).map((l) => (l.url ? `[${l.title}](${l.url})` : l.title));
  if (rest.length > listed.length) listed.push(`…and ${rest.length - listed.length} more links in the catalog`);
  return {
    heading: view.title && view.title !== view.name ? view.title : view.name,
    subheading: [view.kind, view.namespace ? `${view.namespace}/${view.name}` : view.name].join(' · '),
    hasDescription: Boolean(view.description),
    description: view.description ?? '',
    facts,
    hasLinks: listed.length > 0,
    linksText: `Links: ${listed.join(' · ')}`,
    footer: view.matchedBy ? `Found by ${view.matchedBy}. From the service catalog.` : 'From the service catalog.',
    buttons,
  };
}

export const renderEntityCard = (view: EntityCardView): AdaptiveCard => renderTemplate(template, entityCardData(view));
