/**
 * Escapers for the file formats the skeleton writes where no serializer library is at hand
 * (YAML and JSON go through the `yaml` package and JSON.stringify instead). Each one turns any
 * string into a literal of its format: the text can never close the element, string or line
 * it sits in.
 */

/** XML 1.0 forbids most control characters even escaped: they are dropped. */
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

export function xmlText(value: string): string {
  return value
    .replace(XML_INVALID, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const TOML_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r' };

/** A TOML basic string, quotes included. */
export function tomlString(value: string): string {
  const body = value.replace(/["\\\u0000-\u001f\u007f]/g, (c) => TOML_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `"${body}"`;
}

/**
 * Markdown inline text: every character that could start markup (headings, lists, links, HTML,
 * emphasis, code, tables, setext underlines) is backslash-escaped or an entity; a line break
 * becomes a space, so the text stays inside its line.
 */
export function markdownInline(value: string): string {
  return value
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\\`*_{}[\]()#+\-.!|~=:>]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;');
}

/**
 * Markdown paragraphs: blank lines separate paragraphs, a single line break stays a line break
 * (a trailing backslash), and every line is escaped inline text — so no line of it can become a
 * heading, list, rule, table or code block.
 */
export function markdownParagraphs(value: string): string {
  return value
    .split(/\r?\n\s*\r?\n/)
    .map((p) =>
      p
        .split(/\r?\n/)
        .map((line) => markdownInline(line))
        .filter(Boolean)
        .join('\\\n'),
    )
    .filter(Boolean)
    .join('\n\n');
}

/** An http(s) URL in its canonical form (spaces, quotes and angle brackets percent-encoded), else undefined. */
export function httpUrl(value: string | undefined, schemes: readonly string[] = ['https:', 'http:']): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value.trim());
    return schemes.includes(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** `[text](<url>)`: the URL is canonical, so it holds no `<`, `>`, space or line break. */
export const markdownLink = (text: string, url: string): string => `[${markdownInline(text)}](<${url}>)`;
