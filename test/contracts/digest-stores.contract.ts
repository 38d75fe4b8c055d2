/**
 * What every DigestDeliveryStore and FixRecordStore must do, on the in-memory fakes
 * (test/unit/digest-stores.contract.test.ts) and the Mongo adapters
 * (test/integration/digest-stores.contract.int.test.ts). Each test uses ids of its own.
 */
import { randomUUID } from 'node:crypto';
import type { DigestDeliveryStore } from '../../src/domain/catalog-digest/digest-delivery-store.port';
import type { FixRecord } from '../../src/domain/catalog-digest/digest.types';
import type { FixRecordStore } from '../../src/domain/catalog-digest/fix-record-store.port';

export interface DigestStoresFixture {
  deliveries: DigestDeliveryStore;
  fixes: FixRecordStore;
  close(): Promise<void>;
}

export function digestStoresContract(name: string, open: () => Promise<DigestStoresFixture>): void {
  describe(`digest stores: ${name}`, () => {
    let fixture: DigestStoresFixture;
    beforeAll(async () => {
      fixture = await open();
    });
    afterAll(() => fixture.close());

    it('a delivery is recorded once per (occurrence, team, conversation); another occurrence or team is separate', async () => {
      const occurrence = `catalog-digest:${randomUUID()}`;
      const at = new Date('2026-12-07T09:00:00Z');
      await fixture.deliveries.record({ occurrence, team: 'group:default/a', conversationId: 'c1', activityId: 'm1', at });
      await fixture.deliveries.record({ occurrence, team: 'group:default/a', conversationId: 'c1', activityId: 'm2', at });
      await fixture.deliveries.record({ occurrence, team: 'group:default/a', conversationId: 'c2', at });
      await fixture.deliveries.record({ occurrence, team: 'group:default/b', conversationId: 'c3', at });
      expect((await fixture.deliveries.deliveredTo(occurrence, 'group:default/a')).sort()).toEqual(['c1', 'c2']);
      await expect(fixture.deliveries.deliveredTo(occurrence, 'group:default/b')).resolves.toEqual(['c3']);
      await expect(fixture.deliveries.deliveredTo(`${occurrence}-x`, 'group:default/a')).resolves.toEqual([]);
    });

    it('a fix record is one per (entity, rule): put again replaces it; forEntities finds every rule of the entities', async () => {
      const ref = `component:default/${randomUUID()}`;
      const record = (ruleId: FixRecord['ruleId'], id: number): FixRecord => ({ ref, ruleId, team: 'group:default/a', pullRequestId: id, url: `https://dev.azure.com/x/_git/r/pullrequest/${id}`, branch: `idp/catalog-fix/${id}`, by: { id: 'u1', name: 'Alice' }, at: new Date('2026-12-07T10:00:00Z') });
      await fixture.fixes.put(record('owner-missing', 1));
      await fixture.fixes.put(record('owner-missing', 2));
      await fixture.fixes.put(record('contact-missing', 3));
      await expect(fixture.fixes.get(ref, 'owner-missing')).resolves.toEqual(record('owner-missing', 2));
      await expect(fixture.fixes.get(ref, 'production-runbook-missing')).resolves.toBeNull();
      expect((await fixture.fixes.forEntities([ref, 'component:default/other'])).map((r) => r.pullRequestId).sort()).toEqual([2, 3]);
      await expect(fixture.fixes.forEntities([])).resolves.toEqual([]);
    });
  });
}
