/**
 * Compares our reading of a folder of descriptors with Backstage's, document by document.
 *
 * Backstage's side is computed here, independently of src/domain/catalog (so a bug there shows):
 * its YAML parser (the `yaml` package's parseAllDocuments, as its defaultEntityDataParser), its
 * PlaceholderProcessor (a target taken as read: a relative file that exists is read, anything else
 * stands in as text), its ProcessorOutputCollector (`annotations || {}`), its default policies and
 * its kind validators (`@backstage/catalog-model`, with the alpha AiResource kind and `mcp-server` APIs), and the ref parsing of its BuiltinKindsEntityProcessor.
 * A kind without a Backstage validator (Template, plugins' kinds) is judged on envelope + policies,
 * as the catalog keeps it. A document with neither apiVersion nor kind is "not an entity" on both sides.
 *
 * Our side: the file reader's placeholder reads and parseDescriptors, per file.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import {
  DefaultNamespaceEntityPolicy, EntityPolicies, FieldFormatEntityPolicy, NoForeignRootFieldsEntityPolicy, apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator, domainEntityV1alpha1Validator, entityEnvelopeSchemaValidator, entitySchemaValidator,
  groupEntityV1alpha1Validator, locationEntityV1alpha1Validator, parseEntityRef, resourceEntityV1alpha1Validator,
  systemEntityV1alpha1Validator, userEntityV1alpha1Validator, type Entity, type KindValidator,
} from '@backstage/catalog-model';
import { aiResourceEntityV1alpha1Validator, mcpServerApiEntityValidator } from '@backstage/catalog-model/alpha';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { FileDescriptorSource } from '../../src/adapters/files/file-descriptor-source.adapter';
import { fileLocation } from '../../src/domain/catalog/catalog-locations';
import { parseDescriptors } from '../../src/domain/catalog/descriptor-parser';
import { mayHavePlaceholders, placeholderTargetsOf } from '../../src/domain/catalog/descriptor-placeholders';
import { fileReader } from '../../src/domain/catalog/location-readers';

export type Verdict = 'kept' | 'rejected' | 'location' | 'not-entity' | 'empty';

export interface BackstageDocument {
  file: string;
  n: number;
  verdict: Verdict;
  reason?: string;
  kind?: string;
  ref?: string;
  owner?: string;
}

const envelope = entityEnvelopeSchemaValidator();
const schema = entitySchemaValidator();
const policies = EntityPolicies.allOf([new DefaultNamespaceEntityPolicy(), new NoForeignRootFieldsEntityPolicy(), new FieldFormatEntityPolicy()]);
const VALIDATORS: Record<string, KindValidator> = {
  component: componentEntityV1alpha1Validator, api: apiEntityV1alpha1Validator, resource: resourceEntityV1alpha1Validator,
  system: systemEntityV1alpha1Validator, domain: domainEntityV1alpha1Validator, group: groupEntityV1alpha1Validator,
  user: userEntityV1alpha1Validator, location: locationEntityV1alpha1Validator, airesource: aiResourceEntityV1alpha1Validator,
};
/** BuiltinKindsEntityProcessor's relation fields (it throws on a value that is not a ref). */
const REF_FIELDS: Record<string, [string, string][]> = {
  component: [['owner', 'group'], ['system', 'system'], ['subcomponentOf', 'component'], ['providesApis', 'api'], ['consumesApis', 'api'], ['dependsOn', 'component'], ['dependencyOf', 'component']],
  api: [['owner', 'group'], ['system', 'system']],
  resource: [['owner', 'group'], ['system', 'system'], ['dependsOn', 'component'], ['dependencyOf', 'component']],
  system: [['owner', 'group'], ['domain', 'domain']],
  domain: [['owner', 'group'], ['subdomainOf', 'domain']],
  group: [['parent', 'group'], ['children', 'group'], ['members', 'user']],
  user: [['memberOf', 'group']],
};

export const yamlFilesUnder = (folder: string): string[] =>
  readdirSync(folder)
    .sort()
    .flatMap((f) => {
      const p = join(folder, f);
      if (f.startsWith('.') || f === 'node_modules') return [];
      return statSync(p).isDirectory() ? yamlFilesUnder(p) : /\.ya?ml$/i.test(f) ? [p] : [];
    });

/** Backstage's verdict on every document of a file. */
export async function backstageVerdicts(file: string): Promise<BackstageDocument[]> {
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const out: BackstageDocument[] = [];
  let n = 0;
  for (const doc of parseAllDocuments(text, { logLevel: 'error' })) {
    n++;
    if (doc.errors.length) {
      out.push({ file, n, verdict: 'rejected', reason: `YAML: ${doc.errors[0]!.message.split('\n')[0]}` });
      continue;
    }
    const json = doc.toJSON() as unknown;
    if (json === null || json === undefined) out.push({ file, n, verdict: 'empty' });
    else if (typeof json !== 'object' || Array.isArray(json)) out.push({ file, n, verdict: 'rejected', reason: 'not an object' });
    else if (!('apiVersion' in json) && !('kind' in json)) out.push({ file, n, verdict: 'not-entity' });
    else out.push({ file, n, ...(await judge(withPlaceholders(json, dirname(file)) as Record<string, unknown>)) });
  }
  return out;
}

async function judge(raw: Record<string, unknown>): Promise<Omit<BackstageDocument, 'file' | 'n'>> {
  const entity = raw as unknown as Entity;
  try {
    envelope(entity);
  } catch (e) {
    return { verdict: 'rejected', reason: `envelope: ${(e as Error).message}` };
  }
  const kind = entity.kind.toLowerCase();
  const namespace = typeof entity.metadata.namespace === 'string' ? entity.metadata.namespace : 'default';
  const ref = `${kind}:${namespace}/${entity.metadata.name}`.toLowerCase();
  const meta = entity.metadata as Record<string, unknown>;
  const judged = { ...entity, metadata: { ...meta, annotations: meta.annotations || {} } } as Entity; // ProcessorOutputCollector
  try {
    schema(judged);
    await policies.enforce(judged);
    // Backstage's model gives the API kind an `mcp-server` spec type with its own schema (remotes, no definition).
    const validator = kind === 'api' && (judged.spec as { type?: unknown } | undefined)?.type === 'mcp-server' ? mcpServerApiEntityValidator : VALIDATORS[kind];
    if (validator && !(await validator.check(judged))) return { verdict: 'rejected', kind, ref, reason: 'no processor recognised the kind/apiVersion' };
    const spec = (judged.spec ?? {}) as Record<string, unknown>;
    for (const [field, defaultKind] of REF_FIELDS[kind] ?? []) {
      for (const v of ([] as unknown[]).concat(spec[field] ?? [])) parseEntityRef(v as string, { defaultKind, defaultNamespace: namespace });
    }
    const owner = typeof spec.owner === 'string' ? ownerRef(spec.owner, namespace) : undefined;
    return { verdict: kind === 'location' ? 'location' : 'kept', kind, ref, ...(owner ? { owner } : {}) };
  } catch (e) {
    return { verdict: 'rejected', kind, ref, reason: (e as Error).message.split('\n')[0] };
  }
}

function ownerRef(owner: string, namespace: string): string | undefined {
  try {
    const r = parseEntityRef(owner, { defaultKind: 'group', defaultNamespace: namespace });
    return `${r.kind}:${r.namespace}/${r.name}`.toLowerCase();
  } catch {
    return undefined;
  }
}

/** Backstage's PlaceholderProcessor, with every target taken as read. */
function withPlaceholders(value: unknown, folder: string): unknown {
  if (!value || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => withPlaceholders(v, folder));
  const keys = Object.keys(value);
  if (!keys.some((k) => k.startsWith('$'))) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withPlaceholders(v, folder)]));
  const target = (value as Record<string, unknown>)[keys[0]!];
  if (keys.length !== 1 || !['$text', '$json', '$yaml'].includes(keys[0]!) || typeof target !== 'string') return value;
  const path = /^[a-z][a-z0-9+.-]*:\/\//i.test(target) ? undefined : resolve(folder, target);
  const text = path && existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  if (text === undefined || keys[0] === '$text') return text ?? target;
  try {
    return keys[0] === '$json' ? JSON.parse(text) : parseYaml(text);
  } catch {
    return target;
  }
}

export interface OurDocument {
  verdict: Verdict;
  ref?: string;
  kind?: string;
  owner?: string;
}

/** Our verdicts for a file: entities by ref, problems and notes by document number. */
export async function ourVerdicts(file: string): Promise<{ byRef: Map<string, OurDocument>; rejectedDocs: Set<number>; skippedDocs: Set<number>; parsed: Awaited<ReturnType<typeof parseDescriptors>> }> {
  const location = fileLocation(file);
  const content = readFileSync(file);
  const reader = fileReader(new FileDescriptorSource());
  const targets = mayHavePlaceholders(content) ? placeholderTargetsOf(content.toString('utf8')) : [];
  const placeholders = targets.length ? await reader.readPlaceholders!(location, targets) : undefined;
  const parsed = await parseDescriptors(content.toString('utf8').replace(/^\uFEFF/, ''), location, placeholders ? { placeholders } : {});
  const byRef = new Map(parsed.entities.map((e) => [e.ref, { verdict: 'kept' as Verdict, ref: e.ref, kind: e.kind.toLowerCase(), ...(e.owner ? { owner: e.owner } : {}) }]));
  const docOf = (text: string) => Number(/\(document (\d+)\)$/.exec(text)?.[1] ?? 1);
  return {
    byRef,
    rejectedDocs: new Set(parsed.problems.map((p) => docOf(p.reason))),
    skippedDocs: new Set(parsed.notes.filter((n) => n.message.includes('not a catalog entity')).map((n) => docOf(n.message))),
    parsed,
  };
}

export interface Comparison {
  documents: number;
  backstage: Record<Verdict, number>;
  /** Documents where our verdict (or kind, ref, owner) differs from Backstage's, with why. */
  mismatches: string[];
  rejectedBy: Map<string, number>;
  placeholders: { file: number; url: number; unread: number };
  withOwner: number;
  kept: number;
  skipped: number;
}

/** Reasons grouped: the part before the first quote/colon detail, the field names kept. */
const reasonGroup = (reason: string): string =>
  reason
    .replace(/ \(document \d+\)$/, '')
    .replace(/"[^"]*"/g, '"…"')
    .replace(/expected a string that is .*$/, 'has an invalid format')
    .replace(/, got .*$/, '')
    .replace(/ at line \d+, column \d+/, '')
    .slice(0, 90);

export async function compareFolder(folder: string): Promise<Comparison> {
  const c: Comparison = {
    documents: 0, backstage: { kept: 0, rejected: 0, location: 0, 'not-entity': 0, empty: 0 }, mismatches: [], rejectedBy: new Map(),
    placeholders: { file: 0, url: 0, unread: 0 }, withOwner: 0, kept: 0, skipped: 0,
  };
  for (const file of yamlFilesUnder(folder)) {
    const name = relative(folder, file);
    const [theirs, ours] = [await backstageVerdicts(file), await ourVerdicts(file)];
    c.kept += ours.parsed.entities.length;
    c.skipped += ours.parsed.skipped;
    c.withOwner += ours.parsed.entities.filter((e) => e.owner).length;
    for (const p of ours.parsed.problems) c.rejectedBy.set(reasonGroup(p.reason), (c.rejectedBy.get(reasonGroup(p.reason)) ?? 0) + 1);
    for (const p of ours.parsed.placeholders) {
      if (p.unread && p.unread !== 'reference') c.placeholders.unread++;
      else c.placeholders[p.source]++;
    }
    for (const doc of theirs) {
      if (doc.verdict === 'empty') continue;
      c.documents++;
      c.backstage[doc.verdict]++;
      const mine = doc.ref ? ours.byRef.get(doc.ref) : undefined;
      const at = `${name} document ${doc.n}${doc.ref ? ` (${doc.ref})` : ''}`;
      if (doc.verdict === 'kept') {
        if (!mine) c.mismatches.push(`${at}: Backstage keeps it, we do not (${ours.parsed.problems.find((p) => p.entity && doc.ref?.endsWith(`/${p.entity.toLowerCase()}`))?.reason ?? 'no problem reported'})`);
        else if (mine.kind !== doc.kind || (mine.owner ?? '') !== (doc.owner ?? '')) c.mismatches.push(`${at}: kind/owner ${mine.kind}/${mine.owner} instead of ${doc.kind}/${doc.owner}`);
      } else if (doc.verdict === 'rejected') {
        if (mine && !ours.rejectedDocs.has(doc.n)) c.mismatches.push(`${at}: Backstage rejects it (${doc.reason}), we keep it`);
        else if (!ours.rejectedDocs.has(doc.n)) c.mismatches.push(`${at}: Backstage rejects it (${doc.reason}), we report no problem`);
      } else if (doc.verdict === 'not-entity' && !ours.skippedDocs.has(doc.n)) c.mismatches.push(`${at}: not an entity, but not skipped with a note`);
      else if (doc.verdict === 'location' && ours.rejectedDocs.has(doc.n)) c.mismatches.push(`${at}: a valid Location reported as a problem`);
    }
  }
  return c;
}
