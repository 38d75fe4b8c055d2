/**
 * Reads a `catalog-info.yaml` (one or many YAML documents) into catalog entities. Pure: text in,
 * entities and problems out. Each document is validated by Backstage's catalog model and mapped on
 * its own, so one invalid document is a problem (location, entity name, the field and why) and
 * every other document is kept. `Location` documents are not stored: their targets are returned
 * for the loader to follow. Conventions: docs/catalog-descriptors.md.
 */
import type { CatalogEntityInput, ImportProblem } from './catalog.types';
import { contentHash } from './canonical-hash';
import { DescriptorFieldError } from './descriptor-annotations';
import { toCatalogEntity, type RepositoryHint } from './descriptor-mapper';
import { validateDescriptor } from './descriptor-validation';
import { canonicalKind, entityRef } from './entity-refs';
import { yamlDocuments } from './yaml-documents';

/** Bumped when parsing or mapping changes, so stored fingerprints of unchanged files are not trusted. */
export const PARSER_VERSION = '1';

/** Documents parsed between two pauses: a big file must not stall the bot's event loop. */
const YIELD_EVERY = 25;

export interface ParseOptions {
  /** The repository the text was read from (Azure DevOps imports). */
  repository?: RepositoryHint;
}

export interface ParsedDescriptors {
  entities: CatalogEntityInput[];
  problems: ImportProblem[];
  /** `spec.target` / `spec.targets` of Location documents, as written (relative to the file). */
  locationTargets: string[];
  /** Refs of documents that were invalid but named an entity: keep what is stored rather than orphan it. */
  rejectedRefs: string[];
  /** True when a document was so broken that it named no entity: nothing of the location should be orphaned. */
  unidentifiedProblems: boolean;
}

type Outcome = { entity: CatalogEntityInput } | { targets: string[]; problems: string[] } | { problem: string } | { empty: true };

export async function parseDescriptors(text: string, location: string, options: ParseOptions = {}): Promise<ParsedDescriptors> {
  const out: ParsedDescriptors = { entities: [], problems: [], locationTargets: [], rejectedRefs: [], unidentifiedProblems: false };
  const found: { n: number; name?: string; ref?: string; reason: string; harmless?: boolean }[] = [];
  const firstSeen = new Map<string, number>();
  let n = 0;
  for (const doc of yamlDocuments(text)) {
    if (++n % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
    const raw = doc.value;
    const report = (reason: string, harmless = false) => found.push({ n, name: nameOf(raw), ref: refOf(raw), reason, harmless });
    const outcome = 'error' in doc ? { problem: `invalid YAML: ${doc.error}` } : await readDocument(raw, location, options);
    if ('problem' in outcome) report(outcome.problem);
    else if ('targets' in outcome) {
      out.locationTargets.push(...outcome.targets);
      for (const p of outcome.problems) report(p, true); // a valid Location document hides no entity
    } else if ('entity' in outcome) {
      const earlier = firstSeen.get(outcome.entity.ref);
      if (earlier !== undefined) report(`${outcome.entity.ref} is defined twice in this file (first in document ${earlier})`);
      else {
        firstSeen.set(outcome.entity.ref, n);
        out.entities.push(outcome.entity);
      }
    }
  }
  const valid = new Set(out.entities.map((e) => e.ref));
  for (const f of found) {
    out.problems.push({ location, ...(f.name ? { entity: f.name } : {}), reason: n > 1 ? `${f.reason} (document ${f.n})` : f.reason });
    // A ref both rejected and valid (a duplicate) is held by the valid one.
    if (f.ref && !valid.has(f.ref)) out.rejectedRefs.push(f.ref);
    if (!f.ref && !f.harmless) out.unidentifiedProblems = true;
  }
  out.rejectedRefs = [...new Set(out.rejectedRefs)];
  return out;
}

async function readDocument(raw: unknown, location: string, options: ParseOptions): Promise<Outcome> {
  if (raw === null || raw === undefined) return { empty: true }; // e.g. a trailing ---
  if (typeof raw !== 'object' || Array.isArray(raw)) return { problem: 'document is not a mapping (expected apiVersion, kind, metadata, spec)' };
  const invalid = await validateDescriptor(raw);
  if (invalid) return { problem: invalid };
  const entity = raw as { kind: string; spec?: { target?: string; targets?: string[]; type?: string } };
  if (entity.kind === 'Location') return locationTargets(entity.spec ?? {});
  try {
    return { entity: toCatalogEntity(raw as Parameters<typeof toCatalogEntity>[0], { location, sourceHash: contentHash(raw), repository: options.repository }) };
  } catch (e) {
    return { problem: e instanceof DescriptorFieldError ? e.message : `cannot be read: ${(e as Error).message}` };
  }
}

function locationTargets(spec: { target?: string; targets?: string[]; type?: string }): { targets: string[]; problems: string[] } {
  const all = [...(spec.target ? [spec.target] : []), ...(spec.targets ?? [])];
  const isUrl = (t: string) => spec.type === 'url' || /^[a-z][a-z0-9+.-]*:\/\//i.test(t);
  return {
    targets: all.filter((t) => !isUrl(t)),
    problems: all.filter(isUrl).map((t) => `spec.targets: "${t}" is a URL; only file targets relative to this file are followed`),
  };
}

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
