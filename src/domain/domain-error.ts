/**
 * The one error type services raise. `code` is stable (`AREA.REASON`) and is what the bot edge
 * turns into user text; `message` is for logs and never contains secret values.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
