/**
 * A MatchIndex that scans every entry for every question: no hashes, no postings, nothing to keep
 * consistent. The matching rules (CatalogMatcher) run on it in their own unit tests, apart from the
 * real engine (src/adapters/catalog-index), and it answers what MatchIndex promises in the plainest way.
 */
import type { CatalogEntry } from '../../src/domain/catalog/catalog-entry';
import { FIELD, nameForms, otherTextKeys, urlKeys, type Field } from '../../src/domain/catalog/catalog-keys';
import { orderedCompact, sortedKey, tokenize, typoDistance } from '../../src/domain/catalog/catalog-text';
import { repoPathKey } from '../../src/domain/catalog/catalog-url';
import type { CatalogEntityInput } from '../../src/domain/catalog/catalog.types';
import {
  completionWeight, MIN_PREFIX_LENGTH, MIN_TYPO_LENGTH, MIN_WORD_TYPO_LENGTH, WORD_WEIGHT, type KeyHit, type MatchIndex, type WordExpansion,
} from '../../src/domain/catalog/match-index';

interface Slot {
  entry: CatalogEntry;
  textKeys: [Field, string][];
  urlKeys: [Field, string][];
  /** Name words (every name form), then words only in tags. */
  nameWords: Set<string>;
  tagWords: Set<string>;
}

/** The entry of an entity as the search hands it out. */
export function entryOf(e: CatalogEntityInput, revision: number): CatalogEntry {
  const repo = e.source.repository;
  return {
    ref: e.ref, kind: e.kind, name: e.name, title: e.title || undefined, description: e.description || undefined, type: e.type, owner: e.owner,
    system: e.system, domain: e.domain, tier: e.tier, lifecycle: e.lifecycle, tags: e.tags, aliases: e.aliases ?? [], displayName: e.profile?.displayName,
    repository: repo ? { project: repo.project, name: repo.name } : undefined, pipelines: e.source.pipelines ?? [], secretPrefix: e.source.secretPrefix, revision,
  };
}

export class ScanMatchIndex implements MatchIndex {
  private readonly all: Slot[];

  constructor(entities: readonly CatalogEntityInput[]) {
    this.all = entities.map((e, i) => {
      const entry = entryOf(e, i + 1);
      const forms = nameForms(entry);
      const textKeys: [Field, string][] = [...forms.map((f): [Field, string] => [f.field, sortedKey(f.tokens)]), ...otherTextKeys(entry)];
      if (entry.repository) textKeys.push([FIELD.repositoryPath, repoPathKey(entry.repository.project, entry.repository.name)]);
      const nameWords = new Set(forms.flatMap((f) => f.tokens));
      const tagWords = new Set(entry.tags.flatMap(tokenize).filter((w) => !nameWords.has(w)));
      return { entry, textKeys, urlKeys: urlKeys([...e.links.map((l) => l.url), e.source.repository?.url]), nameWords, tagWords };
    });
  }

  get slots(): number {
    return this.all.length;
  }

  slotOf(ref: string): number | undefined {
    const i = this.all.findIndex((s) => s.entry.ref === ref);
    return i < 0 ? undefined : i;
  }

  recordAt(slot: number): CatalogEntry | undefined {
    return this.all[slot]?.entry;
  }

  isLive(slot: number): boolean {
    return slot >= 0 && slot < this.all.length;
  }

  textHits(key: string, fields: readonly Field[], cap: number): KeyHit[] {
    return this.keyHits((s) => s.textKeys, key, fields, cap);
  }

  urlHits(key: string, field: Field, cap: number): KeyHit[] {
    return this.keyHits((s) => s.urlKeys, key, [field], cap);
  }

  typoCandidates(forms: readonly string[]): number[] {
    const long = forms.filter((f) => f.length >= MIN_TYPO_LENGTH);
    return this.slotsWhere((s) =>
      nameForms(s.entry).map((f) => orderedCompact(f.tokens)).some((name) => name.length >= MIN_TYPO_LENGTH && long.some((q) => typoDistance(q, name, 1) <= 1)),
    );
  }

  expandWord(word: string, prefix: boolean): WordExpansion[] {
    const vocabulary = [...new Set(this.all.flatMap((s) => [...s.nameWords, ...s.tagWords]))].sort();
    const out = new Map<string, number>();
    if (vocabulary.includes(word)) out.set(word, WORD_WEIGHT.exact);
    if (word.length >= MIN_WORD_TYPO_LENGTH) {
      for (const t of vocabulary) if (!out.has(t) && t.length >= MIN_WORD_TYPO_LENGTH - 1 && typoDistance(word, t, 1) <= 1) out.set(t, WORD_WEIGHT.typo);
    }
    if (prefix && word.length >= MIN_PREFIX_LENGTH) {
      for (const t of vocabulary.filter((v) => v.startsWith(word)).slice(0, 200)) if (!out.has(t)) out.set(t, completionWeight(word, t));
    }
    return [...out].map(([token, weight]) => ({ token, weight }));
  }

  postings(word: string): ArrayLike<number> | undefined {
    const codes = this.all.flatMap((s, slot) => (s.nameWords.has(word) ? [slot * 2] : s.tagWords.has(word) ? [slot * 2 + 1] : []));
    return codes.length ? codes : undefined;
  }

  withAllWords(words: readonly string[], limit: number): number[] {
    return this.slotsWhere((s) => words.every((w) => s.nameWords.has(w))).slice(0, limit);
  }

  nameWordCount(slot: number): number {
    const first = nameForms(this.all[slot].entry)[0];
    return Math.min(255, first?.field === FIELD.name ? first.tokens.length : 1);
  }

  private keyHits(keysOf: (s: Slot) => [Field, string][], key: string, fields: readonly Field[], cap: number): KeyHit[] {
    const hits: KeyHit[] = [];
    this.all.forEach((s, slot) => {
      for (const [field, k] of keysOf(s)) if (hits.length < cap && k === key && fields.includes(field) && !hits.some((h) => h.slot === slot && h.field === field)) hits.push({ slot, field });
    });
    return hits;
  }

  private slotsWhere(test: (s: Slot) => boolean): number[] {
    return this.all.flatMap((s, slot) => (test(s) ? [slot] : []));
  }
}
