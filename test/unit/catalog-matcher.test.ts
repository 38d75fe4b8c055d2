/**
 * The matching rules on their own: CatalogMatcher over ScanMatchIndex (every entry scanned, no
 * engine), held to the same questions as the engine (small-catalog-questions.ts), plus the rules
 * that decide between candidates: kinds that can own beat Groups/Users, same-name twins collapse,
 * shared prefixes and double typos are "did you mean", words in the order typed win.
 */
import { align, CatalogMatcher, cleanSubject, type Lookup } from '../../src/domain/catalog/catalog-matcher';
import { ScanMatchIndex } from '../fakes/scan-match-index';
import { entity, smallCatalog } from '../fixtures/small-catalog';
import { EXACT_KEYS, SECRET_NAMES, TOLERATED_SPELLINGS, URLS } from '../fixtures/small-catalog-questions';

const matcherOver = (entities = smallCatalog()) => {
  const index = new ScanMatchIndex(entities);
  return new CatalogMatcher(() => index);
};
const matchOf = (l: Lookup) => (l.kind === 'match' ? l.ref : `${l.kind}: ${JSON.stringify(l)}`);
const candidatesOf = (l: Lookup) => (l.kind === 'ambiguous' ? l.candidates.map((c) => c.ref).sort() : `${l.kind}: ${JSON.stringify(l)}`);

describe('CatalogMatcher over a scanning index', () => {
  const matcher = matcherOver();

  it.each(EXACT_KEYS)('exact key %s -> %s (%s)', (text, ref, matchedBy) => {
    expect(matcher.lookup(text)).toEqual({ kind: 'match', ref, matchedBy });
  });

  it.each(URLS)('URL %s', (url, ref) => {
    expect(matchOf(matcher.lookup(url))).toBe(ref);
  });

  it.each(SECRET_NAMES)('secret %s', (secret, ref) => {
    expect(matcher.lookup(secret)).toEqual({ kind: 'match', ref, matchedBy: 'key vault secret' });
  });

  it.each(TOLERATED_SPELLINGS)('%s (%s)', (text) => {
    expect(matchOf(matcher.lookup(text))).toBe('component:default/payments-api');
  });

  it('says which way it matched, and that a secret name was read as a name', () => {
    expect(matcher.lookup('paymnets-api')).toEqual({ kind: 'match', ref: 'component:default/payments-api', matchedBy: 'name (typo)' });
    expect(matcher.lookup('ledger-service--prod--db-password')).toEqual({ kind: 'match', ref: 'component:default/ledger-service', matchedBy: 'name (from secret name)' });
  });

  it('what can own something beats a Group of the same name; a Component beats its same-name API twin', () => {
    expect(matchOf(matcher.lookup('payments'))).toBe('system:default/payments');
    expect(matchOf(matcher.lookup('payments-api'))).toBe('component:default/payments-api');
  });

  it('never guesses: a shared prefix, one typo from two names, a host many link to', () => {
    const workers = ['component:default/payments-worker-eu', 'component:default/payments-worker-us'];
    expect(candidatesOf(matcher.lookup('payments-worker'))).toEqual(workers);
    expect(candidatesOf(matcher.lookup('payments-worker-es'))).toEqual(workers);
    expect(candidatesOf(matcher.lookup('https://grafana.contoso.net'))).toEqual(['component:default/checkout-web', 'component:default/payments-api']);
  });

  it('a typo reading is not stated when the words as typed start names of other owners', () => {
    const m = matcherOver([
      entity({ kind: 'Component', name: 'order-producer', owner: 'group:default/a' }),
      entity({ kind: 'Component', name: 'orders-producer-eu', owner: 'group:default/b' }),
      entity({ kind: 'Component', name: 'orders-producer-uk', owner: 'group:default/c' }),
    ]);
    expect(matcher.lookup('quantum-teleporter')).toEqual({ kind: 'none', suggestions: [] });
    expect(m.lookup('orders-producer').kind).toBe('ambiguous');
  });

  describe('a name typed exactly beats another entity whose title spells the same words', () => {
    const m = matcherOver([
      entity({ kind: 'Component', name: 'edge-api', owner: 'group:default/a' }),
      entity({ kind: 'Component', name: 'crm-edge-api', title: 'Edge API', owner: 'group:default/b' }),
      entity({ kind: 'Component', name: 'tally_marks', title: 'Tally Marks gem', owner: 'group:default/c' }),
      entity({ kind: 'Component', name: 'tally_marks-gem', title: 'TallyMarks', owner: 'group:default/c' }),
      entity({ kind: 'Domain', name: 'rewards', title: 'Rewards', owner: 'group:default/d' }),
      entity({ kind: 'Domain', name: 'rewards-domain', title: 'Rewards', owner: 'group:default/e' }),
      entity({ kind: 'Component', name: 'mirjamdekker', title: 'MirjamDekker.nl', owner: 'group:default/f' }),
      entity({ kind: 'Component', name: 'mirjamdekker-nl', title: 'Mirjamdekker.nl', owner: 'group:default/f' }),
      // Titled alike, named otherwise: nothing is named "Quill Hub", so it stays a question back.
      entity({ kind: 'Component', name: 'quill-hub-eu', title: 'Quill Hub', owner: 'group:default/g' }),
      entity({ kind: 'Component', name: 'quill-hub-us', title: 'Quill Hub', owner: 'group:default/h' }),
      // Named so by two entities (one also titled so by a third): still a question back.
      entity({ kind: 'Component', name: 'slate', owner: 'group:default/i' }),
      entity({ kind: 'API', name: 'slate', owner: 'group:default/j' }),
      entity({ kind: 'Component', name: 'slate-ui', title: 'Slate', owner: 'group:default/k' }),
    ]);

    it.each([
      ['edge-api', 'component:default/edge-api'],
      ['Edge API', 'component:default/edge-api'],
      ['tally_marks-gem', 'component:default/tally_marks-gem'],
      ['tally marks gem', 'component:default/tally_marks-gem'],
      ['tally_marks', 'component:default/tally_marks'],
      ['rewards', 'domain:default/rewards'],
      ['mirjamdekker-nl', 'component:default/mirjamdekker-nl'],
      ['mirjamdekker.nl', 'component:default/mirjamdekker-nl'],
      ['edge-api component', 'component:default/edge-api'],
    ])('%s -> %s, by its name', (text, ref) => {
      expect(m.lookup(text)).toEqual({ kind: 'match', ref, matchedBy: text.endsWith('component') ? 'name and kind' : 'name' });
    });

    it('titles that tie with no name, and a name two entities share, stay "did you mean"', () => {
      expect(candidatesOf(m.lookup('quill hub'))).toEqual(['component:default/quill-hub-eu', 'component:default/quill-hub-us']);
      expect(candidatesOf(m.lookup('slate'))).toEqual(['api:default/slate', 'component:default/slate', 'component:default/slate-ui']);
    });

    it('the typo stage is unchanged: one typo from a name and from a title is a question back', () => {
      expect(candidatesOf(m.lookup('edge-apo'))).toEqual(['component:default/crm-edge-api', 'component:default/edge-api']);
    });
  });

  it('the words in the order typed win over the same words in another order', () => {
    expect(matchOf(matcher.lookup('orders api'))).toBe('component:default/orders-api');
    expect(matchOf(matcher.lookup('api orders'))).toBe('component:default/api-orders');
  });

  it('search ranks, completes what is typed, and findByUrl answers only for one owner of the URL', () => {
    expect(matcher.search('payments api', 3)[0].ref).toBe('component:default/payments-api');
    expect(matcher.search('ledg')[0].ref).toBe('component:default/ledger-service');
    expect(matcher.search('')).toEqual([]);
    expect(matcher.findByUrl('https://dev.azure.com/contoso/Payments/_git/payments-api')).toEqual({ ref: 'component:default/payments-api', matchedBy: 'repository' });
    expect(matcher.findByUrl('https://grafana.contoso.net/')).toBeUndefined();
  });
});

describe('matching helpers', () => {
  it('cleanSubject strips what chat wraps around a subject', () => {
    expect(cleanSubject(' "payments-api" ')).toBe('payments-api');
    expect(cleanSubject('`payments-api?`')).toBe('payments-api');
    expect(cleanSubject('<https://dev.azure.com/x|link>')).toBe('https://dev.azure.com/x');
  });

  it('align scores word-by-word: exact, typo, completion, and extra words cost', () => {
    expect(align(['payments', 'api'], ['payments', 'api'])).toBe(1);
    expect(align(['paymnets', 'api'], ['payments', 'api'])).toBeCloseTo(0.9);
    expect(align(['payments'], ['payments', 'api'])).toBe(0.5);
    expect(align(['pay'], ['payments'])).toBeCloseTo(0.6 + (0.3 * 3) / 8);
    expect(align(['x'], [])).toBe(0);
  });
});
