/**
 * OnboardingStore in memory, with the Mongo adapter's semantics (the onboarding store contract
 * runs on both): a create of a known id returns the first record, grants kept once by grantKey in
 * the order first recorded, copies in and out so a caller cannot change what is stored.
 */
import type { OnboardingStore } from '../../src/domain/onboarding/onboarding-store.port';
import { grantKey, type Grant, type NewOnboardingRecord, type OnboardingRecord, type WelcomeDelivery } from '../../src/domain/onboarding/onboarding.types';

const withoutUndefined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export class InMemoryOnboardingStore implements OnboardingStore {
  readonly records = new Map<string, OnboardingRecord>();

  constructor(private readonly clock: () => Date = () => new Date()) {}

  async create(record: NewOnboardingRecord): Promise<{ record: OnboardingRecord; created: boolean }> {
    const existing = this.records.get(record.id);
    if (existing) return { record: structuredClone(existing), created: false };
    const stored: OnboardingRecord = { ...withoutUndefined(structuredClone(record)), state: 'provisioning', grants: [], welcome: { attempts: 0 }, updatedAt: record.createdAt };
    this.records.set(record.id, stored);
    return { record: structuredClone(stored), created: true };
  }

  async get(id: string): Promise<OnboardingRecord | null> {
    const r = this.records.get(id);
    return r ? structuredClone(r) : null;
  }

  async activeFor(joinerId: string, teamRef?: string): Promise<OnboardingRecord[]> {
    return this.where((r) => r.joiner.id === joinerId && r.state !== 'offboarded' && (!teamRef || r.team.ref === teamRef));
  }

  async addGrants(id: string, grants: Grant[]): Promise<OnboardingRecord | null> {
    const r = this.records.get(id);
    if (!r) return null;
    const known = new Set(r.grants.map(grantKey));
    const fresh = grants.filter((g) => {
      const key = grantKey(g);
      if (known.has(key)) return false;
      known.add(key);
      return true;
    });
    if (fresh.length) {
      r.grants = [...r.grants, ...structuredClone(fresh)];
      r.updatedAt = new Date(Math.max(...fresh.map((g) => g.at.getTime())));
    }
    return structuredClone(r);
  }

  async markActive(id: string, now: Date): Promise<OnboardingRecord | null> {
    return this.change(id, (r) => r.state === 'provisioning', (r) => Object.assign(r, { state: 'active', activeAt: now, updatedAt: now }));
  }

  async markOffboarded(id: string, now: Date): Promise<OnboardingRecord | null> {
    return this.change(id, (r) => r.state !== 'offboarded', (r) => Object.assign(r, { state: 'offboarded', offboardedAt: now, updatedAt: now }));
  }

  async setWelcome(id: string, welcome: WelcomeDelivery): Promise<OnboardingRecord | null> {
    return this.change(id, () => true, (r) => Object.assign(r, { welcome: withoutUndefined(structuredClone(welcome)), updatedAt: this.clock() }));
  }

  async setChecklistItem(id: string, itemId: string, done: { at: Date; by: string } | null): Promise<OnboardingRecord | null> {
    const r = this.records.get(id);
    const item = r?.checklist.find((i) => i.id === itemId);
    if (!r || !item) return null;
    if (done) Object.assign(item, { doneAt: done.at, doneBy: done.by });
    else {
      delete item.doneAt;
      delete item.doneBy;
    }
    r.updatedAt = done?.at ?? this.clock();
    return structuredClone(r);
  }

  /** Not delivered, not offboarded, and a reason recorded: a delivery was tried and is waiting. */
  async welcomesWaitingFor(joinerId: string): Promise<OnboardingRecord[]> {
    return this.where((r) => r.joiner.id === joinerId && r.state !== 'offboarded' && !r.welcome.deliveredAt && Boolean(r.welcome.waitingReason));
  }

  async welcomesWaiting(limit: number): Promise<OnboardingRecord[]> {
    return this.where((r) => r.state !== 'offboarded' && !r.welcome.deliveredAt && Boolean(r.welcome.waitingReason))
      .sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime())
      .slice(0, limit);
  }

  private where(match: (r: OnboardingRecord) => boolean): OnboardingRecord[] {
    return [...this.records.values()]
      .filter(match)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
      .map((r) => structuredClone(r));
  }

  private change(id: string, when: (r: OnboardingRecord) => boolean, apply: (r: OnboardingRecord) => void): OnboardingRecord | null {
    const r = this.records.get(id);
    if (!r) return null;
    if (when(r)) apply(r);
    return structuredClone(r);
  }
}
