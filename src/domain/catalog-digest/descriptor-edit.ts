/**
 * A Fix applied to catalog-info.yaml with the `yaml` Document API: only the entity's own document
 * is re-serialised (the other documents of the file stay byte for byte), and inside it comments,
 * key order and layout survive. The result is validated as Backstage would before it is pushed.
 */
import { isMap, isScalar, isSeq, parseAllDocuments, type Document } from 'yaml';
import { validateDescriptor } from '../catalog/descriptor-validation';
import { ANNOTATIONS } from '../catalog/descriptor-annotations';
import { DomainError } from '../domain-error';

export type DescriptorFix =
  | { kind: 'owner'; owner: string }
  | { kind: 'contact'; teamsChannelUrl: string }
  | { kind: 'contact'; email: string }
  | { kind: 'runbook' | 'dashboard'; url: string; title: string }
  | { kind: 'on-call'; rotation: string }
  | { kind: 'lifecycle'; lifecycle: string };

export interface DescriptorTarget {
  kind: string;
  namespace: string;
  name: string;
}

export interface EditedDescriptor {
  text: string;
  /** False when the file already says this (nothing to commit). */
  changed: boolean;
}

type Path = (string | number)[];

/** The edited file text; DomainError DIGEST.DESCRIPTOR_UNREADABLE / DIGEST.ENTITY_NOT_IN_FILE / DIGEST.EDIT_INVALID. */
export async function editDescriptor(text: string, target: DescriptorTarget, fix: DescriptorFix, file: string): Promise<EditedDescriptor> {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) throw new DomainError('DIGEST.DESCRIPTOR_UNREADABLE', `${file} holds no YAML document`, { file });
  const index = docs.findIndex((d) => d.errors.length === 0 && matches(d.toJS(), target));
  if (index < 0) throw new DomainError('DIGEST.ENTITY_NOT_IN_FILE', `${file} has no document for ${target.kind} ${target.namespace}/${target.name}`, { file, entity: target.name });
  const doc = docs[index]!;
  const before = JSON.stringify(doc.toJS());
  apply(doc, fix);
  const edited = doc.toJS() as unknown;
  if (JSON.stringify(edited) === before) return { text, changed: false };
  const reason = await validateAsBackstageReads(edited);
  if (reason) throw new DomainError('DIGEST.EDIT_INVALID', `the edited ${file} does not validate: ${reason}`, { file, reason });
  // Splice the one document back: the first one's text starts at 0 (its leading comments belong to it).
  const [start, , end] = doc.range;
  const text2 = text.slice(0, index === 0 ? 0 : start) + doc.toString() + text.slice(end);
  return { text: text2, changed: true };
}

/** Backstage's verdict on a document, reading an empty `annotations:` (null), and its siblings, as absent, as Backstage does. */
export function validateAsBackstageReads(doc: unknown): Promise<string | undefined> {
  const copy = structuredClone(doc) as { metadata?: Record<string, unknown> } | null;
  const metadata = copy?.metadata;
  if (metadata && typeof metadata === 'object') for (const key of ['annotations', 'labels', 'tags', 'links']) if (metadata[key] === null) delete metadata[key];
  return validateDescriptor(copy);
}

function matches(js: unknown, target: DescriptorTarget): boolean {
  const d = js as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } } | null;
  if (!d || typeof d.kind !== 'string' || typeof d.metadata?.name !== 'string') return false;
  const namespace = typeof d.metadata.namespace === 'string' ? d.metadata.namespace : 'default';
  return d.kind.toLowerCase() === target.kind.toLowerCase() && d.metadata.name.toLowerCase() === target.name.toLowerCase() && namespace.toLowerCase() === target.namespace.toLowerCase();
}

function apply(doc: Document, fix: DescriptorFix): void {
  switch (fix.kind) {
    case 'owner':
      return set(doc, ['spec', 'owner'], fix.owner);
    case 'lifecycle':
      return set(doc, ['spec', 'lifecycle'], fix.lifecycle);
    case 'on-call':
      return set(doc, ['metadata', 'annotations', ANNOTATIONS.onCallRotation], fix.rotation);
    case 'contact':
      return 'email' in fix ? set(doc, ['metadata', 'annotations', ANNOTATIONS.email], fix.email) : set(doc, ['metadata', 'annotations', ANNOTATIONS.teamsChannelUrl], fix.teamsChannelUrl);
    case 'runbook':
    case 'dashboard': {
      const link = { url: fix.url, title: fix.title, type: fix.kind };
      const links = doc.getIn(['metadata', 'links'], true);
      if (isSeq(links)) {
        if (!links.items.some((l) => isMap(l) && l.get('url') === fix.url)) links.add(doc.createNode(link));
        return;
      }
      return set(doc, ['metadata', 'links'], [link]);
    }
  }
}

/**
 * Sets a value, making each missing or empty (`annotations:` with nothing under it) parent a map.
 * An empty parent's comments (often the commented-out lines people leave there) move into the new map.
 */
function set(doc: Document, path: Path, value: unknown): void {
  for (let i = 1; i < path.length; i++) {
    const parent = path.slice(0, i);
    const node = doc.getIn(parent, true);
    if (isMap(node)) continue;
    const map = doc.createNode({});
    if (isScalar(node) && node.value === null && node.comment) map.commentBefore = node.comment;
    doc.setIn(parent, map);
  }
  // A scalar already there keeps its node, and so its comment (`lifecycle: experimental # until launch`).
  const existing = doc.getIn(path, true);
  if (isScalar(existing) && typeof value !== 'object') existing.value = value;
  else doc.setIn(path, doc.createNode(value));
}
