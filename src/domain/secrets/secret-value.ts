/**
 * A secret's value, held so it cannot leak by accident: JSON, string conversion, util.inspect and
 * template literals all show `[secret]`; only `reveal()` (called by the adapter that writes it to
 * Key Vault) gives the text. Never store one, never put one in a job, a card, a log or an error.
 */
import { inspect } from 'node:util';

const HIDDEN = '[secret]';

export class SecretValue {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The text, for the one call that writes it to the vault. */
  reveal(): string {
    return this.#value;
  }

  get length(): number {
    return this.#value.length;
  }

  toString(): string {
    return HIDDEN;
  }

  toJSON(): string {
    return HIDDEN;
  }

  [inspect.custom](): string {
    return HIDDEN;
  }
}
