/**
 * The in-memory search structures over one set of records. Each record gets a slot; a changed
 * entity gets a new slot and its old one goes dead, so hash structures are append-only and dead
 * slots are skipped at query time (the owner rebuilds the state when too many are dead).
 *   text:   hash(sorted-word key) -> slot<<4|field    names, titles, aliases, repos, pipelines, secrets, tags
 *   urls:   hash(url key)         -> slot<<4|field    link URLs (+ without query) and their hosts
 *   typos:  one-deletion hashes of separator-free name forms -> slot   (whole-name typos)
 *   words:  token -> postings slot<<1|isTag, with a one-deletion index over the vocabulary
 */
import { FIELD, nameForms, otherTextKeys, urlKeys, type Field } from './catalog-keys';
import { detailsOf, type CatalogRecord } from './catalog-record';
import { RelationGraph } from './catalog-relations';
import { hashSkipping, orderedCompact, sortedKey, tokenize, typoDistance } from './catalog-text';
import { repoPathKey } from './catalog-url';
import { DeletionIndex } from './deletion-index';
import { DetailsArchive } from './details-archive';
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
  /** The records' cold details (the `details` handles point here). */
  readonly archive = new DetailsArchive();
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

  /**
   * Adds (or replaces) a record; the previous version of the same ref goes dead. `urls` are its
   * link and repository URLs when the caller has them at hand (else decoded from the details).
   */
  add(record: CatalogRecord, urls?: readonly (string | undefined)[]): void {
    this.remove(record.ref);
    const slot = this.records.length;
    this.records.push(record);
    this.slotByRef.set(record.ref, slot);
    this.relations.add(record);
    const forms = nameForms(record);
    const words: string[] = [];
    for (const f of forms) {
      this.text.add(hashSkipping(sortedKey(f.tokens), -1), slot * 16 + f.field);
      const compact = orderedCompact(f.tokens);
      if (compact.length >= MIN_TYPO_LENGTH) this.typos.add(slot, compact);
      for (const w of f.tokens) words.push(w);
    }
    for (const [field, key] of otherTextKeys(record)) this.text.add(hashSkipping(key, -1), slot * 16 + field);
    if (record.repository) this.text.add(hashSkipping(repoPathKey(record.repository.project, record.repository.name), -1), slot * 16 + FIELD.repositoryPath);
    const details = urls ? undefined : detailsOf(record, this.archive);
    const linkUrls = urls ?? [...details!.links.map((l) => l.url), details!.repositoryUrl];
    for (const [field, key] of urlKeys(linkUrls)) this.urls.add(hashSkipping(key, -1), slot * 16 + field);
    this.addWords(slot, record, words);
    if (slot >= this.nameWords.length) {
      const grown = new Uint8Array(this.nameWords.length * 2);
      grown.set(this.nameWords);
      this.nameWords = grown;
    }
    this.nameWords[slot] = Math.min(255, forms[0]?.field === FIELD.name ? forms[0].tokens.length : 1);
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
    this.archive.flush();
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
    return this.hits(this.urls, key, fields, cap, (r, field) => {
      const d = detailsOf(r, this.archive);
      return urlKeys([...d.links.map((l) => l.url), d.repositoryUrl]).some(([f, k]) => f === field && k === key);
    });
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
    const seen: string[] = [];
    // Name words first: a word in both the name and a tag is posted once, as a name word.
    for (const w of primary) if (!seen.includes(w)) this.post(w, slot * 2, seen);
    for (const t of record.tags) for (const w of tokenize(t)) if (!seen.includes(w)) this.post(w, slot * 2 + 1, seen);
  }

  private post(word: string, code: number, seen: string[]): void {
    seen.push(word);
    let list = this.words.get(word);
    if (!list) {
      list = [];
      this.words.set(word, list);
      if (word.length >= MIN_WORD_TYPO_LENGTH - 1) this.wordTypos.add(this.vocabulary.length, word);
      this.vocabulary.push(word);
      this.sortedVocabulary = undefined;
    }
    list.push(code);
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
