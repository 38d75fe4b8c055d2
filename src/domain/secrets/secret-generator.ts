/**
 * Generated secret values: cryptographically random (node:crypto), of a configured length and
 * alphabet, without modulo bias (rejection sampling). The value exists only as a SecretValue.
 */
import { randomBytes } from 'node:crypto';
import { SecretValue } from './secret-value';

export const DEFAULT_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
export const DEFAULT_LENGTH = 40;

export function generateSecret(length = DEFAULT_LENGTH, alphabet = DEFAULT_ALPHABET): SecretValue {
  const symbols = [...new Set(alphabet)];
  if (symbols.length < 2 || symbols.length > 256) throw new Error('generateSecret: the alphabet needs 2 to 256 distinct characters');
  if (!Number.isSafeInteger(length) || length < 16 || length > 1024) throw new Error('generateSecret: length must be 16..1024');
  // Bytes at or above the largest multiple of the alphabet size are dropped, so every symbol is equally likely.
  const limit = 256 - (256 % symbols.length);
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit) out += symbols[byte % symbols.length];
      if (out.length === length) break;
    }
  }
  return new SecretValue(out);
}
