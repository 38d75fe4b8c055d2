/**
 * The one guard around everything a turn runs (commands, dialog steps, card actions, message
 * extension and task module handlers): a refusal (DomainError) becomes the message table's words,
 * anything else is logged with the activity id and answered with a reference. Errors botbuilder
 * wraps (DialogContextError around a step's failure) are unwrapped first, so the cause decides.
 */
import type { TurnContext } from 'botbuilder';
import { isDomainError } from '../domain/domain-error';
import type { Logger } from '../logger';
import { userMessageFor, type UserMessage } from './messages';
import { turnLogger } from './turn-logger';

/** The error that caused it: botbuilder-dialogs' DialogContextError keeps it in `error`. */
export function rootCause(error: unknown): unknown {
  let e = error;
  for (let depth = 0; depth < 5; depth++) {
    const inner = (e as { name?: string; error?: unknown } | null)?.error;
    if ((e as { name?: string })?.name !== 'DialogContextError' || inner === undefined) break;
    e = inner;
  }
  return e;
}

export class TurnGuard {
  constructor(private readonly logger: Logger) {}

  /** What to tell the person about `error`; logs it when it is not a plain refusal. */
  explain(turn: TurnContext, error: unknown): UserMessage {
    const cause = rootCause(error);
    if (!isDomainError(cause)) turnLogger(turn, this.logger).error({ err: cause }, 'turn failed');
    else if (cause.code.startsWith('UPSTREAM.')) turnLogger(turn, this.logger).warn({ code: cause.code, reason: cause.message }, 'an upstream service failed');
    return userMessageFor(cause, turn.activity.id ?? 'unknown');
  }

  /** Runs a message turn's work; a failure is answered in the chat after `cleanUp` (e.g. ending the dialog it broke). */
  async message(turn: TurnContext, work: () => Promise<void>, cleanUp?: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      const message = this.explain(turn, error);
      await cleanUp?.().catch((e) => turnLogger(turn, this.logger).warn({ err: e }, 'clean-up after a failed turn failed'));
      await turn.sendActivity(message.text);
    }
  }

  /** Runs an invoke's work; a failure becomes `answer(message)` (the invoke's own response shape). */
  async invoke<T>(turn: TurnContext, work: () => Promise<T>, answer: (message: UserMessage) => T): Promise<T> {
    try {
      return await work();
    } catch (error) {
      return answer(this.explain(turn, error));
    }
  }
}
