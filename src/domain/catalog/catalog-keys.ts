/**
 * Everything a record can be found by, in the normalised forms of catalog-text and catalog-url.
 * Indexing and query-time verification both call these, so a hash hit is always checked against
 * the same key the record produced.
 */
import type { CatalogEntry } from './catalog-entry';
import { sortedKey, tokenize } from './catalog-text';
import { linkKeys, repoPathKey } from './catalog-url';

/** Where a key came from; `matchedBy` in answers is the label. */
export const FIELD = {
  name: 0, title: 1, alias: 2, repository: 3, repositoryPath: 4, pipeline: 5, secretPrefix: 6, tag: 7, link: 8, linkHost: 9,
} as const;
export type Field = (typeof FIELD)[keyof typeof FIELD];

export const FIELD_LABEL: Record<Field, string> = {
  0: 'name', 1: 'title', 2: 'alias', 3: 'repository', 4: 'repository', 5: 'pipeline', 6: 'key vault secret', 7: 'tag', 8: 'link', 9: 'link host',
};

/** A way of writing the entity's name, as words: what exact, typo and word matching compare against. */
export interface NameForm {
  field: Field;
  tokens: string[];
}

/** Name, title, display name, aliases and repository name, each once (the first field wins a tie). */
export function nameForms(r: CatalogEntry): NameForm[] {
  const out: NameForm[] = [];
  const seen: string[] = [];
  const texts: [Field, string | undefined][] = [[FIELD.name, r.name], [FIELD.title, r.title], [FIELD.title, r.displayName], [FIELD.repository, r.repository?.name]];
  for (const a of r.aliases) texts.push([FIELD.alias, a]);
  for (const [field, text] of texts) {
    if (!text) continue;
    const tokens = tokenize(text);
    const joined = tokens.join(' ');
    if (!tokens.length || seen.includes(joined)) continue;
    seen.push(joined);
    out.push({ field, tokens });
  }
  return out;
}

/** The other text keys (sorted-word form): tags, pipelines, the Key Vault secret prefix. */
export function otherTextKeys(r: CatalogEntry): [Field, string][] {
  const out: [Field, string][] = [];
  for (const t of r.tags) out.push([FIELD.tag, sortedKey(tokenize(t))]);
  for (const p of r.pipelines) out.push([FIELD.pipeline, sortedKey(tokenize(p))]);
  if (r.secretPrefix) out.push([FIELD.secretPrefix, sortedKey(tokenize(r.secretPrefix))]);
  return out.filter(([, k]) => k.length > 0);
}

/** URL keys of links (and the repository URL), and their hosts, each host once. */
export function urlKeys(urls: readonly (string | undefined)[]): [Field, string][] {
  const out: [Field, string][] = [];
  const hosts: string[] = [];
  for (const url of urls) {
    if (!url) continue;
    const { keys, host } = linkKeys(url);
    for (const key of keys) out.push([FIELD.link, key]);
    if (host && !hosts.includes(host)) {
      hosts.push(host);
      out.push([FIELD.linkHost, host]);
    }
  }
  return out;
}

/** Whether the entry really has text key `key` in `field` (hash hits are checked with this). */
export function textKeyMatches(r: CatalogEntry, field: Field, key: string): boolean {
  const same = (text: string | undefined) => !!text && sortedKey(tokenize(text)) === key;
  switch (field) {
    case FIELD.name: return same(r.name);
    case FIELD.title: return same(r.title) || same(r.displayName);
    case FIELD.alias: return r.aliases.some(same);
    case FIELD.tag: return r.tags.some(same);
    case FIELD.repository: return same(r.repository?.name);
    case FIELD.repositoryPath: return !!r.repository && repoPathKey(r.repository.project, r.repository.name) === key;
    case FIELD.pipeline: return r.pipelines.some(same);
    case FIELD.secretPrefix: return same(r.secretPrefix);
    default: return false;
  }
}
