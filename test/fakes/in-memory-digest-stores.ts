/** The digest's stores in memory: the same answers as the Mongo adapters (test/contracts/digest-stores.contract.ts). */
import type { DigestDelivery, DigestDeliveryStore } from '../../src/domain/catalog-digest/digest-delivery-store.port';
import type { FixRecord } from '../../src/domain/catalog-digest/digest.types';
import type { FixRecordStore } from '../../src/domain/catalog-digest/fix-record-store.port';
import type { HealthRuleId } from '../../src/domain/catalog-health/health.types';

export class InMemoryDigestDeliveryStore implements DigestDeliveryStore {
  readonly deliveries = new Map<string, DigestDelivery>();

  async record(delivery: DigestDelivery): Promise<void> {
    const key = `${delivery.occurrence}|${delivery.team}|${delivery.conversationId}`;
    if (!this.deliveries.has(key)) this.deliveries.set(key, structuredClone(delivery));
  }

  async deliveredTo(occurrence: string, team: string): Promise<string[]> {
    return [...this.deliveries.values()].filter((d) => d.occurrence === occurrence && d.team === team).map((d) => d.conversationId);
  }
}

export class InMemoryFixRecordStore implements FixRecordStore {
  private readonly records = new Map<string, FixRecord>();

  async put(record: FixRecord): Promise<void> {
    this.records.set(`${record.ref}#${record.ruleId}`, structuredClone(record));
  }

  async get(ref: string, ruleId: HealthRuleId): Promise<FixRecord | null> {
    const r = this.records.get(`${ref}#${ruleId}`);
    return r ? structuredClone(r) : null;
  }

  async forEntities(refs: string[]): Promise<FixRecord[]> {
    const wanted = new Set(refs);
    return [...this.records.values()].filter((r) => wanted.has(r.ref)).map((r) => structuredClone(r));
  }
}
