/**
 * Text from outside (a user's message, a descriptor, a webhook) shown in Teams markdown: card
 * TextBlocks, FactSet values and chat messages. Teams renders `1. ` as a list, `__x__` as bold,
 * `[t](u)` as a link and drops `<words>`; escaped, the text renders as it was typed.
 */

/** Characters with a meaning anywhere in a line, escaped with a backslash (CommonMark escapes). */
const INLINE = /[\\`*_[\]<>~|]/g;
/**
 * What starts a list, heading or rule at the start of a line ("1. ", "- ", "# ", "---"); a number
 * only when a space or the line's end follows, so a version "1.4.2" stays as written.
 */
const LINE_START = /^(\s*)(\d+)([.)])(?=\s|$)|^(\s*)([-+#])/gm;

/** `scheme://`: renderers turn a bare URL into a link; an escaped colon keeps it text (links go through safeLink). */
const BARE_URL = /\b([a-z][a-z0-9+.-]*):(?=\/\/)/gi;

export function escapeMarkdown(text: string): string {
  return text
    .replace(INLINE, (c) => `\\${c}`)
    .replace(LINE_START, (_m, s1, digits, dot, s2, mark) => (digits ? `${s1}${digits}\\${dot}` : `${s2}\\${mark}`))
    .replace(BARE_URL, '$1\\:');
}

/** Long input shortened for display, saying that it was: `max` counts characters of the original. */
export function cut(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  return `${chars.slice(0, max).join('')}… (${chars.length - max} more characters not shown)`;
}

/**
 * Input quoted in a chat message, as an inline code span: nothing in it is markdown, and Teams
 * does not turn a URL in it into a link. Backticks inside become apostrophes (they would end the span).
 */
export function codeSpan(text: string, max = 80): string {
  const shown = cut(text.replace(/\s+/g, ' ').trim(), max).replace(/`/g, "'");
  return shown ? `\`${shown}\`` : "''";
}

/**
 * What Teams shows as plain text (an invoke's error or message, a compose-box notice): the
 * message table's markdown with its emphasis and escapes taken out.
 */
export function toPlainText(markdown: string): string {
  return markdown.replace(/\*\*/g, '').replace(/\\([\\`*_[\]<>~|.)#+-])/g, '$1');
}

/** `escapeMarkdown(cut(text, max))`: what a card quoting the user's input shows. */
export function quoted(text: string, max = 80): string {
  return escapeMarkdown(cut(text.replace(/\s+/g, ' ').trim(), max));
}

/**
 * A markdown link only to an https (or, for the sandbox, http) URL whose host is one of `hosts`
 * (or a sub-domain of one); anything else is shown as plain text, never as a link.
 */
export function safeLink(title: string, url: string | undefined, hosts: readonly string[]): string {
  const text = escapeMarkdown(title);
  const href = url ? allowedUrl(url, hosts) : undefined;
  return href ? `[${text}](${href})` : text;
}

/** The URL, normalised, when its scheme is http(s) and its host is allowed; else undefined. */
export function allowedUrl(url: string, hosts: readonly string[]): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  if (parsed.username || parsed.password) return undefined;
  const host = parsed.hostname.toLowerCase();
  const ok = hosts.some((h) => {
    const allowed = h.toLowerCase();
    return host === allowed || host.endsWith(`.${allowed}`);
  });
  // Parentheses and spaces would end the markdown link early.
  return ok ? parsed.href.replace(/[()\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`) : undefined;
}
