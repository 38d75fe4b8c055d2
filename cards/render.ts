import { Template } from 'adaptivecards-templating';

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  version: string;
  body: unknown[];
  actions?: unknown[];
  [key: string]: unknown;
}

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** Expands a `*.card.json` template with typed data (`${...}` bindings, `$data` repeats, `$when`). */
export function renderTemplate<T extends object>(template: object, data: T): AdaptiveCard {
  return new Template(template).expand({ $root: data }) as AdaptiveCard;
}

/** Wraps a card as a message attachment. */
export function cardAttachment(card: AdaptiveCard): { contentType: string; content: AdaptiveCard } {
  return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card };
}
