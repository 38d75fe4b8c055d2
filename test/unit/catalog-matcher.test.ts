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
