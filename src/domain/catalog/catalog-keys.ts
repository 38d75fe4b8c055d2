/**
 * Everything a record can be found by, in the normalised forms of catalog-text and catalog-url.
 * Indexing and query-time verification both call these, so a hash hit is always checked against
 * the same key the record produced.
 */
import type { CatalogRecord } from './catalog-record';
import { orderedCompact, sortedCompact, sortedKey, tokenize } from './catalog-text';
import { linkKeys, repoPathKey } from './catalog-url';

/** Where a key came from; `matchedBy` in answers is the label. */
export const FIELD = {
  name: 0, title: 1, alias: 2, repository: 3, repositoryPath: 4, pipeline: 5, secretPrefix: 6, tag: 7, link: 8, linkHost: 9,
} as const;
export type Field = (typeof FIELD)[keyof typeof FIELD];

export const FIELD_LABEL: Record<Field, string> = {
  0: 'name', 1: 'title', 2: 'alias', 3: 'repository', 4: 'repository', 5: 'pipeline', 6: 'key vault secret', 7: 'tag', 8: 'link', 9: 'link host',
};

/** Identifying fields: a hit on one of them names the entity. Tags and shared hosts only hint. */
export const isIdentifying = (f: Field): boolean => f !== FIELD.tag && f !== FIELD.linkHost;

export interface FieldKey {
  field: Field;
  key: string;
}

/** Text keys (sorted-word form; `project/repo` for repository paths). */
export function textKeys(r: CatalogRecord): FieldKey[] {
  const out: FieldKey[] = [];
  const push = (field: Field, text: string | undefined) => {
    if (!text) return;
    const tokens = tokenize(text);
    if (tokens.length) out.push({ field, key: sortedKey(tokens) });
  };
  push(FIELD.name, r.name);
  push(FIELD.title, r.title);
  if (r.profile?.displayName !== r.title) push(FIELD.title, r.profile?.displayName);
  for (const a of r.aliases) push(FIELD.alias, a);
  for (const t of r.tags) push(FIELD.tag, t);
  const repo = r.source.repository;
  if (repo) {
    push(FIELD.repository, repo.name);
    out.push({ field: FIELD.repositoryPath, key: repoPathKey(repo.project, repo.name) });
  }
  for (const p of r.source.pipelines) push(FIELD.pipeline, p);
  push(FIELD.secretPrefix, r.source.secretPrefix);
  return dedupe(out);
}

/** URL keys of the record's links and repository URL, and their hosts. */
export function urlKeys(r: CatalogRecord): FieldKey[] {
  const out: FieldKey[] = [];
  const add = (url: string | undefined) => {
    if (!url) return;
    const { keys, host } = linkKeys(url);
    for (const key of keys) out.push({ field: FIELD.link, key });
    if (host) out.push({ field: FIELD.linkHost, key: host });
  };
  for (const l of r.links) add(l.url);
  add(r.source.repository?.url);
  return dedupe(out);
}

/** A way of writing the entity's name, as words: what typo and word matching compare against. */
export interface NameForm {
  field: Field;
  tokens: string[];
}

export function nameForms(r: CatalogRecord): NameForm[] {
  const out: NameForm[] = [];
  const seen = new Set<string>();
  const push = (field: Field, text: string | undefined) => {
    if (!text) return;
    const tokens = tokenize(text);
    const key = tokens.join(' ');
    if (!tokens.length || seen.has(key)) return;
    seen.add(key);
    out.push({ field, tokens });
  };
  push(FIELD.name, r.name);
  push(FIELD.title, r.title);
  push(FIELD.title, r.profile?.displayName);
  for (const a of r.aliases) push(FIELD.alias, a);
  if (r.source.repository) push(FIELD.repository, r.source.repository.name);
  return out;
}

/** Separator-free spellings of the name forms (ordered and word-sorted), for the typo index. */
export function compactForms(forms: NameForm[]): string[] {
  const out = new Set<string>();
  for (const f of forms) {
    out.add(orderedCompact(f.tokens));
    out.add(sortedCompact(f.tokens));
  }
  return [...out];
}

function dedupe(keys: FieldKey[]): FieldKey[] {
  const seen = new Set<string>();
  return keys.filter((k) => {
    const id = `${k.field}|${k.key}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
