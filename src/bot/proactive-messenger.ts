import { MessageFactory, type Activity, type CloudAdapter, type ConversationReference } from 'botbuilder';
import type { AdaptiveCard } from '../../cards/render';
import { cardAttachment } from '../../cards/render';

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
    await this.adapter.continueConversationAsync(this.appId, reference, async (turn) => {
      await turn.updateActivity({ ...MessageFactory.attachment(cardAttachment(card)), id: activityId });
    });
  }

  private async send(reference: Partial<ConversationReference>, activity: Partial<Activity>): Promise<string | undefined> {
    let id: string | undefined;
    await this.adapter.continueConversationAsync(this.appId, reference, async (turn) => {
      id = (await turn.sendActivity(activity))?.id;
    });
    return id;
  }
}
