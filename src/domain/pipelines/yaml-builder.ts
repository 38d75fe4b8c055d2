/**
 * Builds YAML through the `yaml` Document API so every value is serialised (quoted, escaped) by
 * the library, never pasted into text. `quoted()` forces double quotes on values that came from
 * a person; `commented()` puts `#` lines above a key or list item.
 */
import { Document, Pair, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';

const COMMENT = Symbol('comment');
type WithComment = { [COMMENT]?: string };

/** The same object, carrying a comment for the line(s) above it. */
export const commented = <T extends object>(comment: string, value: T): T => ({ ...value, [COMMENT]: comment });

export function quoted(value: string): Scalar<string> {
  const s = new Scalar(value);
  s.type = Scalar.QUOTE_DOUBLE;
  return s;
}

/** `# text` lines: a leading space reads better after the `#`. */
const asComment = (text: string): string => text.split('\n').map((l) => ` ${l}`).join('\n');
const commentOf = (v: unknown): string | undefined => (v !== null && typeof v === 'object' ? (v as WithComment)[COMMENT] : undefined);

function build(value: unknown): Node {
  if (value instanceof Scalar) return value;
  if (Array.isArray(value)) {
    const seq = new YAMLSeq();
    for (const item of value) {
      const node = build(item);
      const comment = commentOf(item);
      if (comment) node.commentBefore = asComment(comment);
      seq.items.push(node);
    }
    return seq;
  }
  if (value !== null && typeof value === 'object') {
    const map = new YAMLMap();
    // Object.entries skips the COMMENT symbol: it never becomes a key.
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      const key = new Scalar(k);
      const comment = commentOf(v);
      if (comment) key.commentBefore = asComment(comment);
      map.items.push(new Pair(key, build(v)));
    }
    return map;
  }
  return new Scalar(value);
}

export function toYaml(value: object, headerComment?: string): string {
  const doc = new Document();
  doc.contents = build(value) as Document['contents'];
  if (headerComment) doc.commentBefore = asComment(headerComment);
  // lineWidth 0: never fold long scripts or conditions onto several lines.
  return doc.toString({ lineWidth: 0 });
}
