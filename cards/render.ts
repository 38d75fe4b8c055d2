import { Template } from 'adaptivecards-templating';

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  version: string;
  body: unknown[];
  actions?: unknown[];
  [key: string]: unknown;
}

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

// One parsed Template per card file: building it costs ~20x more than expanding it.
const templates = new WeakMap<object, Template>();

/** Expands a `*.card.json` template with typed data (`${...}` bindings, `$data` repeats, `$when`). */
export function renderTemplate<T extends object>(template: object, data: T): AdaptiveCard {
  let parsed = templates.get(template);
  if (!parsed) templates.set(template, (parsed = new Template(template)));
  return parsed.expand({ $root: data }) as AdaptiveCard;
}

/** Wraps a card as a message attachment. */
export function cardAttachment(card: AdaptiveCard): { contentType: string; content: AdaptiveCard } {
  return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card };
}
