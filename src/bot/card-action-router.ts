import type { AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue, TurnContext } from 'botbuilder';
import type { CardVerb } from '../../cards/verbs';

export type CardActionHandler = (turn: TurnContext, value: AdaptiveCardInvokeValue) => Promise<AdaptiveCardInvokeResponse>;

/** A refused card action: Teams shows the message on the card. */
export function cardActionError(message: string, statusCode = 400): AdaptiveCardInvokeResponse {
  return { statusCode, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message } } as AdaptiveCardInvokeResponse;
}

/** Action.Execute verb -> handler. Unknown verbs get a 400 the client shows as an error. */
export class CardActionRouter {
  private readonly handlers = new Map<string, CardActionHandler>();

  on(verb: CardVerb, handler: CardActionHandler): this {
    this.handlers.set(verb, handler);
    return this;
  }

  async handle(turn: TurnContext, value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const handler = this.handlers.get(value.action?.verb ?? '');
    if (!handler) return cardActionError(`Unknown card action "${value.action?.verb ?? ''}".`);
    return handler(turn, value);
  }
}
