/**
 * The in-memory search structures over one set of records. Each record gets a slot; a changed
 * entity gets a new slot and its old one goes dead, so hash structures are append-only and dead
 * slots are skipped at query time (the owner rebuilds the state when too many are dead).
 *   text:   hash(sorted-word key) -> slot*16+field   names, titles, aliases, repos, pipelines, secrets, tags
 *   urls:   hash(url key) -> slot*16+field            link URLs (also without their query)
 *   hosts:  hash(host) -> slot*16+field               link hosts (apart: thousands share one)
 *   typos:  one-deletion hashes of separator-free name forms -> slot   (whole-name typos)
 *   words:  token -> postings slot*2+isTag, with a one-deletion index over the vocabulary
 *   refs:   hash(ref) -> slot; relations: hash(target) -> source slot (relation-graph)
 * Hash structures are HashMultiMaps (sorted typed arrays, 8 bytes an entry): every hit is verified
 * against the record before it counts. The records themselves are bytes in a RecordTable, so the
 * state is typed arrays and buffers plus the vocabulary: little for a GC to walk.
 */
import { FIELD, nameForms, otherTextKeys, textKeyMatches, urlKeys, type Field } from '../../domain/catalog/catalog-keys';
import { orderedCompact, sortedKey, tokenize, typoDistance } from '../../domain/catalog/catalog-text';
import { repoPathKey } from '../../domain/catalog/catalog-url';
import type { RelationType } from '../../domain/catalog/catalog.types';
import {
  completionWeight, MIN_PREFIX_LENGTH, MIN_TYPO_LENGTH, MIN_WORD_TYPO_LENGTH, WORD_WEIGHT, type KeyHit, type MatchIndex, type WordExpansion,
} from '../../domain/catalog/match-index';
import { detailsOf, type CatalogRecord } from './catalog-record';
import { DeletionIndex } from './deletion-index';
import { DetailsCodec } from './details-codec';
import { hashSkipping } from './fnv-hash';
import { HashMultiMap, type SealedArrays } from './hash-multimap';
import { RecordTable, type RecordTableParts } from './record-table';
import { refHash, RelationGraph } from './relation-graph';
import { lowerBound, sortedHas } from './sorted-search';

/** What add() indexes besides the record itself: at hand when building from the store, else decoded. */
export interface RecordFacts {
  urls: readonly (string | undefined)[];
  relations: readonly { type: string; target: string }[];
}

/** A sealed state's structures, as a snapshot stores them (IndexState.parts / fromParts). */
export interface IndexParts {
  records: RecordTableParts;
  codecTables: string[][];
  refs: SealedArrays;
  text: SealedArrays;
  urls: SealedArrays;
  hosts: SealedArrays;
  typos: SealedArrays;
  wordTypos: SealedArrays;
  relations: SealedArrays;
  /** Every word, in first-seen order (the ids wordTypos holds). */
  vocabulary: readonly string[];
  /** Postings of vocabulary[i], in slot order. */
  postings: readonly (number[] | Uint32Array)[];
  /** Per slot: how many words its name has. */
  nameWords: Uint8Array;
}

export class IndexState implements MatchIndex {
  /** Decodes the records' details; shared with the state a rebuild from memory makes. */
  constructor(readonly codec: DetailsCodec = new DetailsCodec()) {}

  // Not readonly: fromParts() puts a snapshot's structures in place.
  private records = new RecordTable();
  private relations = new RelationGraph();
  private refs = new HashMultiMap();
  private liveCount = 0;
  /** Until seal(): adds skip the "replace the previous version" lookup; seal() resolves duplicates. */
  private building = true;
  private text = new HashMultiMap();
  private urls = new HashMultiMap();
  private hosts = new HashMultiMap();
  private typos = new DeletionIndex();
  /** Postings per word; a snapshot's are views into one typed array, copied on the first add. */
  private words = new Map<string, number[] | Uint32Array>();
  private vocabulary: string[] = [];
  private wordTypos = new DeletionIndex();
  private sortedVocabulary?: string[];
  /** Words in each slot's name: a query covering all of them is a full-name match. */
  private nameWords: Uint8Array = new Uint8Array(1024);
  private dead = 0;

  /** A sealed state over a snapshot's parts (see parts()). */
  static fromParts(parts: IndexParts): IndexState {
    const s = new IndexState(new DetailsCodec(parts.codecTables));
    s.records = RecordTable.fromParts(parts.records);
    for (let slot = 0; slot < s.records.length; slot++) if (s.records.isLive(slot)) s.liveCount++;
    s.dead = s.records.length - s.liveCount;
    s.building = false;
    s.refs = HashMultiMap.fromSealed(parts.refs);
    s.text = HashMultiMap.fromSealed(parts.text);
    s.urls = HashMultiMap.fromSealed(parts.urls);
    s.hosts = HashMultiMap.fromSealed(parts.hosts);
    s.typos = DeletionIndex.fromSealed(parts.typos);
    s.wordTypos = DeletionIndex.fromSealed(parts.wordTypos);
    s.relations = RelationGraph.fromSealed(parts.relations);
    s.vocabulary = [...parts.vocabulary];
    s.words = new Map(parts.vocabulary.map((w, i) => [w, parts.postings[i]]));
    s.nameWords = parts.nameWords;
    return s;
  }

  /**
   * Everything a snapshot needs to restore this state, sharing (not copying) its arrays; undefined
   * while building or once incremental adds went into the maps' deltas (snapshot a rebuilt state).
   */
  parts(): IndexParts | undefined {
    if (this.building) return undefined;
    const sealed = [this.refs, this.text, this.urls, this.hosts, this.typos, this.wordTypos, this.relations].map((m) => m.sealedArrays());
    if (sealed.some((a) => a === undefined)) return undefined;
    const [refs, text, urls, hosts, typos, wordTypos, relations] = sealed as SealedArrays[];
    return {
      records: this.records.parts(), codecTables: this.codec.tables(), refs, text, urls, hosts, typos, wordTypos, relations,
      vocabulary: this.vocabulary, postings: this.vocabulary.map((w) => this.words.get(w) as number[] | Uint32Array),
      nameWords: this.nameWords.subarray(0, this.records.length),
    };
  }

  get live(): number {
    return this.liveCount;
  }

  /** Dead slots plus entries added since seal(): how much a rebuild would reclaim. */
  get churn(): number {
    return this.dead + this.typos.unsealedSize / 16;
  }

  slotOf(ref: string): number | undefined {
    let found: number | undefined;
    this.refs.forEach(refHash(ref), (slot) => {
      if (this.records.refOf(slot) !== ref) return false;
      found = slot;
      return true;
    });
    return found;
  }

  get(ref: string): CatalogRecord | undefined {
    const slot = this.slotOf(ref);
    return slot === undefined ? undefined : this.records.get(slot);
  }

  /** The record in a slot; undefined once it is dead. */
  recordAt(slot: number): CatalogRecord | undefined {
    return this.records.get(slot);
  }

  /** The same, decoded without going through the cache (a rebuild walking every record). */
  readAt(slot: number): CatalogRecord | undefined {
    return this.records.read(slot);
  }

  isLive(slot: number): boolean {
    return this.records.isLive(slot);
  }

  /** The ref in a live slot, without decoding its record. */
  refOf(slot: number): string | undefined {
    return this.records.refOf(slot);
  }

  /** Slots handed out so far, dead ones included. */
  get slots(): number {
    return this.records.length;
  }

  /** Adds (or replaces) a record; the previous version of the same ref goes dead. */
  add(record: CatalogRecord, facts?: RecordFacts): void {
    if (!this.building) this.remove(record.ref);
    const slot = this.records.append(record);
    this.refs.add(refHash(record.ref), slot);
    this.liveCount++;
    const details = facts ? undefined : detailsOf(record, this.codec);
    this.relations.add(slot, facts ? facts.relations : details!.relations);
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
    const linkUrls = facts ? facts.urls : [...details!.links.map((l) => l.url), details!.repositoryUrl];
    for (const [field, key] of urlKeys(linkUrls)) (field === FIELD.link ? this.urls : this.hosts).add(hashSkipping(key, -1), slot * 16 + field);
    this.addWords(slot, record, words);
    if (slot >= this.nameWords.length) {
      const grown = new Uint8Array(Math.max(1024, this.nameWords.length * 2));
      grown.set(this.nameWords);
      this.nameWords = grown;
    }
    this.nameWords[slot] = Math.min(255, forms[0]?.field === FIELD.name ? forms[0].tokens.length : 1);
  }

  remove(ref: string): void {
    if (this.building) this.seal(); // a removal while building (an orphan in the pages) needs the ref lookup
    const slot = this.slotOf(ref);
    if (slot === undefined) return;
    this.records.kill(slot);
    this.liveCount--;
    this.dead++;
  }

  /** Refs R with "ref type R", declared by either end; for a ref not held, only what others declare about it. */
  related(ref: string, type: RelationType): string[] {
    const record = this.get(ref);
    const declared = record ? detailsOf(record, this.codec).relations : [];
    return this.relations.related(record ?? { ref }, type, declared, (slot) => this.records.get(slot));
  }

  /** Compacts what was added so far (the initial build); later adds stay incremental. */
  seal(): void {
    if (!this.building) return;
    this.building = false;
    this.refs.seal();
    // The same ref added twice while building (changed between two pages): the later one wins.
    for (const run of this.refs.sharedRuns()) {
      const latest = new Map<string, number>();
      for (const slot of run) {
        const ref = this.records.refOf(slot);
        if (ref === undefined) continue;
        const seen = latest.get(ref);
        if (seen === undefined) latest.set(ref, slot);
        else {
          this.records.kill(Math.min(seen, slot));
          latest.set(ref, Math.max(seen, slot));
          this.liveCount--;
          this.dead++;
        }
      }
    }
    this.relations.seal();
    this.text.seal();
    this.urls.seal();
    this.hosts.seal();
    this.typos.seal();
    this.wordTypos.seal();
  }

  /**
   * Live slots whose key `key` (sorted-word form, or `project/repo` for repositoryPath) is in one of
   * `fields`, verified against the record (hashes may collide); at most `cap` of them, so a key
   * shared by thousands costs no more than one shared by `cap`.
   */
  textHits(key: string, fields: readonly Field[], cap: number): KeyHit[] {
    return this.hits(this.text, key, fields, cap, (r, field) => textKeyMatches(r, field, key));
  }

  /** Link URL keys (FIELD.link) and link hosts (FIELD.linkHost) are kept apart: hosts are shared by thousands. */
  urlHits(key: string, field: Field, cap: number): KeyHit[] {
    return this.hits(field === FIELD.link ? this.urls : this.hosts, key, [field], cap, (r) => {
      const d = detailsOf(r, this.codec);
      return urlKeys([...d.links.map((l) => l.url), d.repositoryUrl]).some(([f, k]) => f === field && k === key);
    });
  }

  /** Live slots that have a name form within one typo of one of `forms` (unverified). */
  typoCandidates(forms: readonly string[]): number[] {
    const out = new Set<number>();
    for (const f of forms) if (f.length >= MIN_TYPO_LENGTH) this.typos.candidates(f, out);
    return [...out].filter((slot) => this.records.isLive(slot));
  }

  /** Vocabulary words a query word may stand for: itself, one typo away, or (`prefix`) its completions. */
  expandWord(word: string, prefix: boolean): WordExpansion[] {
    const out = new Map<string, number>();
    if (this.words.has(word)) out.set(word, WORD_WEIGHT.exact);
    if (word.length >= MIN_WORD_TYPO_LENGTH) {
      const ids = new Set<number>();
      this.wordTypos.candidates(word, ids);
      for (const id of ids) {
        const token = this.vocabulary[id];
        if (!out.has(token) && typoDistance(word, token, 1) <= 1) out.set(token, WORD_WEIGHT.typo);
      }
    }
    if (prefix && word.length >= MIN_PREFIX_LENGTH) {
      const vocab = this.sortedWords();
      let count = 0;
      for (let i = lowerBound(vocab, word); i < vocab.length && vocab[i].startsWith(word) && count < 200; i++, count++) {
        const token = vocab[i];
        if (!out.has(token)) out.set(token, completionWeight(word, token));
      }
    }
    return [...out].map(([token, weight]) => ({ token, weight }));
  }

  /**
   * Live slots with every one of `words` among their name words (not tags), at most `limit`.
   * Postings are in slot order, so this walks the rarest word's list and binary-searches the others.
   */
  withAllWords(words: readonly string[], limit: number): number[] {
    const lists: ArrayLike<number>[] = [];
    for (const w of words) {
      const list = this.words.get(w);
      if (!list) return [];
      lists.push(list);
    }
    lists.sort((a, b) => a.length - b.length);
    const out: number[] = [];
    for (let k = 0; k < lists[0].length; k++) {
      const code = lists[0][k];
      if (code % 2 === 1 || !this.records.isLive(code >> 1)) continue;
      if (lists.every((l, i) => i === 0 || sortedHas(l, code))) out.push(code >> 1);
      if (out.length >= limit) break;
    }
    return out;
  }

  postings(word: string): ArrayLike<number> | undefined {
    return this.words.get(word);
  }

  nameWordCount(slot: number): number {
    return this.nameWords[slot];
  }

  private hits(map: HashMultiMap, key: string, fields: readonly Field[], cap: number, verify: (r: CatalogRecord, f: Field) => boolean): KeyHit[] {
    const hits: KeyHit[] = [];
    const seen = new Set<number>();
    map.forEach(hashSkipping(key, -1), (code) => {
      const slot = Math.floor(code / 16);
      const field = (code % 16) as Field;
      if (!fields.includes(field) || seen.has(code) || !this.records.isLive(slot)) return false;
      seen.add(code);
      const record = this.records.get(slot) as CatalogRecord;
      if (verify(record, field)) hits.push({ slot, field });
      // A key shared by thousands (a common host) stops here: callers only need to know "more than cap".
      return hits.length >= cap;
    });
    return hits;
  }

  private addWords(slot: number, record: CatalogRecord, primary: string[]): void {
    const seen: string[] = [];
    // Name words first: a word in both the name and a tag is posted once, as a name word.
    for (const w of primary) if (!seen.includes(w)) this.post(w, slot * 2, seen);
    for (const t of record.tags) for (const w of tokenize(t)) if (!seen.includes(w)) this.post(w, slot * 2 + 1, seen);
  }

  private post(word: string, code: number, seen: string[]): void {
    seen.push(word);
    const held = this.words.get(word);
    let list: number[];
    if (Array.isArray(held)) list = held;
    else {
      if (!held) {
        if (word.length >= MIN_WORD_TYPO_LENGTH - 1) this.wordTypos.add(this.vocabulary.length, word);
        this.vocabulary.push(word);
        this.sortedVocabulary = undefined;
      }
      list = held ? Array.from(held) : []; // a snapshot's view is copied before it grows
      this.words.set(word, list);
    }
    list.push(code);
  }

  private sortedWords(): string[] {
    this.sortedVocabulary ??= [...this.vocabulary].sort();
    return this.sortedVocabulary;
  }
}
