/**
 * Reads a `catalog-info.yaml` (one or many YAML documents) into catalog entities. Pure: text in,
 * entities and problems out. Each document is validated by Backstage's catalog model and mapped on
 * its own, so one invalid document is a problem (location, entity name, the field and why) and
 * every other document is kept. `Location` documents are not stored: their targets are returned
 * for the loader to follow. Conventions: docs/catalog-descriptors.md.
 */
import { parseAllDocuments } from 'yaml';
import type { CatalogEntityInput, ImportProblem } from './catalog.types';
import { contentHash } from './canonical-hash';
import { DescriptorFieldError } from './descriptor-annotations';
import { toCatalogEntity, type RepositoryHint } from './descriptor-mapper';
import { validateDescriptor } from './descriptor-validation';
import { canonicalKind, entityRef } from './entity-refs';

/** Bumped when parsing or mapping changes, so stored fingerprints of unchanged files are not trusted. */
export const PARSER_VERSION = '1';

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
}

export async function parseDescriptors(text: string, location: string, options: ParseOptions = {}): Promise<ParsedDescriptors> {
  const out: ParsedDescriptors = { entities: [], problems: [], locationTargets: [], rejectedRefs: [] };
  const firstSeen = new Map<string, number>();
  const documents = parseAllDocuments(text);
  let n = 0;
  for (const doc of documents) {
    n++;
    const at = documents.length > 1 ? ` (document ${n})` : '';
    const raw = safeToJs(doc);
    const name = nameOf(raw);
    const problem = (reason: string) => {
      out.problems.push({ location, ...(name ? { entity: name } : {}), reason: `${reason}${at}` });
      const ref = refOf(raw);
      if (ref) out.rejectedRefs.push(ref);
    };
    if (doc.errors.length) {
      problem(`invalid YAML: ${doc.errors[0]!.message.split('\n')[0]!.replace(/:$/, '')}`);
      continue;
    }
    if (raw === null || raw === undefined) continue; // an empty document (e.g. a trailing ---)
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      problem('document is not a mapping (expected apiVersion, kind, metadata, spec)');
      continue;
    }
    const invalid = await validateDescriptor(raw);
    if (invalid) {
      problem(invalid);
      continue;
    }
    const entity = raw as { kind: string; spec?: { target?: string; targets?: string[]; type?: string } };
    if (entity.kind === 'Location') {
      const targets = [...(entity.spec?.target ? [entity.spec.target] : []), ...(entity.spec?.targets ?? [])];
      for (const t of targets) {
        if (entity.spec?.type === 'url' || /^[a-z][a-z0-9+.-]*:\/\//i.test(t)) problem(`spec.targets: "${t}" is a URL; only file targets relative to this file are followed`);
        else out.locationTargets.push(t);
      }
      continue;
    }
    try {
      const mapped = toCatalogEntity(raw as Parameters<typeof toCatalogEntity>[0], { location, sourceHash: contentHash(raw), repository: options.repository });
      const earlier = firstSeen.get(mapped.ref);
      if (earlier !== undefined) {
        problem(`${mapped.ref} is defined twice in this file (first in document ${earlier})`);
        continue;
      }
      firstSeen.set(mapped.ref, n);
      out.entities.push(mapped);
    } catch (e) {
      problem(e instanceof DescriptorFieldError ? e.message : `cannot be read: ${(e as Error).message}`);
    }
  }
  // A ref both rejected and valid (a duplicate) is held by the valid one.
  const valid = new Set(out.entities.map((e) => e.ref));
  out.rejectedRefs = [...new Set(out.rejectedRefs)].filter((r) => !valid.has(r));
  return out;
}

function safeToJs(doc: { toJS(): unknown }): unknown {
  try {
    return doc.toJS();
  } catch {
    return undefined;
  }
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
