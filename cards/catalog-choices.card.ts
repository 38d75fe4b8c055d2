import template from './catalog-choices.card.json';
import { renderTemplate, type AdaptiveCard } from './render';

/** A button of a "did you mean" / search / relations card: answer the question for that entity. */
export const CATALOG_PICK_VERB = 'catalog.pick';

/** "Did you mean" (ambiguous question), "nothing close" suggestions, and search results. */
export interface CatalogChoicesView {
  heading: string;
  hint?: string;
  /** At most 5 are shown as buttons (Teams' limit for a readable card). */
  choices: { ref: string; label: string }[];
  /** What the button answers: the same question, for the chosen entity. */
  intent: 'owner' | 'oncall' | 'dependencies' | 'dependents' | 'members' | 'owned';
}

const MAX_CHOICES = 5;

export const renderCatalogChoicesCard = (view: CatalogChoicesView): AdaptiveCard =>
  renderTemplate(template, {
    heading: view.heading,
    hasHint: Boolean(view.hint),
    hint: view.hint ?? '',
    choices: view.choices.slice(0, MAX_CHOICES).map((c) => ({ ...c, verb: CATALOG_PICK_VERB, intent: view.intent })),
  });
