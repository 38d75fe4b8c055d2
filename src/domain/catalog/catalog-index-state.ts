/**
 * The in-memory search structures over one set of records. Each record gets a slot; a changed
 * entity gets a new slot and its old one goes dead, so hash structures are append-only and dead
 * slots are skipped at query time (the owner rebuilds the state when too many are dead).
 *   text:   hash(sorted-word key) -> slot<<4|field    names, titles, aliases, repos, pipelines, secrets, tags
 *   urls:   hash(url key)         -> slot<<4|field    link URLs (+ without query) and their hosts
 *   typos:  one-deletion hashes of separator-free name forms -> slot   (whole-name typos)
 *   words:  token -> postings slot<<1|isTag, with a one-deletion index over the vocabulary
 */
import { compactForms, FIELD, nameForms, textKeys, urlKeys, type Field } from './catalog-keys';
import type { CatalogRecord } from './catalog-record';
import { RelationGraph } from './catalog-relations';
import { hashSkipping, sortedKey, tokenize, typoDistance } from './catalog-text';
import { linkKeys, repoPathKey } from './catalog-url';
import { DeletionIndex } from './deletion-index';
import { HashMultiMap } from './hash-multimap';

/** Shortest separator-free form (query or name) that typo matching applies to. */
export const MIN_TYPO_LENGTH = 5;
/** Shortest word that may be matched with a typo. */
const MIN_WORD_TYPO_LENGTH = 4;

export interface KeyHit {
  slot: number;
  field: Field;
}

export interface WordExpansion {
  token: string;
  weight: number;
}

export class IndexState {
  readonly records: (CatalogRecord | undefined)[] = [];
  readonly slotByRef = new Map<string, number>();
  readonly relations = new RelationGraph();
  private readonly text = new HashMultiMap();
  private readonly urls = new HashMultiMap();
  private readonly typos = new DeletionIndex();
  private readonly words = new Map<string, number[]>();
  private readonly vocabulary: string[] = [];
  private readonly wordTypos = new DeletionIndex();
  private sortedVocabulary?: string[];
  /** Words in each slot's name: a query covering all of them is a full-name match. */
  private nameWords = new Uint8Array(1024);
  private dead = 0;

  get live(): number {
    return this.slotByRef.size;
  }

  /** Dead slots plus entries added since seal(): how much a rebuild would reclaim. */
  get churn(): number {
    return this.dead + this.typos.unsealedSize / 16;
  }

  get(ref: string): CatalogRecord | undefined {
    const slot = this.slotByRef.get(ref);
    return slot === undefined ? undefined : this.records[slot];
  }

  /** Adds (or replaces) a record; the previous version of the same ref goes dead. */
  add(record: CatalogRecord): void {
    this.remove(record.ref);
    const slot = this.records.length;
    this.records.push(record);
    this.slotByRef.set(record.ref, slot);
    this.relations.add(record);
    for (const { field, key } of textKeys(record)) this.text.add(hashSkipping(key, -1), slot * 16 + field);
    for (const { field, key } of urlKeys(record)) this.urls.add(hashSkipping(key, -1), slot * 16 + field);
    const forms = nameForms(record);
    for (const form of compactForms(forms)) if (form.length >= MIN_TYPO_LENGTH) this.typos.add(slot, form);
    this.addWords(slot, record, forms.flatMap((f) => f.tokens));
    if (slot >= this.nameWords.length) {
      const grown = new Uint8Array(this.nameWords.length * 2);
      grown.set(this.nameWords);
      this.nameWords = grown;
    }
    this.nameWords[slot] = Math.min(255, tokenize(record.name).length);
  }

  remove(ref: string): CatalogRecord | undefined {
    const slot = this.slotByRef.get(ref);
    if (slot === undefined) return undefined;
    const record = this.records[slot];
    this.records[slot] = undefined;
    this.slotByRef.delete(ref);
    if (record) this.relations.remove(record);
    this.dead++;
    return record;
  }

  /** Compacts what was added so far (the initial build); later adds stay incremental. */
  seal(): void {
    this.text.seal();
    this.urls.seal();
    this.typos.seal();
    this.wordTypos.seal();
  }

  /**
   * Live slots whose key `key` (sorted-word form, or `project/repo` for repositoryPath) is in one of
   * `fields`. Verified against the record (hashes may collide), at most `cap` distinct slots;
   * `total` counts unverified entries, so a key shared by thousands is recognised cheaply.
   */
  textHits(key: string, fields: readonly Field[], cap: number): { hits: KeyHit[]; total: number } {
    return this.hits(this.text, key, fields, cap, (r, field) => textKeyMatches(r, field, key));
  }

  urlHits(key: string, fields: readonly Field[], cap: number): { hits: KeyHit[]; total: number } {
    return this.hits(this.urls, key, fields, cap, (r, field) => urlKeyMatches(r, field, key));
  }

  /** Live slots that have a name form within one typo of one of `forms` (unverified). */
  typoCandidates(forms: readonly string[]): number[] {
    const out = new Set<number>();
    for (const f of forms) if (f.length >= MIN_TYPO_LENGTH) this.typos.candidates(f, out);
    return [...out].filter((slot) => this.records[slot] !== undefined);
  }

  /** Vocabulary words a query word may stand for: itself, one typo away, or (`prefix`) its completions. */
  expandWord(word: string, prefix: boolean): WordExpansion[] {
    const out = new Map<string, number>();
    if (this.words.has(word)) out.set(word, 1);
    if (word.length >= MIN_WORD_TYPO_LENGTH) {
      const ids = new Set<number>();
      this.wordTypos.candidates(word, ids);
      for (const id of ids) {
        const token = this.vocabulary[id];
        if (!out.has(token) && typoDistance(word, token, 1) <= 1) out.set(token, 0.8);
      }
    }
    if (prefix && word.length >= 2) {
      const vocab = this.sortedWords();
      let count = 0;
      for (let i = lowerBound(vocab, word); i < vocab.length && vocab[i].startsWith(word) && count < 200; i++, count++) {
        const token = vocab[i];
        if (!out.has(token)) out.set(token, 0.6 + (0.3 * word.length) / token.length);
      }
    }
    return [...out].map(([token, weight]) => ({ token, weight }));
  }

  postings(word: string): readonly number[] | undefined {
    return this.words.get(word);
  }

  nameWordCount(slot: number): number {
    return this.nameWords[slot];
  }

  private hits(map: HashMultiMap, key: string, fields: readonly Field[], cap: number, verify: (r: CatalogRecord, f: Field) => boolean) {
    const hits: KeyHit[] = [];
    const seen = new Set<number>();
    let total = 0;
    map.forEach(hashSkipping(key, -1), (code) => {
      const slot = Math.floor(code / 16);
      const field = (code % 16) as Field;
      const record = this.records[slot];
      if (!record || !fields.includes(field)) return;
      total++;
      // Verifying costs a parse: stop once `cap` distinct slots are confirmed.
      if (seen.size >= cap || seen.has(slot * 16 + field)) return;
      if (!verify(record, field)) return;
      seen.add(slot * 16 + field);
      hits.push({ slot, field });
    });
    return { hits, total };
  }

  private addWords(slot: number, record: CatalogRecord, primary: string[]): void {
    const kinds = new Map<string, number>();
    for (const t of record.tags) for (const w of tokenize(t)) kinds.set(w, 1);
    for (const w of primary) kinds.set(w, 0); // a name word outranks the same word as a tag
    for (const [word, isTag] of kinds) {
      let list = this.words.get(word);
      if (!list) {
        list = [];
        this.words.set(word, list);
        if (word.length >= MIN_WORD_TYPO_LENGTH - 1) this.wordTypos.add(this.vocabulary.length, word);
        this.vocabulary.push(word);
        this.sortedVocabulary = undefined;
      }
      list.push(slot * 2 + isTag);
    }
  }

  private sortedWords(): string[] {
    this.sortedVocabulary ??= [...this.vocabulary].sort();
    return this.sortedVocabulary;
  }
}

function textKeyMatches(r: CatalogRecord, field: Field, key: string): boolean {
  const same = (text: string | undefined) => !!text && sortedKey(tokenize(text)) === key;
  switch (field) {
    case FIELD.name: return same(r.name);
    case FIELD.title: return same(r.title) || same(r.profile?.displayName);
    case FIELD.alias: return r.aliases.some(same);
    case FIELD.tag: return r.tags.some(same);
    case FIELD.repository: return same(r.source.repository?.name);
    case FIELD.repositoryPath: return !!r.source.repository && repoPathKey(r.source.repository.project, r.source.repository.name) === key;
    case FIELD.pipeline: return r.source.pipelines.some(same);
    case FIELD.secretPrefix: return same(r.source.secretPrefix);
    default: return false;
  }
}

function urlKeyMatches(r: CatalogRecord, field: Field, key: string): boolean {
  const urls = [...r.links.map((l) => l.url), r.source.repository?.url];
  return urls.some((u) => {
    if (!u) return false;
    const { keys, host } = linkKeys(u);
    return field === FIELD.linkHost ? host === key : keys.includes(key);
  });
}

function lowerBound(a: readonly string[], x: string): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
