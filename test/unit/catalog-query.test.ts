import { parseOwnershipQuestion } from '../../src/domain/catalog/ask-phrases';
import { CatalogQueryService } from '../../src/domain/catalog/catalog-query.service';
import { InMemoryCatalogSearch } from '../../src/adapters/catalog-index/in-memory-catalog-search';
import { isDomainError } from '../../src/domain/domain-error';
import { InMemoryCatalogStore } from '../fakes/in-memory-catalog-store';
import { entity, LOCATION, smallCatalog } from '../fixtures/small-catalog';

const NOW = new Date('2026-06-01T12:00:00Z');

async function setup() {
  const store = new InMemoryCatalogStore();
  await store.applyLocation(LOCATION, smallCatalog());
  const index = new InMemoryCatalogSearch(store);
  await index.build();
  return { store, index, service: new CatalogQueryService({ index, now: () => NOW }) };
}

describe('CatalogQueryService', () => {
  let service: CatalogQueryService;
  beforeAll(async () => {
    ({ service } = await setup());
  });

  it('assembles the whole answer for "who owns X"', async () => {
    const answer = await service.whoOwns('paymnets api');
    if (answer.kind !== 'found') throw new Error(`expected found, got ${JSON.stringify(answer)}`);
    expect(answer.matchedBy).toBe('name (typo)');
    expect(answer.entity).toMatchObject({
      ref: 'component:default/payments-api', title: 'Payments API', tier: 'tier-1', lifecycle: 'production', description: 'Takes card payments.',
      repository: { project: 'Payments', name: 'payments-api' }, pipelines: ['payments-api-ci', 'payments-api-cd'], secretPrefix: 'payments-api',
    });
    expect(answer.entity.links.map((l) => l.type)).toEqual(['dashboard', 'runbook', 'other', 'logs']);
    expect(answer.entity.repositoryUrl).toBe('https://dev.azure.com/contoso/Payments/_git/payments-api');
    expect(answer.owner).toMatchObject({ ref: 'group:default/team-payments', title: 'Payments Team', contacts: { email: 'payments@contoso.com' } });
    expect(answer.owner?.contacts.teamsChannelUrl).toContain('teams.microsoft.com');
    expect(answer.system).toMatchObject({ ref: 'system:default/payments', name: 'payments', kind: 'System' });
  });

  it('upstream and downstream dependencies come with their owners', async () => {
    const answer = await service.whoOwns('payments-api');
    if (answer.kind !== 'found') throw new Error('expected found');
    expect(answer.dependencies).toEqual([
      { ref: 'component:default/ledger-service', name: 'ledger-service', kind: 'Component', ownerRef: 'group:default/team-payments', ownerName: 'Payments Team', title: undefined },
      { ref: 'resource:default/payments-db', name: 'payments-db', kind: 'Resource', ownerRef: 'group:default/team-payments', ownerName: 'Payments Team', title: undefined },
    ]);
    expect(answer.dependents).toEqual([
      { ref: 'component:default/checkout-web', name: 'checkout-web', title: 'Checkout Website', kind: 'Component', ownerRef: 'group:default/team-checkout', ownerName: 'Checkout Team' },
    ]);
    expect(answer.apis.provides.map((a) => a.ref)).toEqual(['api:default/payments-api']);
    expect(answer.apis.consumes).toEqual([]);
  });

  it('an API shows who provides and consumes it', async () => {
    const answer = await service.whoOwns('api:default/payments-api');
    if (answer.kind !== 'found') throw new Error('expected found');
    expect(answer.apis.providedBy.map((a) => a.ref)).toEqual(['component:default/payments-api']);
    expect(answer.apis.consumedBy.map((a) => a.ref)).toEqual(['component:default/checkout-web']);
  });

  it('on call: the entity has none, so its owning team\'s rotation answers', async () => {
    const answer = await service.onCallFor('payments-api');
    if (answer.kind !== 'found') throw new Error('expected found');
    expect(answer.onCallNow).toEqual({
      current: { name: 'Alice Smith', email: 'alice.smith@contoso.com', until: new Date('2030-01-01T09:00:00Z') },
      rotation: 'https://contoso.pagerduty.com/schedules/PPAY',
      escalation: [{ name: 'Bob Novak', email: 'bob.novak@contoso.com', level: 1 }],
      from: 'owner',
      fromRef: 'group:default/team-payments',
      stale: false,
      updatedAt: undefined,
    });
  });

  it('on call recorded on the entity wins, and an ended shift is flagged stale', async () => {
    const { store, index } = await setup();
    await store.setOnCall('component:default/checkout-web', { current: { name: 'Dan Ops', email: 'dan@contoso.com', until: new Date('2026-05-01T00:00:00Z') }, escalation: [] });
    await index.refresh();
    const answer = await new CatalogQueryService({ index, now: () => NOW }).onCallFor('checkout web');
    if (answer.kind !== 'found') throw new Error('expected found');
    expect(answer.onCallNow).toMatchObject({ current: { name: 'Dan Ops' }, from: 'entity', fromRef: 'component:default/checkout-web', stale: true });
  });

  it('dependencies include relations declared only by the other end', async () => {
    const deps = await service.dependenciesOf('checkout-web');
    if (deps.kind !== 'found') throw new Error('expected found');
    expect(deps.direction).toBe('dependencies');
    expect(deps.items.map((d) => d.ref)).toEqual(['component:default/ledger-service', 'component:default/payments-api']);
    const dependents = await service.dependentsOf('ledger-service');
    if (dependents.kind !== 'found') throw new Error('expected found');
    // checkout-web by ledger-service's own "dependencyOf", payments-api by its "dependsOn".
    expect(dependents.items).toEqual([
      expect.objectContaining({ ref: 'component:default/checkout-web', ownerName: 'Checkout Team' }),
      expect.objectContaining({ ref: 'component:default/payments-api', ownerName: 'Payments Team' }),
    ]);
    expect(dependents.owner?.ref).toBe('group:default/team-payments');
  });

  it('a Group asked about owns itself', async () => {
    const answer = await service.whoOwns('Payments Team');
    if (answer.kind !== 'found') throw new Error('expected found');
    expect(answer.entity.ref).toBe('group:default/team-payments');
    expect(answer.owner?.ref).toBe('group:default/team-payments');
    expect(answer.onCallNow?.from).toBe('entity');
  });

  it('the owner as the descriptor names it, in the catalog or not', async () => {
    const { store, index } = await setup();
    await store.applyLocation('file:/catalog/extra.yaml', [entity({ kind: 'Component', name: 'toaster', owner: 'group:default/toast-infra', location: 'file:/catalog/extra.yaml' })]);
    await index.refresh();
    const q = new CatalogQueryService({ index, now: () => NOW });
    const held = await q.whoOwns('payments-api');
    expect(held.kind === 'found' && held.declaredOwner).toEqual({ ref: 'group:default/team-payments', kind: 'Group', namespace: 'default', name: 'team-payments' });
    const missing = await q.whoOwns('toaster');
    if (missing.kind !== 'found') throw new Error('expected found');
    expect(missing.owner).toBeUndefined();
    expect(missing.declaredOwner).toEqual({ ref: 'group:default/toast-infra', kind: 'Group', namespace: 'default', name: 'toast-infra' });
    expect(await q.ownedBy('toast-infra')).toMatchObject({ kind: 'owned', owner: { ref: 'group:default/toast-infra' }, owns: { total: 1, byKind: [{ kind: 'Component', count: 1 }] } });
  });

  it('a Group asked about through a question gets the team answer: members, what it owns per kind', async () => {
    const { answer } = await service.answer({ intent: 'owner', subject: 'team-payments' });
    if (answer.kind !== 'team') throw new Error(`expected the team answer, got ${answer.kind}`);
    expect(answer.members).toEqual([expect.objectContaining({ ref: 'user:default/alice.smith', title: 'Alice Smith', email: 'alice.smith@contoso.com' })]);
    expect(answer.owns.byKind).toEqual([{ kind: 'Component', count: 4 }, { kind: 'API', count: 1 }, { kind: 'Resource', count: 1 }, { kind: 'System', count: 1 }]);
    expect(answer.owns.total).toBe(7);
    const user = await service.answer({ intent: 'members', subject: 'alice.smith' });
    expect(user.answer.kind === 'user' && user.answer.groups.map((g) => g.ref)).toEqual(['group:default/team-payments']);
  });

  it('ambiguous: candidates with their kind and owner, no owner stated', async () => {
    const answer = await service.whoOwns('payments worker');
    expect(answer).toEqual({
      kind: 'ambiguous',
      text: 'payments worker',
      candidates: [
        { ref: 'component:default/payments-worker-eu', name: 'payments-worker-eu', kind: 'Component', ownerRef: 'group:default/team-payments', ownerName: 'Payments Team', matchedBy: 'name (words)', title: undefined },
        { ref: 'component:default/payments-worker-us', name: 'payments-worker-us', kind: 'Component', ownerRef: 'group:default/team-checkout', ownerName: 'Checkout Team', matchedBy: 'name (words)', title: undefined },
      ],
    });
  });

  it('nothing close: none, with the text asked', async () => {
    expect(await service.whoOwns('quantum teleporter')).toEqual({ kind: 'none', text: 'quantum teleporter', suggestions: [] });
  });

  it('routes a parsed question to its answer', async () => {
    const asked = await service.answer(parseOwnershipQuestion('who depends on ledger-service?')!);
    expect(asked.intent).toBe('dependents');
    expect(asked.answer.kind === 'found' && 'items' in asked.answer && asked.answer.items.map((i) => i.ref)).toEqual(['component:default/checkout-web', 'component:default/payments-api']);
    const owner = await service.answer(parseOwnershipQuestion('who owns <https://dev.azure.com/contoso/Checkout/_git/storefront>')!);
    expect(owner.answer.kind === 'found' && owner.answer.entity.ref).toBe('component:default/checkout-web');
  });

  it('search returns previews with owner names', () => {
    expect(service.search('ledger', 5)[0]).toMatchObject({ ref: 'component:default/ledger-service', ownerName: 'Payments Team', kind: 'Component' });
  });

  it('unfurls a known repository or dashboard URL, and nothing else', () => {
    const card = service.unfurl('https://dev.azure.com/contoso/Payments/_git/ledger?path=/README.md');
    expect(card?.kind === 'found' && card.entity.ref).toBe('component:default/ledger-service');
    expect(service.unfurl('https://grafana.contoso.net/d/xyz789/checkout-web')?.kind).toBe('found');
    expect(service.unfurl('https://example.org/')).toBeNull();
  });

  it('unfurls a Group\'s own link as the team answer (the team card), not an ownership card', () => {
    const answer = service.unfurl('https://wiki.contoso.net/teams/checkout-team');
    expect(answer?.kind).toBe('team');
    expect(answer?.kind === 'team' && answer.entity.ref).toBe('group:default/team-checkout');
  });

  it('before the first build: a ref is read from the store, anything else is CATALOG.NOT_READY', async () => {
    const store = new InMemoryCatalogStore();
    await store.applyLocation(LOCATION, smallCatalog());
    const fresh = new CatalogQueryService({ index: new InMemoryCatalogSearch(store) });
    const byRef = await fresh.whoOwns('component:default/ledger-service');
    expect(byRef.kind === 'found' && byRef.entity.name).toBe('ledger-service');
    const err = await fresh.whoOwns('ledger').catch((e: unknown) => e);
    expect(isDomainError(err) && err.code).toBe('CATALOG.NOT_READY');
  });
});
