/**
 * Reads a `catalog-info.yaml` (one or many YAML documents) into catalog entities. Pure: text in,
 * entities and problems out. Each document is validated by Backstage's catalog model and mapped on
 * its own, so one invalid document is a problem (location, entity name, the field and why) and
 * every other document is kept. `Location` documents are not stored: their targets are returned
 * for the loader to follow. Conventions: docs/catalog-descriptors.md.
 */
import type { ApiDefinitionRef, CatalogEntityInput, ImportNote, ImportProblem } from './catalog.types';
import { contentHash } from './canonical-hash';
import { DescriptorFieldError } from './descriptor-annotations';
import { toCatalogEntity, type RepositoryHint } from './descriptor-mapper';
import { mayHavePlaceholders, placeholderNote, resolvePlaceholders, type PlaceholderTargets, type ResolvedPlaceholder } from './descriptor-placeholders';
import { isNotAnEntity, tolerated, validateDescriptor } from './descriptor-validation';
import { canonicalKind, entityRef } from './entity-refs';
import { yamlDocuments } from './yaml-documents';

/** Bumped when parsing or mapping changes, so stored fingerprints of unchanged files are not trusted. */
export const PARSER_VERSION = '2';

/** Documents parsed between two pauses: a big file must not stall the bot's event loop. */
const YIELD_EVERY = 25;

export interface ParseOptions {
  /** The repository the text was read from (Azure DevOps imports). */
  repository?: RepositoryHint;
  /** `$text`/`$json`/`$yaml` targets as read by the location's reader (absent: none read, URLs kept as references). */
  placeholders?: PlaceholderTargets;
}

export interface ParsedDescriptors {
  entities: CatalogEntityInput[];
  problems: ImportProblem[];
  /** Documents skipped because they are not entities, placeholders not read: information, not problems. */
  notes: ImportNote[];
  /** Every placeholder met in a valid entity, and what it became (counted by the compatibility report). */
  placeholders: ResolvedPlaceholder[];
  /** Documents that are YAML but not entities (no apiVersion, no kind). */
  skipped: number;
  /** `spec.target` / `spec.targets` of Location documents, as written (relative to the file). */
  locationTargets: string[];
  /** Refs of documents that were invalid but named an entity: keep what is stored rather than orphan it. */
  rejectedRefs: string[];
  /** True when a document was so broken that it named no entity: nothing of the location should be orphaned. */
  unidentifiedProblems: boolean;
}

type Outcome =
  | { entity: CatalogEntityInput; placeholders: ResolvedPlaceholder[] }
  | { targets: string[]; notes: string[] }
  | { problem: string }
  | { skipped: string }
  | { empty: true };

export async function parseDescriptors(text: string, location: string, options: ParseOptions = {}): Promise<ParsedDescriptors> {
  const out: ParsedDescriptors = { entities: [], problems: [], notes: [], placeholders: [], skipped: 0, locationTargets: [], rejectedRefs: [], unidentifiedProblems: false };
  const found: { n: number; name?: string; ref?: string; reason: string }[] = [];
  const noted: { n: number; name?: string; message: string }[] = [];
  const firstSeen = new Map<string, number>();
  // Only a text that mentions a placeholder is walked for one (a copy of every document otherwise).
  const placeholders = mayHavePlaceholders(text) ? (options.placeholders ?? new Map()) : undefined;
  let n = 0;
  for (const doc of yamlDocuments(text)) {
    if (++n % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
    const raw = doc.value;
    const report = (reason: string) => found.push({ n, name: nameOf(raw), ref: refOf(raw), reason });
    const outcome = 'error' in doc ? { problem: `invalid YAML: ${doc.error}` } : await readDocument(raw, location, options, placeholders);
    if ('problem' in outcome) report(outcome.problem);
    else if ('skipped' in outcome) {
      out.skipped++;
      noted.push({ n, message: outcome.skipped });
    } else if ('targets' in outcome) {
      out.locationTargets.push(...outcome.targets);
      // A valid Location rejects nothing: a target we do not follow is a note.
      for (const message of outcome.notes) noted.push({ n, name: nameOf(raw), message });
    } else if ('entity' in outcome) {
      const earlier = firstSeen.get(outcome.entity.ref);
      if (earlier !== undefined) report(`${outcome.entity.ref} is defined twice in this file (first in document ${earlier})`);
      else {
        firstSeen.set(outcome.entity.ref, n);
        out.entities.push(outcome.entity);
        out.placeholders.push(...outcome.placeholders);
        for (const p of outcome.placeholders) {
          const message = placeholderNote(p);
          if (message) noted.push({ n, name: outcome.entity.name, message });
        }
      }
    }
  }
  const where = (k: number) => (n > 1 ? ` (document ${k})` : '');
  for (const f of noted) out.notes.push({ location, ...(f.name ? { entity: f.name } : {}), message: `${f.message}${where(f.n)}` });
  const valid = new Set(out.entities.map((e) => e.ref));
  for (const f of found) {
    out.problems.push({ location, ...(f.name ? { entity: f.name } : {}), reason: `${f.reason}${where(f.n)}` });
    // A ref both rejected and valid (a duplicate) is held by the valid one.
    if (f.ref && !valid.has(f.ref)) out.rejectedRefs.push(f.ref);
    if (!f.ref) out.unidentifiedProblems = true;
  }
  out.rejectedRefs = [...new Set(out.rejectedRefs)];
  return out;
}

async function readDocument(raw: unknown, location: string, options: ParseOptions, targets: PlaceholderTargets | undefined): Promise<Outcome> {
  if (raw === null || raw === undefined) return { empty: true }; // e.g. a trailing ---
  if (typeof raw !== 'object' || Array.isArray(raw)) return { problem: 'document is not a mapping (expected apiVersion, kind, metadata, spec)' };
  if (isNotAnEntity(raw)) return { skipped: `not a catalog entity (no apiVersion, no kind${openApiHint(raw)}): skipped` };
  // Placeholders first, as Backstage's processors run before its validation: the entity is judged with its targets' data.
  const { value, resolved } = targets ? resolvePlaceholders(raw, targets) : { value: raw, resolved: [] };
  const doc = tolerated(value);
  const invalid = await validateDescriptor(doc);
  if (invalid) return { problem: invalid };
  const entity = doc as { kind: string; spec?: { target?: string; targets?: string[]; type?: string } };
  if (entity.kind === 'Location') return locationTargets(entity.spec ?? {});
  try {
    const definition = definitionRef(resolved.find((p) => p.path === 'spec.definition'));
    // The hash covers the placeholders' data: a changed target file is a changed entity.
    const mapped = toCatalogEntity(doc as Parameters<typeof toCatalogEntity>[0], { location, sourceHash: contentHash(value), repository: options.repository, definition });
    return { entity: mapped, placeholders: resolved };
  } catch (e) {
    return { problem: e instanceof DescriptorFieldError ? e.message : `cannot be read: ${(e as Error).message}` };
  }
}

function locationTargets(spec: { target?: string; targets?: string[]; type?: string }): { targets: string[]; notes: string[] } {
  const all = [...(spec.target ? [spec.target] : []), ...(spec.targets ?? [])];
  const isUrl = (t: string) => spec.type === 'url' || /^[a-z][a-z0-9+.-]*:\/\//i.test(t);
  return {
    targets: all.filter((t) => !isUrl(t)),
    notes: all.filter(isUrl).map((t) => `spec.targets: "${t}" is a URL, not followed (only file targets relative to this file are)`),
  };
}

function definitionRef(p: ResolvedPlaceholder | undefined): ApiDefinitionRef | undefined {
  if (!p) return undefined;
  return { source: p.source, target: p.target, ...(p.bytes !== undefined && !p.unread ? { bytes: p.bytes } : {}) };
}

const openApiHint = (raw: object): string => ('openapi' in raw || 'swagger' in raw ? '; an OpenAPI document' : 'asyncapi' in raw ? '; an AsyncAPI document' : '');

function nameOf(raw: unknown): string | undefined {
  const name = (raw as { metadata?: { name?: unknown } } | null)?.metadata?.name;
  return typeof name === 'string' && name.trim() ? name.trim() : undefined;
}

function refOf(raw: unknown): string | undefined {
  const r = raw as { kind?: unknown; metadata?: { namespace?: unknown } } | null;
  const kind = typeof r?.kind === 'string' ? canonicalKind(r.kind) : undefined;
  const name = nameOf(raw);
  const namespace = typeof r?.metadata?.namespace === 'string' ? r.metadata.namespace : 'default';
  return kind && name ? entityRef(kind, namespace, name) : undefined;
}
