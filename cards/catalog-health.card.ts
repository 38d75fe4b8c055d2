import template from './catalog-health.card.json';
import { renderTemplate, type AdaptiveCard } from './render';

/**
 * `catalog health` and `catalog health <team>`: a heading, key facts, then sections (top rules,
 * worst teams, a team's failing checks by rule, the trend) as label/value rows or text. Every
 * string is already Teams markdown: the views escape what came from the catalog or the chat.
 */
export interface CatalogHealthCardView {
  heading: string;
  subheading: string;
  facts: { title: string; value: string }[];
  sections: { title: string; rows: { label: string; value: string }[]; text?: string }[];
  /** Checks that could not be decided this run, or other caveats; '' for none. */
  note?: string;
  footer: string;
}

export function renderCatalogHealthCard(view: CatalogHealthCardView): AdaptiveCard {
  return renderTemplate(template, {
    ...view,
    sections: view.sections.map((s) => ({ ...s, text: s.text ?? '' })),
    note: view.note ?? '',
  });
}
