import type { TurnContext } from 'botbuilder';
import type { Logger } from '../logger';

const KEY = Symbol('turnLogger');

/** The turn's logger: every line carries the activity id, conversation and activity type. */
export function turnLogger(turn: TurnContext, root: Logger): Logger {
  let logger = turn.turnState.get(KEY) as Logger | undefined;
  if (!logger) {
    const a = turn.activity;
    logger = root.child({ activityId: a.id, conversationId: a.conversation?.id, activityType: a.type });
    turn.turnState.set(KEY, logger);
  }
  return logger;
}
