import { CATALOG_PICK_VERB } from './catalog-choices.card';
import { ownsCounts, ownsList, type OwnsView } from './owned-list';
import template from './team.card.json';
import { renderTemplate, type AdaptiveCard } from './render';
import { toPlainText } from './teams-markdown';

/**
 * A team (a catalog Group) as Backstage's group page shows it: its place in the tree, its members,
 * how to reach it, who is on call and what it owns. Text is Teams markdown, escaped by the view;
 * a `url` is one the card may open.
 */
export interface TeamView {
  ref: string;
  name: string;
  title?: string;
  type?: string;
  namespace?: string;
  description?: string;
  email?: string;
  teamsChannelUrl?: string;
  parent?: string;
  children: string[];
  members: { name: string; email?: string }[];
  onCall?: { name: string; email?: string; until?: Date; rotation?: string };
  escalation: { level: number; name: string; email?: string }[];
  owns: OwnsView;
  /** Members' addresses for "chat with the team" (a Teams deep link; never markdown). */
  chatEmails: string[];
  matchedBy?: string;
}

const MAX_LISTED_MEMBERS = 15;
const MAX_LISTED_CHILDREN = 10;

const person = (p: { name: string; email?: string }) => (p.email ? `${p.name} (${p.email})` : p.name);

function listed(items: string[], max: number): string {
  const shown = items.slice(0, max);
  return items.length > max ? `${shown.join(', ')} and ${items.length - max} more` : shown.join(', ');
}

/** A Teams group chat with these people (at most 8: a deep link's practical limit). */
export function chatDeepLink(emails: readonly string[], topic: string): string | undefined {
  const users = [...new Set(emails.filter(Boolean))].slice(0, 8);
  if (!users.length) return undefined;
  return `https://teams.microsoft.com/l/chat/0/0?users=${users.map(encodeURIComponent).join(',')}&topicName=${encodeURIComponent(topic)}`;
}

function teamCardData(view: TeamView) {
  const facts = [
    ...(view.parent ? [{ title: 'Part of', value: view.parent }] : []),
    ...(view.children.length ? [{ title: `Sub-teams (${view.children.length})`, value: listed(view.children, MAX_LISTED_CHILDREN) }] : []),
    ...(view.email ? [{ title: 'Email', value: view.email }] : []),
    ...(view.teamsChannelUrl ? [{ title: 'Channel', value: `[Teams channel](${view.teamsChannelUrl})` }] : []),
    { title: 'On call now', value: view.onCall ? `${person(view.onCall)}${view.onCall.until ? `, until ${view.onCall.until.toISOString().slice(0, 16).replace('T', ' ')} UTC` : ''}` : 'not recorded' },
    ...view.escalation.map((e) => ({ title: `Escalation ${e.level}`, value: person(e) })),
    ...(view.onCall?.rotation ? [{ title: 'Rotation', value: view.onCall.rotation }] : []),
    ...(view.namespace ? [{ title: 'Namespace', value: view.namespace }] : []),
  ];
  const members = view.members.slice(0, MAX_LISTED_MEMBERS).map((m) => `- ${person(m)}`);
  if (view.members.length > members.length) members.push(`- …and ${view.members.length - members.length} more`);
  const chat = chatDeepLink(view.chatEmails, `${view.name} (from the IDP bot)`);
  const shownName = view.namespace ? `${view.namespace}/${view.name}` : view.name;
  return {
    heading: view.title && view.title !== view.name ? view.title : view.name,
    subheading: [`Team${view.type && view.type !== 'team' ? ` (${view.type})` : ''}`, shownName].join(' · '),
    hasDescription: Boolean(view.description),
    description: view.description ?? '',
    facts,
    membersHeading: `Members (${view.members.length})`,
    membersText: members.length ? members.join('\n') : 'No members recorded in the catalog.',
    ownsHeading: `Owns (${view.owns.total})`,
    ownsCounts: ownsCounts(view.owns),
    hasOwnsList: view.owns.items.length > 0,
    ownsList: ownsList(view.owns, `ask "what does ${view.name} own"`),
    footer: view.matchedBy ? `Found by ${view.matchedBy}. From the service catalog.` : 'From the service catalog.',
    links: [
      ...(view.teamsChannelUrl ? [{ title: '💬 Team channel', url: view.teamsChannelUrl }] : []),
      ...(chat ? [{ title: '💬 Chat with the team', url: chat }] : []),
    ],
    asks: view.owns.total > view.owns.items.length ? [{ title: `Everything ${toPlainText(view.name)} owns (${view.owns.total})`, verb: CATALOG_PICK_VERB, ref: view.ref, intent: 'owned' }] : [],
  };
}

export const renderTeamCard = (view: TeamView): AdaptiveCard => renderTemplate(template, teamCardData(view));
