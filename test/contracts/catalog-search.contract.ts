/**
 * What every CatalogSearch (catalog-search.port.ts) must answer, run on InMemoryCatalogSearch
 * built from the in-memory catalog store and on one restored from a snapshot
 * (test/unit/catalog-search.contract.test.ts).
 *
 * Matching quality over a generated catalog of 5,000 entities: generated questions with known
 * answers (one typo, aliases, titles, repository URLs in every Azure DevOps form, pipelines, Key
 * Vault secret names, dashboard URLs and deeper pages, case, separators, word order).
 * Accuracy counts a 'match' naming the right owner as right; 'ambiguous' is a miss (but never a
 * wrong owner stated as fact); a 'match' naming another owner is wrong. Deliberately ambiguous
 * questions (a prefix two services share, a spelling one typo from two names) must never be
 * answered as fact.
 */
import type { CatalogSearch } from '../../src/domain/catalog/catalog-search.port';
import type { CatalogEntityInput } from '../../src/domain/catalog/catalog.types';
import { InMemoryCatalogStore } from '../fakes/in-memory-catalog-store';
import { generateCatalog, generateQueries, type GeneratedQuery } from '../fixtures/catalog-generator';
import { entity } from '../fixtures/small-catalog';

const ENTITIES = 5_000;
const QUERIES = 1_000;

/** Makes the search under test over a store that already holds the catalog; resolves once it answers. */
export type CatalogSearchFactory = (store: InMemoryCatalogStore) => Promise<CatalogSearch>;

async function storeOf(entities: CatalogEntityInput[]): Promise<InMemoryCatalogStore> {
  const store = new InMemoryCatalogStore();
  const byLocation = new Map<string, CatalogEntityInput[]>();
  for (const e of entities) byLocation.set(e.location, [...(byLocation.get(e.location) ?? []), e]);
  await store.applyLocations([...byLocation].map(([location, list]) => ({ location, entities: list })));
  return store;
}

/** Teams, people and what they own, declared from either end, with owners that are not in the catalog. */
function orgCatalog(): CatalogEntityInput[] {
  return [
    entity({ kind: 'Group', name: 'platform', relations: [{ type: 'parentOf', target: 'group:default/team-a' }] }),
    entity({ kind: 'Group', name: 'team-a', members: ['user:default/alice'], relations: [{ type: 'childOf', target: 'group:default/platform' }] }),
    entity({ kind: 'Group', name: 'team-b', relations: [{ type: 'childOf', target: 'group:default/platform' }] }),
    entity({ kind: 'User', name: 'alice' }),
    entity({ kind: 'User', name: 'bob', members: ['group:default/team-a'] }),
    entity({ kind: 'Component', name: 'svc-1', owner: 'group:default/team-a' }),
    entity({ kind: 'API', name: 'svc-1', owner: 'group:default/team-a' }),
    entity({ kind: 'Component', name: 'svc-2', owner: 'group:default/toast-infra' }),
    entity({ kind: 'Template', name: 'svc-template', owner: 'group:default/toast-infra' }),
    entity({ kind: 'Component', name: 'svc-3', owner: 'user:default/bob' }),
  ];
}

export function catalogSearchContract(name: string, make: CatalogSearchFactory): void {
  describe(`CatalogSearch contract: ${name}: ownership, membership and the group tree`, () => {
    let index: CatalogSearch;
    beforeAll(async () => {
      index = await make(await storeOf(orgCatalog()));
    });

    it('what a team owns, whether or not the team itself is in the catalog', () => {
      expect(index.related('group:default/team-a', 'ownerOf')).toEqual(['api:default/svc-1', 'component:default/svc-1']);
      expect(index.related('group:default/toast-infra', 'ownerOf')).toEqual(['component:default/svc-2', 'template:default/svc-template']);
      expect(index.related('user:default/bob', 'ownerOf')).toEqual(['component:default/svc-3']);
      expect(index.related('group:default/nobody-at-all', 'ownerOf')).toEqual([]);
      expect(index.related('component:default/svc-2', 'ownedBy')).toEqual(['group:default/toast-infra']);
    });

    it('members from the group\'s list and from each user\'s memberOf; memberships the other way round', () => {
      expect(index.related('group:default/team-a', 'hasMember')).toEqual(['user:default/alice', 'user:default/bob']);
      expect(index.related('user:default/alice', 'memberOf')).toEqual(['group:default/team-a']);
      expect(index.related('user:default/bob', 'memberOf')).toEqual(['group:default/team-a']);
      expect(index.related('group:default/team-b', 'hasMember')).toEqual([]);
    });

    it('parent and children, declared by either end', () => {
      expect(index.related('group:default/platform', 'parentOf')).toEqual(['group:default/team-a', 'group:default/team-b']);
      expect(index.related('group:default/team-b', 'childOf')).toEqual(['group:default/platform']);
    });
  });


  describe(`CatalogSearch contract: ${name}: matching quality`, () => {
    let index: CatalogSearch;
    let queries: GeneratedQuery[];

    beforeAll(async () => {
      const entities = generateCatalog({ entities: ENTITIES, seed: 42 });
      index = await make(await storeOf(entities));
      expect(index.isBuilt).toBe(true);
      expect(index.size).toBe(ENTITIES);
      queries = generateQueries(entities, { count: QUERIES, seed: 7 });
    });

    it('answers >= 98% of questions with the right owner and never states a wrong one', () => {
      const answerable = queries.filter((q) => q.category !== 'ambiguous');
      const byCategory = new Map<string, { total: number; right: number; ambiguous: number; none: number; wrong: number }>();
      const wrong: string[] = [];
      for (const q of answerable) {
        const stats = byCategory.get(q.category) ?? { total: 0, right: 0, ambiguous: 0, none: 0, wrong: 0 };
        byCategory.set(q.category, stats);
        stats.total++;
        const answer = index.lookup(q.text);
        if (answer.kind === 'match') {
          const owner = index.get(answer.ref)?.owner ?? answer.ref;
          if (owner === q.expectOwner) stats.right++;
          else {
            stats.wrong++;
            wrong.push(`${q.category} "${q.text}" -> ${answer.ref} (${answer.matchedBy}), expected ${q.expectRef}`);
          }
        } else if (answer.kind === 'ambiguous') stats.ambiguous++;
        else stats.none++;
      }
      const right = [...byCategory.values()].reduce((a, s) => a + s.right, 0);
      const accuracy = right / answerable.length;
      console.log(
        `catalog matching (${name}): top-1 owner accuracy ${(accuracy * 100).toFixed(2)}% (${right}/${answerable.length} over ${ENTITIES} entities)\n` +
          [...byCategory].map(([c, s]) => `  ${c.padEnd(14)} ${s.right}/${s.total} right, ${s.ambiguous} did-you-mean, ${s.none} none, ${s.wrong} wrong`).join('\n'),
      );
      expect(answerable.length).toBeGreaterThanOrEqual(200);
      expect(new Set(answerable.map((q) => q.category)).size).toBeGreaterThanOrEqual(12);
      expect(wrong).toEqual([]);
      expect(accuracy).toBeGreaterThanOrEqual(0.98);
    });

    it('never answers a deliberately ambiguous question as fact', () => {
      const ambiguous = queries.filter((q) => q.category === 'ambiguous');
      expect(ambiguous.length).toBeGreaterThanOrEqual(20);
      const stated = ambiguous.flatMap((q) => {
        const answer = index.lookup(q.text);
        return answer.kind === 'match' ? [`"${q.text}" -> ${answer.ref} (could be ${q.candidates?.join(', ')})`] : [];
      });
      expect(stated).toEqual([]);
      // And the "did you mean" offers the entities it could mean.
      const offered = ambiguous.filter((q) => {
        const answer = index.lookup(q.text);
        return answer.kind === 'ambiguous' && q.candidates?.some((c) => answer.candidates.some((a) => a.ref === c));
      });
      expect(offered.length / ambiguous.length).toBeGreaterThanOrEqual(0.9);
    });
  });
}
