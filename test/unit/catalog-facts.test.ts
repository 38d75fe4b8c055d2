import { CatalogFactsService } from '../../src/domain/catalog/catalog-facts.service';
import type { EntityKind } from '../../src/domain/catalog/catalog.types';
import { InMemoryAuditLog } from '../fakes/in-memory-audit-log';
import { InMemoryCatalogStore } from '../fakes/in-memory-catalog-store';
import { domainFailure } from '../helpers/domain-failure';
import { LOCATION, smallCatalog } from '../fixtures/small-catalog';

describe('CatalogFactsService: facts only for kinds that deploy', () => {
  const actor = { id: 'pipeline:test' };
  const deployment = (service: string) => ({ service, environment: 'prod', version: '1.0.0', status: 'succeeded' as const });

  const world = async (factKinds?: EntityKind[]) => {
    const store = new InMemoryCatalogStore();
    await store.applyLocation(LOCATION, smallCatalog());
    const audit = new InMemoryAuditLog();
    return { store, audit, facts: new CatalogFactsService(store, audit, factKinds ? { factKinds } : {}) };
  };

  test('a System is refused with the reason, and nothing is written or audited', async () => {
    const { facts, store, audit } = await world();
    const revision = await store.currentRevision();
    const e = await domainFailure(facts.recordDeployment(deployment('payments'), actor));
    expect(e.code).toBe('CATALOG.INVALID');
    expect(e.message).toBe('service: payments (System) is not a kind that deploys; facts are accepted for Component, Resource');
    expect(e.details.problems).toEqual([e.message]);
    const onCall = await domainFailure(facts.setOnCall({ service: 'system:default/payments', current: { name: 'Alice' } }, actor));
    expect(onCall.message).toMatch(/payments \(System\) is not a kind that deploys/);
    expect(await store.currentRevision()).toBe(revision);
    expect(audit.entries).toEqual([]);
  });

  test('an API by its ref is refused too', async () => {
    const { facts } = await world();
    expect((await domainFailure(facts.recordDeployment(deployment('api:payments-api'), actor))).message).toMatch(/payments-api \(API\) is not a kind/);
  });

  test('Components and Resources take facts; a name shared by a Component and an API means the Component', async () => {
    const { facts } = await world();
    expect((await facts.recordDeployment(deployment('payments-api'), actor)).ref).toBe('component:default/payments-api');
    expect((await facts.recordDeployment(deployment('payments-db'), actor)).ref).toBe('resource:default/payments-db');
    expect((await facts.setOnCall({ service: 'payments-db', current: { name: 'Alice' } }, actor)).ref).toBe('resource:default/payments-db');
  });

  test('the configured kinds replace the default', async () => {
    const { facts } = await world(['System', 'API']);
    expect((await facts.recordDeployment(deployment('payments'), actor)).ref).toBe('system:default/payments');
    expect((await facts.recordDeployment(deployment('payments-api'), actor)).ref).toBe('api:default/payments-api');
    expect((await domainFailure(facts.recordDeployment(deployment('payments-db'), actor))).message).toBe(
      'service: payments-db (Resource) is not a kind that deploys; facts are accepted for System, API',
    );
  });

  test('an unknown service is still 404, not a kind problem', async () => {
    const { facts } = await world();
    expect((await domainFailure(facts.recordDeployment(deployment('nope'), actor))).code).toBe('CATALOG.NOT_FOUND');
  });
});
