import template from './relations.card.json';
import { renderTemplate, type AdaptiveCard } from './render';
import { CATALOG_PICK_VERB } from './catalog-choices.card';

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
    buttons: [{ title: `Who owns ${view.name}?`, verb: CATALOG_PICK_VERB, ref: view.ref, intent: 'owner' }],
  });
}
