/**
 * What the matching rules (CatalogMatcher, WordScorer) ask of an index, and the few numbers both
 * sides must agree on. Entries sit in numbered slots; a slot goes dead when its entity changes or
 * leaves. Key hits are verified by the index against the keys catalog-keys gives the entry, so a
 * hit is always real; typo candidates are not (the matcher measures the distance itself).
 */
import type { CatalogEntry } from './catalog-entry';
import type { Field } from './catalog-keys';

/** Shortest separator-free form (query or name) that whole-name typo matching applies to. */
export const MIN_TYPO_LENGTH = 5;
/** Shortest word that may be matched with a typo. */
export const MIN_WORD_TYPO_LENGTH = 4;
/** Shortest word that may be completed (a prefix of what is being typed). */
export const MIN_PREFIX_LENGTH = 2;

/** How much a query word counts for a name word: the same word, one typo away, or a completion of it. */
export const WORD_WEIGHT = { exact: 1, typo: 0.8 } as const;
export const completionWeight = (word: string, token: string): number => 0.6 + (0.3 * word.length) / token.length;

export interface KeyHit {
  slot: number;
  field: Field;
}

export interface WordExpansion {
  token: string;
  weight: number;
}

export interface MatchIndex {
  /** Slots handed out so far, dead ones included (the size of per-slot scratch space). */
  readonly slots: number;
  slotOf(ref: string): number | undefined;
  /** The entry in a slot; undefined once it is dead. */
  recordAt(slot: number): CatalogEntry | undefined;
  isLive(slot: number): boolean;
  /** Live slots with text key `key` (catalog-keys) in one of `fields`, verified; at most `cap`. */
  textHits(key: string, fields: readonly Field[], cap: number): KeyHit[];
  /** Live slots with this link URL key or link host, verified; at most `cap`. */
  urlHits(key: string, field: Field, cap: number): KeyHit[];
  /** Live slots that may have a name form within one typo of one of `forms` (unverified). */
  typoCandidates(forms: readonly string[]): number[];
  /** Vocabulary words a query word may stand for (itself, one typo away, a completion when `prefix`), weighted by WORD_WEIGHT. */
  expandWord(word: string, prefix: boolean): WordExpansion[];
  /** slot * 2 + (1 when the word is only in a tag), ascending. */
  postings(word: string): ArrayLike<number> | undefined;
  /** Live slots with every one of `words` among their name words (not tags), at most `limit`. */
  withAllWords(words: readonly string[], limit: number): number[];
  /** Words in the slot's name: a query covering all of them is a full-name match. */
  nameWordCount(slot: number): number;
}
