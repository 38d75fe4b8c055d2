/** Between a turn's conversation and the NotifyTarget a job stores to report back from any replica. */
import { TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import type { NotifyTarget } from '../domain/conversations/conversations.types';

/** Where a job started in this turn reports back, and the message holding its card. */
export function notifyTargetOf(activity: Partial<Activity>, cardActivityId: string | undefined): NotifyTarget {
  const r = TurnContext.getConversationReference(activity);
  const target: NotifyTarget = {
    serviceUrl: r.serviceUrl ?? '',
    channelId: r.channelId ?? '',
    conversationId: r.conversation?.id ?? '',
    botId: r.bot?.id ?? '',
    ...(r.conversation?.conversationType ? { conversationType: r.conversation.conversationType } : {}),
    ...(r.conversation?.tenantId ? { tenantId: r.conversation.tenantId } : {}),
    ...(r.bot?.name ? { botName: r.bot.name } : {}),
    ...(r.user?.id ? { userId: r.user.id } : {}),
    ...(r.user?.name ? { userName: r.user.name } : {}),
    ...(cardActivityId ? { cardActivityId } : {}),
  };
  return target;
}

/** The conversation reference botbuilder needs to continue the conversation of `target`. */
export function referenceOf(target: NotifyTarget): Partial<ConversationReference> {
  return {
    serviceUrl: target.serviceUrl,
    channelId: target.channelId,
    conversation: { id: target.conversationId, isGroup: target.conversationType === 'channel' || target.conversationType === 'groupChat', conversationType: target.conversationType ?? 'personal', name: '', ...(target.tenantId ? { tenantId: target.tenantId } : {}) },
    bot: { id: target.botId, name: target.botName ?? '' },
    ...(target.userId ? { user: { id: target.userId, name: target.userName ?? '' } } : {}),
  };
}
