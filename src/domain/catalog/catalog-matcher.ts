/**
 * From free text to an entity, in stages from the strongest evidence to the weakest; the first
 * stage that finds anything decides:
 *   1. a ref (component:default/x), a URL (Azure DevOps repository, Key Vault secret, link, link
 *      prefix, link host), a Key Vault secret name (`<prefix>--<env>--<name>`), `Project/repo`;
 *   2. exact keys: name, title, alias, repository, pipeline, secret prefix (words sorted, so case,
 *      separators and word order do not matter); then tags;
 *   3. one typo on the whole separator-free name (ordered or word-sorted);
 *   4. words: each word exact, one typo away or a completion, aligned against the name forms.
 * A stage answers 'match' only when one entity is left after the tie rules (Component/API/
 * Resource/System/Domain beat Group/User; on exact keys, the one entity named exactly as typed beats
 * others' titles, aliases and repositories; same-name twins with the same owner collapse); anything
 * else is 'ambiguous' ("did you mean", never a guessed owner) or 'none'.
 */
import type { CatalogEntry } from './catalog-entry';
import { FIELD, FIELD_LABEL, nameForms, type Field } from './catalog-keys';
import { completionWeight, MIN_PREFIX_LENGTH, MIN_TYPO_LENGTH, MIN_WORD_TYPO_LENGTH, WORD_WEIGHT, type KeyHit, type MatchIndex } from './match-index';
import { orderedCompact, sortedKey, tokenize, typoDistance } from './catalog-text';
import { azureDevOpsRepo, keyVaultSecretName, parseUrlish, probeKeys, repoPathKey, secretPrefixOf, type UrlParts } from './catalog-url';
import { ENTITY_KINDS, isKnownKind, type EntityKind, type KnownKind } from './catalog.types';
import { WordScorer } from './word-scorer';

export type Lookup =
  | { kind: 'match'; ref: string; matchedBy: string }
  | { kind: 'ambiguous'; candidates: { ref: string; matchedBy: string; score: number }[] }
  | { kind: 'none'; suggestions: string[] };

export interface ScoredRef {
  ref: string;
  matchedBy: string;
  score: number;
}

interface Candidate {
  slot: number;
  score: number;
  matchedBy: string;
  /** Which field matched, when known: on equal scores the label of the stronger field is kept. */
  field?: Field;
}

/** "Did you mean" shows at most this many; a key shared by more entities identifies none of them. */
const MAX_CANDIDATES = 5;
const IDENTIFYING_TEXT: readonly Field[] = [FIELD.name, FIELD.title, FIELD.alias, FIELD.repository, FIELD.repositoryPath, FIELD.pipeline, FIELD.secretPrefix];
const SCORE = { kindHint: 0.98, exact: 1, wordOrder: 0.97, separators: 0.96, typo: 0.9, tag: 0.8, linkPrefix: 0.95, host: 0.85, words: 0.88 };
/** Word stage: a match needs this alignment and this lead over the runner-up. */
const WORDS_MATCH = 0.9;
const WORDS_MARGIN = 0.15;
const WORDS_AMBIGUOUS = 0.5;

const KIND_RANK: Record<KnownKind, number> = { Component: 0, API: 1, Resource: 2, System: 3, Domain: 4, Group: 5, User: 6 };
/** Other kinds (Template, plugins' kinds) rank after the known ones. */
const kindRank = (kind: EntityKind): number => (isKnownKind(kind) ? KIND_RANK[kind] : ENTITY_KINDS.length);
const isOwnable = (r: CatalogEntry) => kindRank(r.kind) <= KIND_RANK.Domain;
/** `kind:namespace/name` or `kind:name`, of any kind (Template and plugins' kinds too). */
const KIND_PREFIX = /^([a-z][a-z0-9._-]*):(?:([a-z0-9._@-]+)\/)?([a-z0-9._@-]+)$/i;
/** Kinds a bare `namespace/name` is tried as, when no repository is called that. */
const NAMESPACED_KINDS = ENTITY_KINDS.map((k) => k.toLowerCase());
/**
 * Words that say what sort of thing is meant, not which one: a name matched only through them
 * ("zorblax-service" and ledger-service share "service") is no match. They still count next to a
 * word that identifies ("ledger service"), and a question made only of them may match on them.
 */
/** A last word that names a kind: "the payments system" means the System called payments. */
const KIND_WORDS: Readonly<Record<string, readonly EntityKind[]>> = {
  system: ['System'], domain: ['Domain'], team: ['Group'], group: ['Group'], squad: ['Group'], api: ['API'], user: ['User'],
  service: ['Component'], component: ['Component'], app: ['Component'], website: ['Component'], library: ['Component'], lib: ['Component'],
  resource: ['Resource'], db: ['Resource'], database: ['Resource'], template: ['Template'],
};

export const GENERIC_WORDS: ReadonlySet<string> = new Set([
  'service', 'services', 'svc', 'api', 'apis', 'app', 'apps', 'application', 'frontend', 'backend', 'fe', 'be', 'web', 'ui',
  'server', 'client', 'worker', 'db', 'database', 'team', 'group', 'squad', 'system', 'component', 'lib', 'library', 'the',
]);

export class CatalogMatcher {
  private readonly scorer = new WordScorer();

  constructor(private readonly state: () => MatchIndex) {}

  lookup(raw: string): Lookup {
    const text = cleanSubject(raw);
    if (!text) return { kind: 'none', suggestions: [] };
    const s = this.state();
    const ref = refSlot(s, text);
    if (ref !== undefined) return this.decide([{ slot: ref, score: SCORE.exact, matchedBy: 'ref' }]);
    const url = parseUrlish(text);
    if (url || azureDevOpsRepo(text)) {
      const found = this.urlCandidates(text, url, true);
      if (found.length) return this.decide(found);
      // "alice.smith" or "payments.api" parse as host names: only a real URL stops here.
      if (isClearlyUrl(text, url)) return { kind: 'none', suggestions: url ? this.search(url.segments.at(-1) ?? url.host.split('.')[0], 3).map((c) => c.ref) : [] };
    }
    const secret = secretPrefixOf(text);
    if (secret) return this.secretLookup(secret);
    if (/^[^/\s]+\/[^/\s]+$/.test(text)) {
      const [project, repo] = text.split('/');
      const hits = s.textHits(repoPathKey(project, repo), [FIELD.repositoryPath], MAX_CANDIDATES + 1);
      if (hits.length) return this.decide(hits.map((h) => this.keyCandidate(h, SCORE.exact)));
      // `alternative/guest`: a ref without its kind (Backstage's shorthand).
      const slots = NAMESPACED_KINDS.map((k) => s.slotOf(`${k}:${project}/${repo}`.toLowerCase())).filter((x): x is number => x !== undefined);
      if (slots.length) return this.decide(slots.map((slot) => ({ slot, score: SCORE.exact, matchedBy: 'ref' })));
    }
    return this.wordsLookup(text);
  }

  /** A repository or link URL of a known entity -> that entity, only when it is unambiguous. */
  findByUrl(raw: string): { ref: string; matchedBy: string } | undefined {
    const text = cleanSubject(raw);
    const url = parseUrlish(text);
    if (!url && !azureDevOpsRepo(text)) return undefined;
    const found = this.urlCandidates(text, url, true);
    const answer = found.length ? this.decide(found) : undefined;
    return answer?.kind === 'match' ? { ref: answer.ref, matchedBy: answer.matchedBy } : undefined;
  }

  /** Ranked entities for a compose-box search: every stage contributes, best score per entity. */
  search(raw: string, limit = 25): ScoredRef[] {
    const text = cleanSubject(raw);
    if (!text || limit <= 0) return [];
    const s = this.state();
    const found: Candidate[] = [];
    const ref = refSlot(s, text);
    if (ref !== undefined) found.push({ slot: ref, score: SCORE.exact, matchedBy: 'ref' });
    const url = parseUrlish(text);
    if (url || azureDevOpsRepo(text)) found.push(...this.urlCandidates(text, url, false));
    const secret = secretPrefixOf(text);
    if (secret) found.push(...this.keyCandidates(sortedKey(tokenize(secret)), [FIELD.secretPrefix], SCORE.exact, limit));
    const words = tokenize(text);
    if (words.length && !isClearlyUrl(text, url)) {
      found.push(...this.exactCandidates(words, limit));
      found.push(...this.keyCandidates(sortedKey(words), [FIELD.tag], SCORE.tag, limit));
      found.push(...this.typoCandidates(words));
      found.push(...this.wordCandidates(words, limit * 3, true).map((c) => ({ ...c, score: c.score * SCORE.words })));
    }
    const best = new Map<number, Candidate>();
    for (const c of found) {
      const seen = best.get(c.slot);
      if (!seen || c.score > seen.score) best.set(c.slot, c);
    }
    return [...best.values()]
      .filter((c) => c.score > 0.25)
      .sort((a, b) => this.compare(a, b))
      .slice(0, limit)
      .map((c) => ({ ref: this.record(c.slot).ref, matchedBy: c.matchedBy, score: round(c.score) }));
  }

  private wordsLookup(text: string, suffix = ''): Lookup {
    const words = tokenize(text);
    if (!words.length) return { kind: 'none', suggestions: [] };
    const label = (c: Candidate) => ({ ...c, matchedBy: c.matchedBy + suffix });
    const exact = this.exactCandidates(words, MAX_CANDIDATES + 1);
    if (exact.length) return this.decide(exact.map(label), words);
    const hinted = this.kindHinted(words);
    if (hinted.length) return this.decide(hinted.map(label), words.slice(0, -1));
    const tagged = this.keyCandidates(sortedKey(words), [FIELD.tag], SCORE.tag, MAX_CANDIDATES + 1);
    if (tagged.length && tagged.length <= MAX_CANDIDATES) return this.decide(tagged.map(label));
    const typos = this.typoCandidates(words);
    if (typos.length) {
      const answer = this.decide(typos.map(label));
      // "orders-producer" is one typo from order-producer, but its words, exactly as typed, start
      // orders-producer-eu and orders-producer-uk: the typo reading alone is not safe to state.
      const rivals = answer.kind === 'match' ? this.containingAllWords(words, this.record(this.state().slotOf(answer.ref)!)) : [];
      return rivals.length ? this.ambiguous([...typos, ...rivals].map(label).sort((a, b) => this.compare(a, b))) : answer;
    }
    return this.decideWords(this.wordCandidates(words, 50, false).map(label));
  }

  /** "the payments system", "checkout team", "ledger api": the name, exactly, of an entity of the kind the last word names. */
  private kindHinted(words: string[]): Candidate[] {
    const kinds = words.length > 1 ? KIND_WORDS[words[words.length - 1]] : undefined;
    if (!kinds) return [];
    return this.exactCandidates(words.slice(0, -1), MAX_CANDIDATES * 4)
      .filter((c) => kinds.includes(this.record(c.slot).kind))
      .map((c) => ({ ...c, score: c.score * SCORE.kindHint, matchedBy: `${c.matchedBy} and kind` }));
  }

  private secretLookup(prefix: string): Lookup {
    const words = tokenize(prefix);
    const hits = this.state().textHits(sortedKey(words), [FIELD.secretPrefix], MAX_CANDIDATES + 1);
    if (hits.length) return this.decide(hits.map((h) => this.keyCandidate(h, this.inOrder(h.slot, words) ? SCORE.exact : SCORE.wordOrder)));
    // The convention's prefix is usually the service name: look it up as one, and say so.
    return this.wordsLookup(prefix, ' (from secret name)');
  }

  private urlCandidates(text: string, url: UrlParts | undefined, identifyingOnly: boolean): Candidate[] {
    const s = this.state();
    const cap = MAX_CANDIDATES + 1;
    const ado = azureDevOpsRepo(text);
    if (ado) {
      const byPath = this.keyCandidates(repoPathKey(ado.project, ado.repo), [FIELD.repositoryPath], SCORE.exact, cap);
      if (byPath.length) return byPath;
    }
    if (!url) return [];
    const secret = keyVaultSecretName(url);
    if (secret) {
      const answer = this.secretLookup(secretPrefixOf(secret) ?? secret);
      return answer.kind === 'match' ? [this.candidateFor(answer.ref, SCORE.exact, answer.matchedBy)] : [];
    }
    const { exact, prefixes } = probeKeys(url);
    // A key shared by more than MAX_CANDIDATES entities (a common log-search page) names none of them.
    const usable = (hits: KeyHit[]) => hits.length > 0 && new Set(hits.map((h) => h.slot)).size <= MAX_CANDIDATES;
    for (const key of exact) {
      const hits = s.urlHits(key, FIELD.link, cap);
      if (usable(hits)) return hits.map((h) => this.keyCandidate(h, SCORE.exact));
    }
    for (const key of prefixes) {
      const hits = s.urlHits(key, FIELD.link, cap);
      if (usable(hits)) return hits.map((h) => ({ ...this.keyCandidate(h, SCORE.linkPrefix), matchedBy: 'link (prefix)' }));
    }
    // An Azure DevOps repository URL names its repository: the host it shares with every other says nothing.
    const hosts = ado ? [] : s.urlHits(url.host, FIELD.linkHost, cap);
    if (usable(hosts) || (!identifyingOnly && hosts.length)) return hosts.map((h) => this.keyCandidate(h, SCORE.host));
    // A repository we do not know by its project: its name may still be an entity's name or repository.
    if (ado) return this.keyCandidates(sortedKey(tokenize(ado.repo)), [FIELD.name, FIELD.repository], SCORE.typo, cap);
    return [];
  }

  private exactCandidates(words: string[], cap: number): Candidate[] {
    const s = this.state();
    const key = sortedKey(words);
    // Same words in the same order beat the same words in another order.
    return s.textHits(key, IDENTIFYING_TEXT, cap).map((h) => this.keyCandidate(h, this.inOrder(h.slot, words) ? SCORE.exact : SCORE.wordOrder));
  }

  /** Whether one of the record's identifiers has exactly these words in this order. */
  private inOrder(slot: number, words: string[]): boolean {
    const r = this.record(slot);
    const ordered = words.join(' ');
    const texts = [...nameForms(r).map((f) => f.tokens), ...[...r.pipelines, r.secretPrefix ?? ''].map(tokenize)];
    return texts.some((t) => t.join(' ') === ordered);
  }

  private keyCandidates(key: string, fields: readonly Field[], score: number, cap: number): Candidate[] {
    return this.state().textHits(key, fields, cap).map((h) => this.keyCandidate(h, score));
  }

  /** Entities whose whole name (any form, separators erased, words in any order) is within one typo. */
  private typoCandidates(words: string[]): Candidate[] {
    const spellings = [...new Set(permutations(words).map(orderedCompact))];
    if (spellings[0].length < MIN_TYPO_LENGTH) return [];
    const out: Candidate[] = [];
    for (const slot of this.state().typoCandidates(spellings)) {
      let best: Candidate | undefined;
      for (const form of nameForms(this.record(slot))) {
        const name = orderedCompact(form.tokens);
        // As typed first; another word order costs a little (it breaks ties between "a-b-c" and "b-a-c").
        const asTyped = typoDistance(spellings[0], name, 1);
        let d = asTyped;
        for (const q of spellings) d = Math.min(d, typoDistance(q, name, 1));
        if (d > 1) continue;
        const score = (d === 0 ? SCORE.separators : SCORE.typo) - (asTyped > d ? 0.02 : 0);
        if (!best || score > best.score) best = { slot, score, matchedBy: `${FIELD_LABEL[form.field]}${d ? ' (typo)' : ''}`, field: form.field };
      }
      if (best) out.push(best);
    }
    return out;
  }

  /** Entities owned by someone else whose name has every query word, exactly, among more words. */
  private containingAllWords(words: string[], winner: CatalogEntry): Candidate[] {
    return this.state()
      .withAllWords(words, MAX_CANDIDATES * 4)
      .filter((slot) => {
        const r = this.record(slot);
        return r.ref !== winner.ref && r.owner !== winner.owner && nameForms(r).some((f) => words.every((w) => f.tokens.includes(w)));
      })
      .slice(0, MAX_CANDIDATES)
      .map((slot) => ({ slot, score: SCORE.words * align(words, tokenize(this.record(slot).name)), matchedBy: 'name (words)' }));
  }

  /** Word stage: coarse top slots, then each name form aligned word by word with the query. */
  private wordCandidates(words: string[], limit: number, forSearch: boolean): Candidate[] {
    const s = this.state();
    const slots = this.scorer.top(s, words, { prefixLast: true, prefixAll: forSearch, limit });
    // A lookup must be carried by a word that identifies: not by "service" alone (the search may rank on anything).
    const identifying = forSearch ? [] : words.filter((w) => !GENERIC_WORDS.has(w));
    return slots
      .map((slot) => {
        const record = this.record(slot);
        let best = { score: 0, field: FIELD.name as Field };
        for (const form of nameForms(record)) {
          if (identifying.length && align(identifying, form.tokens) === 0) continue;
          const score = align(words, form.tokens);
          if (score > best.score) best = { score, field: form.field };
        }
        const tagWords = record.tags.flatMap(tokenize);
        const tagScore = identifying.length && align(identifying, tagWords) === 0 ? 0 : align(words, tagWords) * 0.5;
        return tagScore > best.score
          ? { slot, score: tagScore, matchedBy: 'tag (words)' }
          : { slot, score: best.score, matchedBy: `${FIELD_LABEL[best.field]} (words)` };
      })
      .filter((c) => c.score > 0)
      .sort((a, b) => this.compare(a, b));
  }

  /**
   * Exact, URL and typo stages: one entity left after the tie rules, or 'ambiguous'. `named`: the
   * words typed, when `found` are exact-key hits; then an entity whose name is exactly those words
   * beats others whose title, alias or repository only spells them ("API Gateway" is the title of
   * one-platform-api-gateway, yet `api-gateway` names api-gateway).
   */
  private decide(found: Candidate[], named?: readonly string[]): Lookup {
    const bySlot = new Map<number, Candidate>();
    for (const c of found) {
      const seen = bySlot.get(c.slot);
      if (!seen || c.score > seen.score || (c.score === seen.score && (c.field ?? 99) < (seen.field ?? 99))) bySlot.set(c.slot, c);
    }
    const all = [...bySlot.values()].sort((a, b) => this.compare(a, b));
    const top = all[0].score;
    const leaders = this.namedFirst(this.preferOwnable(all.filter((c) => c.score >= top - 1e-9)), named);
    const winner = this.single(leaders);
    if (winner) return { kind: 'match', ref: this.record(winner.slot).ref, matchedBy: winner.matchedBy };
    return this.ambiguous(leaders);
  }

  private decideWords(ranked: Candidate[]): Lookup {
    if (!ranked.length || ranked[0].score < WORDS_AMBIGUOUS) {
      return { kind: 'none', suggestions: ranked.filter((c) => c.score >= 0.3).slice(0, 3).map((c) => this.record(c.slot).ref) };
    }
    const top = ranked[0].score;
    const close = this.preferOwnable(ranked.filter((c) => c.score > top - WORDS_MARGIN));
    const winner = top >= WORDS_MATCH ? this.single(close) : undefined;
    if (winner) return { kind: 'match', ref: this.record(winner.slot).ref, matchedBy: winner.matchedBy };
    return this.ambiguous(close.length > 1 ? close : ranked.filter((c) => c.score >= WORDS_AMBIGUOUS));
  }

  /** When names collide, what can own something (Component, API, Resource, System, Domain) beats Group/User. */
  private preferOwnable(cs: Candidate[]): Candidate[] {
    const ownable = cs.filter((c) => isOwnable(this.record(c.slot)));
    return ownable.length ? ownable : cs;
  }

  /**
   * The leaders whose name is the typed words (in that order), when they are one entity (or its
   * same-name twins); otherwise all of them: two entities both named so stay "did you mean", and
   * so do titles that tie with no name.
   */
  private namedFirst(leaders: Candidate[], words: readonly string[] | undefined): Candidate[] {
    if (!words || leaders.length < 2) return leaders;
    const typed = words.join(' ');
    const named = leaders.filter((c) => tokenize(this.record(c.slot).name).join(' ') === typed);
    return named.length && named.length < leaders.length && this.single(named) ? named : leaders;
  }

  /** The one candidate left, also when the rest are same-name twins of another kind with the same owner. */
  private single(cs: Candidate[]): Candidate | undefined {
    if (cs.length === 1) return cs[0];
    const records = cs.map((c) => this.record(c.slot));
    const first = records[0];
    const twins = records.every((r) => r.name === first.name && r.owner !== undefined && r.owner === first.owner);
    return twins ? cs[0] : undefined; // cs is sorted: the best kind first
  }

  private ambiguous(cs: Candidate[]): Lookup {
    return {
      kind: 'ambiguous',
      candidates: cs.slice(0, MAX_CANDIDATES).map((c) => ({ ref: this.record(c.slot).ref, matchedBy: c.matchedBy, score: round(c.score) })),
    };
  }

  private compare(a: Candidate, b: Candidate): number {
    if (b.score !== a.score) return b.score - a.score;
    const ra = this.record(a.slot);
    const rb = this.record(b.slot);
    return kindRank(ra.kind) - kindRank(rb.kind) || ra.name.length - rb.name.length || (ra.name < rb.name ? -1 : ra.name > rb.name ? 1 : 0);
  }

  private keyCandidate(h: KeyHit, score: number): Candidate {
    return { slot: h.slot, score, matchedBy: FIELD_LABEL[h.field], field: h.field };
  }

  private candidateFor(ref: string, score: number, matchedBy: string): Candidate {
    return { slot: this.state().slotOf(ref) ?? -1, score, matchedBy };
  }

  private record(slot: number): CatalogEntry {
    const r = this.state().recordAt(slot);
    if (!r) throw new Error(`catalog index: slot ${slot} is dead`);
    return r;
  }
}

/** Strips what chat adds around a subject: quotes, backticks, Teams' <url> and <url|label>, trailing punctuation. */
export function cleanSubject(text: string): string {
  let t = text.trim();
  const link = /^<([^<>|\s]+)(?:\|[^<>]*)?>$/.exec(t);
  if (link) t = link[1];
  t = t.replace(/^["'`\u2018\u201c]+|["'`\u2019\u201d]+$/g, '').trim();
  const angled = /^<([^<>|\s]+)(?:\|[^<>]*)?>$/.exec(t);
  if (angled) t = angled[1];
  return t.replace(/[?!.,;:]+$/, '').trim();
}

/** A scheme, or a host followed by a path: not a dotted name. */
const isClearlyUrl = (text: string, url: UrlParts | undefined): boolean =>
  /^[a-z][a-z0-9+.-]*:\/\//i.test(text) || /^[^@\s]+@[^:\s]+:/.test(text) || (!!url && url.segments.length > 0);

function refSlot(s: MatchIndex, text: string): number | undefined {
  const m = KIND_PREFIX.exec(text);
  if (!m) return undefined;
  return s.slotOf(`${m[1]}:${m[2] ?? 'default'}/${m[3]}`.toLowerCase());
}

/** Word-by-word alignment in [0, 1]: each query word takes its best unused name word; extra words on either side cost. */
export function align(query: readonly string[], name: readonly string[]): number {
  if (!name.length) return 0;
  const used = new Uint8Array(name.length);
  let sum = 0;
  for (const w of query) {
    let best = 0;
    let at = -1;
    for (let j = 0; j < name.length; j++) {
      if (used[j]) continue;
      const sim = wordSimilarity(w, name[j]);
      if (sim > best) {
        best = sim;
        at = j;
      }
    }
    if (at >= 0) {
      used[at] = 1;
      sum += best;
    }
  }
  return sum / Math.max(query.length, name.length);
}

/** The weights MatchIndex.expandWord gives, for one pair of words. */
function wordSimilarity(w: string, t: string): number {
  if (w === t) return WORD_WEIGHT.exact;
  if (w.length >= MIN_WORD_TYPO_LENGTH && typoDistance(w, t, 1) <= 1) return WORD_WEIGHT.typo;
  if (w.length >= MIN_PREFIX_LENGTH && t.startsWith(w)) return completionWeight(w, t);
  return 0;
}

/** Word orders to try for a typo match: all of them up to 4 words (24), else as typed and reversed. */
function permutations(words: string[]): string[][] {
  if (words.length > 4) return [words, [...words].reverse()];
  if (words.length <= 1) return [words];
  return words.flatMap((w, i) => permutations([...words.slice(0, i), ...words.slice(i + 1)]).map((rest) => [w, ...rest]));
}

const round = (x: number) => Math.round(x * 1000) / 1000;
