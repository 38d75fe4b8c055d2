/** Who is acting in a turn, and where to report to later, in the plain shapes services take. */
import { TurnContext, type Activity } from 'botbuilder';
import type { JsonObject } from '../../src/domain/jobs/jobs.types';

export interface TurnActor {
  /** Entra object id when the channel sends one (Teams does), else the channel user id. */
  id: string;
  name: string;
  /** Channel user id (Teams: 29:...): what Universal Actions `refresh.userIds` lists. */
  channelId: string;
}

export function actorOf(activity: Partial<Activity>): TurnActor {
  const from = activity.from ?? { id: 'unknown', name: '' };
  return { id: from.aadObjectId ?? from.id, name: from.name || from.id, channelId: from.id };
}

/**
 * What a job needs to update its card from any replica: the conversation reference and the id of
 * the message holding the card. Plain JSON (it is stored with the job).
 */
export function notifyTarget(activity: Partial<Activity>, cardActivityId: string | undefined): JsonObject {
  const reference = JSON.parse(JSON.stringify(TurnContext.getConversationReference(activity))) as JsonObject;
  return { reference, ...(cardActivityId ? { activityId: cardActivityId } : {}) };
}
