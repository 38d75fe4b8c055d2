/**
 * Who is acting in a turn. For anything that changes state the acting user is the Entra object id
 * the channel asserts (`from.aadObjectId`), and only on channels that assert it (Teams, or a
 * configured list): elsewhere anyone can type any name, so the bot answers questions and changes nothing.
 */
import { TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import type { NotifyTarget } from '../domain/conversations/conversations.types';

export interface TurnActor {
  /** The Entra object id on a trusted channel; else the channel's user id (read-only use). */
  id: string;
  name: string;
  /** Channel user id (Teams: 29:...): what Universal Actions `refresh.userIds` lists. */
  channelId: string;
  /** True when `id` is an identity the channel vouches for. */
  verified: boolean;
}

function actorOf(activity: Partial<Activity>, trustedChannels: readonly string[] = DEFAULT_TRUSTED_CHANNELS): TurnActor {
  const from = activity.from ?? { id: 'unknown', name: '' };
  const aad = typeof from.aadObjectId === 'string' && from.aadObjectId ? from.aadObjectId : undefined;
  const verified = Boolean(aad) && trustedChannels.includes(activity.channelId ?? '');
  return { id: verified ? aad! : from.id, name: from.name || from.id, channelId: from.id, verified };
}

export const DEFAULT_TRUSTED_CHANNELS: readonly string[] = ['msteams'];

const ACTOR = Symbol('actingUser');

/** Decided once per turn, by the bot, with the configured trusted channels. */
export function rememberActor(turn: TurnContext, trustedChannels: readonly string[]): TurnActor {
  const actor = actorOf(turn.activity, trustedChannels);
  turn.turnState.set(ACTOR, actor);
  return actor;
}

/** The turn's acting user (see rememberActor). */
export function actingUser(turn: TurnContext): TurnActor {
  return (turn.turnState.get(ACTOR) as TurnActor | undefined) ?? actorOf(turn.activity);
}

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
