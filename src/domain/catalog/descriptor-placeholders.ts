/**
 * `$text`, `$json` and `$yaml` placeholders, with the semantics of Backstage's PlaceholderProcessor:
 * anywhere in a document, an object with exactly one key, `$text` / `$json` / `$yaml`, whose value
 * is a string (the target: a path relative to the descriptor, or a URL) is replaced by the
 * target's text (`$text`) or its parsed data (`$json`, `$yaml`: exactly one document). Any other
 * `$`-key (`$ref` in a JSON schema) is left alone.
 *
 * Unlike Backstage, a placeholder never rejects the entity: a target that is not read (a URL of a
 * host we do not fetch from, a missing file, data that does not parse) stands in as its own target
 * text, so the document validates, and a note says why. Pure: the reading is the caller's (see
 * PlaceholderTargets, filled by the LocationReader).
 */
import { parseAllDocuments } from 'yaml';
import { sha256 } from './canonical-hash';
import { yamlDocuments } from './yaml-documents';

export const PLACEHOLDER_KEYS = ['text', 'json', 'yaml'] as const;
export type PlaceholderKey = (typeof PLACEHOLDER_KEYS)[number];

/** How a target was read: its text, a URL kept as a reference (not fetched), or why it could not be read. */
export type PlaceholderRead = { text: string } | { reference: true } | { error: string };

/** Target as written -> how it was read. */
export type PlaceholderTargets = ReadonlyMap<string, PlaceholderRead>;

export interface Placeholder {
  key: PlaceholderKey;
  target: string;
  /** Where in the document, e.g. `spec.definition`. */
  path: string;
}

/** What a placeholder became. `file`: read from a file; `url`: a URL (read from a configured host, or kept as a reference). */
export interface ResolvedPlaceholder extends Placeholder {
  source: 'file' | 'url';
  /** The target's text size in bytes, when it was read. */
  bytes?: number;
  /** Why the target is not in the entity: it is a reference (unread URL) or could not be read/parsed. */
  unread?: 'reference' | string;
}

const isUrl = (target: string): boolean => /^[a-z][a-z0-9+.-]*:\/\//i.test(target);
export const placeholderSource = (target: string): 'file' | 'url' => (isUrl(target) ? 'url' : 'file');

/** A quick test on a file's raw content: no marker, no placeholder (the file need not be parsed to know). */
export const mayHavePlaceholders = (content: string | Buffer): boolean => PLACEHOLDER_KEYS.some((k) => content.includes(`$${k}`));

function asPlaceholder(value: unknown, path: string): Placeholder | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1 || !keys[0]!.startsWith('$')) return undefined;
  const key = keys[0]!.slice(1) as PlaceholderKey;
  const target = (value as Record<string, unknown>)[keys[0]!];
  return PLACEHOLDER_KEYS.includes(key) && typeof target === 'string' ? { key, target, path } : undefined;
}

/** Every placeholder in a document, depth first. */
export function findPlaceholders(doc: unknown, path = ''): Placeholder[] {
  const here = asPlaceholder(doc, path);
  if (here) return [here];
  if (!doc || typeof doc !== 'object') return [];
  if (Array.isArray(doc)) return doc.flatMap((v, i) => findPlaceholders(v, `${path}[${i}]`));
  // Backstage leaves an object with several keys, some `$`-prefixed, alone (and does not look inside).
  if (Object.keys(doc).some((k) => k.startsWith('$'))) return [];
  return Object.entries(doc).flatMap(([k, v]) => findPlaceholders(v, path ? `${path}.${k}` : k));
}

/**
 * The document with its placeholders replaced (a copy; the input is not changed), and what each
 * became. A target missing from `targets` is not read (a URL is then a reference).
 */
export function resolvePlaceholders(doc: unknown, targets: PlaceholderTargets): { value: unknown; resolved: ResolvedPlaceholder[] } {
  const resolved: ResolvedPlaceholder[] = [];
  const walk = (value: unknown, path: string): unknown => {
    const p = asPlaceholder(value, path);
    if (p) {
      const { data, outcome } = substitute(p, targets.get(p.target) ?? (isUrl(p.target) ? { reference: true } : { error: 'not read' }));
      resolved.push(outcome);
      return data;
    }
    if (!value || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((v, i) => walk(v, `${path}[${i}]`));
    if (Object.keys(value).some((k) => k.startsWith('$'))) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, path ? `${path}.${k}` : k)]));
  };
  return { value: walk(doc, ''), resolved };
}

function substitute(p: Placeholder, read: PlaceholderRead): { data: unknown; outcome: ResolvedPlaceholder } {
  const base = { ...p, source: placeholderSource(p.target) };
  if ('reference' in read) return { data: p.target, outcome: { ...base, unread: 'reference' } };
  if ('error' in read) return { data: p.target, outcome: { ...base, unread: read.error } };
  const bytes = Buffer.byteLength(read.text, 'utf8');
  if (p.key === 'text') return { data: read.text, outcome: { ...base, bytes } };
  try {
    return { data: p.key === 'json' ? JSON.parse(read.text) : oneYamlDocument(read.text), outcome: { ...base, bytes } };
  } catch (e) {
    return { data: p.target, outcome: { ...base, bytes, unread: `${p.key === 'json' ? 'JSON' : 'YAML'} does not parse: ${(e as Error).message.split('\n')[0]}` } };
  }
}

/** Backstage's `$yaml`: exactly one document, without errors. */
function oneYamlDocument(text: string): unknown {
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  if (list.length !== 1) throw new Error(`expected exactly one document, found ${list.length}`);
  const [doc] = list;
  if (doc!.errors.length) throw new Error(doc!.errors[0]!.message);
  return doc!.toJS();
}

/** The note an import reports for a placeholder whose target is not in the entity. */
export function placeholderNote(r: ResolvedPlaceholder): string | undefined {
  if (!r.unread) return undefined;
  if (r.unread === 'reference') return `${r.path}: $${r.key} target ${r.target} is kept as a reference (URLs are read only from the configured Azure DevOps organisation)`;
  return `${r.path}: $${r.key} target ${r.target} could not be read (${r.unread}); kept as a reference`;
}

/** The distinct placeholder targets of a descriptor text, in order (what its reader must read). */
export function placeholderTargetsOf(text: string): string[] {
  const targets = new Set<string>();
  for (const doc of yamlDocuments(text)) for (const p of findPlaceholders(doc.value)) targets.add(p.target);
  return [...targets];
}

/** What the targets' contents add to a location's fingerprint: a changed target file is a changed location. */
export function placeholderFingerprint(targets: PlaceholderTargets | undefined): string {
  if (!targets?.size) return '';
  const parts = [...targets].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([target, read]) => {
    const state = 'text' in read ? sha256(read.text) : 'reference' in read ? 'reference' : `error ${read.error}`;
    return `${target}\u0000${state}`;
  });
  return `\nplaceholders\n${parts.join('\n')}`;
}
