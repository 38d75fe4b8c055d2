import { CATALOG_PICK_VERB } from './catalog-choices.card';
import { ownsCounts, ownsList, type OwnsView } from './owned-list';
import { chatDeepLink } from './team.card';
import template from './user.card.json';
import { renderTemplate, type AdaptiveCard } from './render';
import { toPlainText } from './teams-markdown';

/** A person (a catalog User): the teams they are in, what they own and what those teams own. Text escaped by the view. */
export interface UserView {
  ref: string;
  name: string;
  displayName?: string;
  namespace?: string;
  email?: string;
  groups: { ref: string; name: string }[];
  owns: OwnsView;
  groupsOwn: { group: { ref: string; name: string }; owns: OwnsView }[];
  /** Put into a Teams deep link's query, never into markdown. */
  chatEmail?: string;
  matchedBy?: string;
}

/** Cards allow 5 top-level actions: one chat link and up to four "what does <team> own". */
const MAX_TEAM_BUTTONS = 4;
const MAX_LISTED_GROUPS = 10;

function userCardData(view: UserView) {
  const shownName = view.namespace ? `${view.namespace}/${view.name}` : view.name;
  const groups = view.groups.slice(0, MAX_LISTED_GROUPS).map((g) => g.name);
  const groupsValue = groups.length ? `${groups.join(', ')}${view.groups.length > groups.length ? ` and ${view.groups.length - groups.length} more` : ''}` : 'no team in the catalog';
  const facts = [
    ...(view.email ? [{ title: 'Email', value: view.email }] : []),
    { title: `Member of (${view.groups.length})`, value: groupsValue },
    ...(view.namespace ? [{ title: 'Namespace', value: view.namespace }] : []),
  ];
  const groupsOwn = view.groupsOwn
    .slice(0, MAX_LISTED_GROUPS)
    .map(({ group, owns }) => `- **${group.name}** (${owns.total}): ${ownsCounts(owns)}${owns.items.length ? ` — ${owns.items.slice(0, 5).map((i) => i.name).join(', ')}${owns.total > 5 ? ', …' : ''}` : ''}`);
  const chat = view.chatEmail ? chatDeepLink([view.chatEmail], `${view.displayName ?? view.name} (from the IDP bot)`) : undefined;
  return {
    heading: view.displayName ?? view.name,
    subheading: ['User', shownName].join(' · '),
    facts,
    hasOwns: view.owns.total > 0,
    ownsHeading: `Owns directly (${view.owns.total}): ${ownsCounts(view.owns)}`,
    ownsText: ownsList(view.owns, `ask "what does ${view.name} own"`),
    hasGroupsOwn: groupsOwn.length > 0,
    groupsOwnText: groupsOwn.join('\n'),
    footer: view.matchedBy ? `Found by ${view.matchedBy}. From the service catalog.` : 'From the service catalog.',
    links: chat ? [{ title: '💬 Chat', url: chat }] : [],
    asks: view.groupsOwn
      .filter((g) => g.owns.total > 0)
      .slice(0, MAX_TEAM_BUTTONS)
      .map((g) => ({ title: `What ${toPlainText(g.group.name)} owns`, verb: CATALOG_PICK_VERB, ref: g.group.ref, intent: 'owned' })),
  };
}

export const renderUserCard = (view: UserView): AdaptiveCard => renderTemplate(template, userCardData(view));
