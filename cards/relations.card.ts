import template from './relations.card.json';
import { renderTemplate, type AdaptiveCard } from './render';
import { toPlainText } from './teams-markdown';
import { CATALOG_PICK_VERB } from './catalog-choices.card';
import { ownsCounts, ownsList, type OwnsView } from './owned-list';

/** "What does X depend on" / "who depends on X": the list with owners, summarised when long. */
export interface RelationsView {
  name: string;
  ownerName?: string;
  direction: 'dependencies' | 'dependents';
  items: { ref: string; name: string; ownerName?: string; known: boolean }[];
  /** The entity's own ref: the "who owns" button. */
  ref: string;
}

const MAX_LISTED = 25;

export function renderRelationsCard(view: RelationsView): AdaptiveCard {
  const verb = view.direction === 'dependencies' ? 'depends on' : 'is used by';
  const shown = view.items.slice(0, MAX_LISTED).map((i) => `- **${i.name}**${i.ownerName ? ` (${i.ownerName})` : i.known ? '' : ' (not in the catalog)'}`);
  if (view.items.length > shown.length) shown.push(`- …and ${view.items.length - shown.length} more (the catalog lists them all)`);
  return renderTemplate(template, {
    heading: `${view.name} ${verb} ${view.items.length} ${view.items.length === 1 ? 'entity' : 'entities'}`,
    subheading: view.ownerName ? `Owned by ${view.ownerName}` : 'No owner in the catalog',
    listText: shown.length ? shown.join('\n') : 'Nothing recorded in the catalog.',
    buttons: [{ title: `Who owns ${toPlainText(view.name)}?`, verb: CATALOG_PICK_VERB, ref: view.ref, intent: 'owner' }],
  });
}

/** "What does team-a own": everything listed by kind, for a team in the catalog or an owner only its entities name. */
export interface OwnedListView {
  /** The owner as shown (escaped): `team-a`, `alternative/guest`. */
  name: string;
  kind: string;
  /** Set when the owner is in the catalog: the button to its own card. */
  ref?: string;
  owns: OwnsView;
}

export function renderOwnedCard(view: OwnedListView): AdaptiveCard {
  return renderTemplate(template, {
    heading: `${view.name} owns ${view.owns.total} ${view.owns.total === 1 ? 'entity' : 'entities'}`,
    subheading: `${view.kind}${view.ref ? '' : ', not in the catalog: named as the owner by these entities'} · ${ownsCounts(view.owns)}`,
    listText: view.owns.total ? ownsList(view.owns, 'the catalog lists them all') : 'Nothing in the catalog names it as its owner.',
    buttons: view.ref ? [{ title: `About ${toPlainText(view.name)}`, verb: CATALOG_PICK_VERB, ref: view.ref, intent: 'owner' }] : [],
  });
}
