/** The Key Vault adapter's small pure parts: Retry-After as the SDK reads it, and scrubbing a value from quoted text. */
import { scrub } from '../../src/adapters/key-vault/key-vault-failures';
import { retryAfterMs } from '../../src/adapters/key-vault/key-vault-pipeline';

const headers = (h: Record<string, string>) => ({ get: (name: string) => h[name] });

test('Retry-After: milliseconds headers first, then seconds, then an HTTP date; nothing when absent or unreadable', () => {
  expect(retryAfterMs(headers({ 'retry-after': '7' }))).toBe(7000);
  expect(retryAfterMs(headers({ 'retry-after': '7', 'x-ms-retry-after-ms': '250' }))).toBe(250);
  const date = retryAfterMs(headers({ 'retry-after': new Date(Date.now() + 60_000).toUTCString() }))!;
  expect(date).toBeGreaterThan(50_000);
  expect(date).toBeLessThanOrEqual(60_000);
  expect(retryAfterMs(headers({ 'retry-after': new Date(0).toUTCString() }))).toBe(0);
  expect(retryAfterMs(headers({}))).toBeUndefined();
  expect(retryAfterMs(headers({ 'retry-after': 'soon' }))).toBeUndefined();
});

test('scrub replaces the value in clear, base64, URL-encoded and JSON-escaped forms', () => {
  const value = 'p@ss "word"/+';
  const text = `a ${value} b ${Buffer.from(value).toString('base64')} c ${encodeURIComponent(value)} d ${JSON.stringify(value).slice(1, -1)}`;
  expect(scrub(text, value)).toBe('a [secret] b [secret] c [secret] d [secret]');
  expect(scrub('nothing to hide', undefined)).toBe('nothing to hide');
});
