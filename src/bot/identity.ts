/**
 * Who is acting in a turn. For anything that changes state the acting user is the Entra object id
 * the channel asserts (`from.aadObjectId`), and only on channels that assert it (Teams, or a
 * configured list): elsewhere anyone can type any name, so the bot answers questions and changes nothing.
 */
import type { Activity, TurnContext } from 'botbuilder';
import { DomainError } from '../domain/domain-error';

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

/** The acting user, refused (ACCESS.UNVERIFIED_USER) unless the channel vouches for them: what every change runs as. */
export function verifiedActor(turn: TurnContext): TurnActor {
  const actor = actingUser(turn);
  if (!actor.verified) throw new DomainError('ACCESS.UNVERIFIED_USER', 'no identity the channel vouches for');
  return actor;
}
