/**
 * Action.Execute verb -> handler. The button's data is parsed with the action's schema before the
 * handler runs; unknown verbs, missing or malformed data get a 400 the client shows, never a
 * turn failure. Actions that change state need an identity the channel vouches for.
 */
import type { AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue, TurnContext } from 'botbuilder';
import type { z } from 'zod';
import { ADAPTIVE_CARD_CONTENT_TYPE, type AdaptiveCard } from '../../cards/render';
import { toPlainText } from '../../cards/teams-markdown';
import { DomainError } from '../domain/domain-error';
import type { TurnGuard } from './guard';
import { actingUser, verifiedActor, type TurnActor } from './identity';
import type { UserMessage } from './messages';
import { setTurnRoute } from './turn-route';

/** A card to show in place of the clicked one, or words shown to the clicker (the card stays). */
export type CardActionResult = { card: AdaptiveCard } | { message: string };

export interface CardActionContext<T> {
  turn: TurnContext;
  data: T;
  actor: TurnActor;
}

export interface CardAction<T = any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  verb: string;
  /** What the button's `data` must be (zod); anything else is refused before the handler runs. */
  data: z.ZodType<T>;
  /** True: refused unless the clicker's identity is one the channel vouches for. */
  changesState: boolean;
  run(context: CardActionContext<T>): Promise<CardActionResult>;
}

/** Typed helper so `run` sees the schema's output type. */
export const cardAction = <T>(action: CardAction<T>): CardAction<T> => action;

const cardResponse = (value: AdaptiveCard): AdaptiveCardInvokeResponse => ({ statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value });

/** Words the client shows (as plain text) to the person who clicked; the card stays as it is. */
const messageResponse = (text: string): AdaptiveCardInvokeResponse => ({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: toPlainText(text) }) as unknown as AdaptiveCardInvokeResponse;

/** A refused card action: Teams shows the message (plain text) on the card. */
function cardActionError(message: UserMessage): AdaptiveCardInvokeResponse {
  return { statusCode: message.status, type: 'application/vnd.microsoft.error', value: { code: message.status >= 500 ? 'InternalError' : 'BadRequest', message: toPlainText(message.text) } } as AdaptiveCardInvokeResponse;
}

export class CardActionRouter {
  private readonly actions = new Map<string, CardAction>();

  constructor(private readonly guard: TurnGuard) {}

  add(action: CardAction): this {
    this.actions.set(action.verb, action);
    return this;
  }

  async handle(turn: TurnContext, value: AdaptiveCardInvokeValue | undefined): Promise<AdaptiveCardInvokeResponse> {
    const verb = (value as { action?: { verb?: unknown } } | undefined)?.action?.verb;
    const action = typeof verb === 'string' ? this.actions.get(verb) : undefined;
    // Only a registered verb names the route: the clicked data is the client's to make up.
    setTurnRoute(turn, action ? `card:${action.verb}` : 'card:unknown');
    if (!action) return cardActionError(this.guard.explain(turn, new DomainError('CARD.UNKNOWN_ACTION', 'unknown card verb', { verb: typeof verb === 'string' ? verb.slice(0, 60) : '(none)' })));
    const parsed = action.data.safeParse((value as { action?: { data?: unknown } }).action?.data ?? {});
    if (!parsed.success) {
      const problem = parsed.error.issues.map((i) => `${i.path.join('.') || 'data'}: ${i.message}`).join('; ').slice(0, 200);
      return cardActionError(this.guard.explain(turn, new DomainError('CARD.INVALID_DATA', `invalid data for ${action.verb}`, { problem })));
    }
    return this.guard.invoke(
      turn,
      async () => {
        const actor = action.changesState ? verifiedActor(turn) : actingUser(turn);
        const result = await action.run({ turn, data: parsed.data, actor });
        return 'card' in result ? cardResponse(result.card) : messageResponse(result.message);
      },
      // Refusals, stale buttons and failures are answered in words; the card is left as it was.
      (message) => messageResponse(message.text),
    );
  }
}
