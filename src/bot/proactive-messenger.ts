import { MessageFactory, type Activity, type CloudAdapter, type ConversationReference, type TurnContext } from 'botbuilder';
import type { AdaptiveCard } from '../../cards/render';
import { cardAttachment } from '../../cards/render';
import { DomainError } from '../domain/domain-error';

/**
 * The connector's answers that a retry would get again (403: the bot is not in the conversation,
 * e.g. removed from the team; 404: no such conversation), as DomainErrors callers can tell apart
 * from 429 / 5xx, which stay as they are (transient).
 */
function refusedForGood(err: unknown, conversationId: string | undefined): DomainError | undefined {
  const e = err as { statusCode?: unknown; code?: unknown; message?: unknown } | null;
  const status = typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  if (status !== 403 && status !== 404) return undefined;
  const params = { conversationId: conversationId ?? '', status, connectorCode: typeof e?.code === 'string' ? e.code : '' };
  return status === 403
    ? new DomainError('CONVERSATION.BOT_NOT_MEMBER', `connector refused the conversation (403 ${params.connectorCode}): the bot is not in it`, params)
    : new DomainError('CONVERSATION.NOT_FOUND', `connector knows no conversation ${params.conversationId} (404 ${params.connectorCode})`, params);
}

/**
 * Messages outside a turn (job progress, approvals, notifications) through a stored conversation
 * reference. Any replica can send: the reference comes from the shared store, the adapter from
 * this process. `update` replaces a card in place (Teams keeps one progress card per job).
 */
export class ProactiveMessenger {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
  ) {}

  async sendCard(reference: Partial<ConversationReference>, card: AdaptiveCard): Promise<string | undefined> {
    return this.send(reference, MessageFactory.attachment(cardAttachment(card)));
  }

  async sendText(reference: Partial<ConversationReference>, text: string): Promise<string | undefined> {
    return this.send(reference, MessageFactory.text(text));
  }

  async updateCard(reference: Partial<ConversationReference>, activityId: string, card: AdaptiveCard): Promise<void> {
    await this.inConversation(reference, async (turn) => {
      await turn.updateActivity({ ...MessageFactory.attachment(cardAttachment(card)), id: activityId });
    });
  }

  private async send(reference: Partial<ConversationReference>, activity: Partial<Activity>): Promise<string | undefined> {
    let id: string | undefined;
    try {
      await this.inConversation(reference, async (turn) => {
        id = (await turn.sendActivity(activity))?.id;
      });
    } catch (err) {
      throw refusedForGood(err, reference.conversation?.id) ?? err;
    }
    return id;
  }

  /**
   * Runs `logic` in the conversation and rejects when it fails. Left to the adapter, a failure
   * would go to onTurnError, which apologises in the chat (once per failed progress update) and
   * hides the error from the caller.
   */
  private async inConversation(reference: Partial<ConversationReference>, logic: (turn: TurnContext) => Promise<void>): Promise<void> {
    let failure: { error: unknown } | undefined;
    await this.adapter.continueConversationAsync(this.appId, reference, async (turn) => {
      try {
        await logic(turn);
      } catch (error) {
        failure = { error };
      }
    });
    if (failure) throw failure.error;
  }
}
