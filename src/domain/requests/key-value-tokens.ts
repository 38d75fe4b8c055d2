/**
 * `key=value key="quoted value"` as typed in chat (one-shot commands): tokens in order, bare words
 * without a key, and problems in words (an unclosed quote). Typographic quotes count, as Teams
 * and phones replace straight ones.
 */

export interface KeyValueToken {
  key?: string;
  value: string;
}

const QUOTES: Record<string, string> = { '"': '"\u201d', '\u201c': '\u201d"', "'": "'\u2019", '\u2018': "\u2019'" };
const KEY_AT = /([A-Za-z][\w.-]*)\s*=/y;

/** Splits `key=value key="quoted value"` into tokens; bare words come back without a key. */
export function tokenizeKeyValues(text: string, problems: string[]): KeyValueToken[] {
  const tokens: KeyValueToken[] = [];
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  for (skipSpace(); i < text.length; skipSpace()) {
    KEY_AT.lastIndex = i;
    const m = KEY_AT.exec(text);
    if (!m) {
      const start = i;
      while (i < text.length && !/\s/.test(text[i]!)) i++;
      tokens.push({ value: text.slice(start, i) });
      continue;
    }
    const key = m[1]!;
    i = KEY_AT.lastIndex;
    // `name= payments` is forgiven; `name= stack=node` is an empty name, not a name "stack=node".
    const afterSpace = i + (/^\s*/.exec(text.slice(i))?.[0].length ?? 0);
    KEY_AT.lastIndex = afterSpace;
    if (afterSpace < text.length && !KEY_AT.test(text)) i = afterSpace;
    const closers = QUOTES[text[i] ?? ''];
    if (closers) {
      const { value, end, closed } = readQuoted(text, i + 1, closers);
      if (!closed) problems.push(`the value of ${key} has no closing quote`);
      tokens.push({ key, value });
      i = end;
      continue;
    }
    const start = i;
    while (i < text.length && !/\s/.test(text[i]!)) i++;
    tokens.push({ key, value: text.slice(start, i) });
  }
  return tokens;
}

/** From just after an opening quote to its closer; `\"` and `\\` are escapes. */
function readQuoted(text: string, from: number, closers: string): { value: string; end: number; closed: boolean } {
  let value = '';
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length && (closers.includes(text[i + 1]!) || text[i + 1] === '\\')) {
      value += text[++i];
    } else if (closers.includes(c)) {
      return { value, end: i + 1, closed: true };
    } else {
      value += c;
    }
  }
  return { value, end: text.length, closed: false };
}
