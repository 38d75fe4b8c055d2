import type { TurnContext } from 'botbuilder';

const KEY = Symbol('turnRoute');

/** What handled this turn, for the turn latency metric: a name from code (command, verb, dialog id), never user text. */
export function setTurnRoute(turn: TurnContext, route: string): void {
  turn.turnState.set(KEY, route);
}

/** The route set during the turn; `unrouted` when nothing claimed it (unknown text, an ignored activity). */
export function turnRouteOf(turn: TurnContext): string {
  return (turn.turnState.get(KEY) as string | undefined) ?? 'unrouted';
}
