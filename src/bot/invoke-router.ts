/**
 * Invoke activities other than card actions, by name (and, for message extensions, command id):
 * compose-box search, item selection, link unfurling, task module fetch/submit, Action.Execute-less
 * `application/search`. An unknown name, or a value that is not an object, gets a 400 with the
 * reason; a failing handler answers in the shape its client shows (never a turn failure).
 */
import type { InvokeResponse, TurnContext } from 'botbuilder';
import { toPlainText } from '../../cards/teams-markdown';
import { DomainError } from '../domain/domain-error';
import type { TurnGuard } from './guard';
import { actingUser, verifiedActor, type TurnActor } from './identity';
import type { UserMessage } from './messages';
import { setTurnRoute } from './turn-route';

export type InvokeName = 'composeExtension/query' | 'composeExtension/selectItem' | 'composeExtension/queryLink' | 'task/fetch' | 'task/submit' | 'application/search';

export interface InvokeContext {
  turn: TurnContext;
  /** The invoke's `value`: an object (checked), its fields not yet. */
  value: Record<string, unknown>;
  actor: TurnActor;
}

export interface InvokeRoute {
  name: InvokeName;
  /** composeExtension/query and task/*: which command of the manifest (absent: any). */
  commandId?: string;
  changesState: boolean;
  /** The invoke response body (status 200). */
  run(context: InvokeContext): Promise<unknown>;
}

const ok = (body: unknown): InvokeResponse => ({ status: 200, body });

/** How each kind of client shows words (plain text) instead of a result. */
function failureBody(name: string, message: UserMessage): InvokeResponse {
  const text = toPlainText(message.text);
  if (name.startsWith('composeExtension/')) return ok({ composeExtension: { type: 'message', text } });
  if (name.startsWith('task/')) return ok({ task: { type: 'message', value: text } });
  return { status: message.status, body: { statusCode: message.status, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: text } } };
}

export class InvokeRouter {
  private readonly routes: InvokeRoute[] = [];

  constructor(private readonly guard: TurnGuard) {}

  add(route: InvokeRoute): this {
    this.routes.push(route);
    return this;
  }

  /** Whether an invoke of this name has a handler (names from the client are only labels once known). */
  knows(name: string): boolean {
    return this.routes.some((r) => r.name === name);
  }

  async handle(turn: TurnContext): Promise<InvokeResponse> {
    const { name, value } = turn.activity;
    const known = this.routes.filter((r) => r.name === name);
    setTurnRoute(turn, known.length ? `invoke:${known[0]!.name}` : 'invoke:unknown');
    if (!known.length) {
      const message = this.guard.explain(turn, new DomainError('INVOKE.UNKNOWN', 'unknown invoke', { name: typeof name === 'string' ? name.slice(0, 60) : '(none)' }));
      return { status: 400, body: { error: 'BadRequest', message: toPlainText(message.text) } };
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return failureBody(known[0]!.name, this.guard.explain(turn, new DomainError('INVOKE.INVALID', 'invoke value is not an object', { problem: 'its value is not an object' })));
    }
    const commandId = (value as { commandId?: unknown }).commandId;
    const route = known.find((r) => !r.commandId || r.commandId === commandId);
    if (route?.commandId) setTurnRoute(turn, `invoke:${route.name}:${route.commandId}`);
    if (!route) {
      return failureBody(known[0]!.name, this.guard.explain(turn, new DomainError('INVOKE.INVALID', 'unknown command id', { problem: `no command "${String(commandId).slice(0, 60)}"` })));
    }
    return this.guard.invoke(
      turn,
      async () => {
        const actor = route.changesState ? verifiedActor(turn) : actingUser(turn);
        return ok(await route.run({ turn, value: value as Record<string, unknown>, actor }));
      },
      (message) => failureBody(route.name, message),
    );
  }
}
