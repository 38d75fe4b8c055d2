/**
 * What every ExpiryReminderStore must do, on the in-memory fake (test/unit/expiry-reminder-store.contract.test.ts)
 * and the Mongo adapter (test/integration/expiry-reminder-store.contract.int.test.ts). Each test uses keys of its own.
 */
import { randomUUID } from 'node:crypto';
import type { ExpiryReminderKey, ExpiryReminderStore } from '../../src/domain/secrets/expiry-reminder-store.port';

export interface ExpiryReminderStoreFixture {
  store: ExpiryReminderStore;
  close(): Promise<void>;
}

const T0 = new Date('2026-12-02T08:00:00Z');
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const key = (extra: Partial<ExpiryReminderKey> = {}): ExpiryReminderKey => ({ vault: 'kv-dev', name: `payments-api--dev--${randomUUID().slice(0, 8)}`, version: randomUUID().replace(/-/g, ''), expiresOn: '2026-12-09T00:00:00.000Z', threshold: 7, ...extra });

export function expiryReminderStoreContract(name: string, open: () => Promise<ExpiryReminderStoreFixture>): void {
  describe(`expiry reminder store: ${name}`, () => {
    let fixture: ExpiryReminderStoreFixture;
    beforeAll(async () => {
      fixture = await open();
    });
    afterAll(() => fixture.close());
    const store = () => fixture.store;

    it('of many claims of one key at once exactly one wins; another threshold, expiry or version is another key', async () => {
      const k = key();
      const wins = await Promise.all(Array.from({ length: 12 }, (_, i) => store().claim(k, `r${i}`, T0, later(-15))));
      expect(wins.filter(Boolean)).toHaveLength(1);
      await expect(store().claim({ ...k, threshold: 1 }, 'x', T0, later(-15))).resolves.toBe(true);
      await expect(store().claim({ ...k, expiresOn: '2027-03-09T00:00:00.000Z' }, 'x', T0, later(-15))).resolves.toBe(true);
      await expect(store().claim({ ...k, version: 'other' }, 'x', T0, later(-15))).resolves.toBe(true);
      await expect(store().get(k)).resolves.toMatchObject({ ...k, state: 'claimed' });
    });

    it('sent is kept: never claimed again, even when old; only the owner marks it sent', async () => {
      const k = key();
      expect(await store().claim(k, 'a', T0, later(-15))).toBe(true);
      await store().markSent(k, 'someone-else', { conversationIds: ['c0'], at: later(1) });
      await expect(store().get(k)).resolves.toMatchObject({ state: 'claimed' });
      await store().markSent(k, 'a', { conversationIds: ['c1', 'c2'], at: later(1) });
      await expect(store().get(k)).resolves.toMatchObject({ ...k, state: 'sent', conversationIds: ['c1', 'c2'], sentAt: later(1) });
      await expect(store().claim(k, 'b', later(600), later(599))).resolves.toBe(false);
    });

    it("a released claim can be claimed again; a stale claim is taken over, a fresh one is not; a taken-over claim's old owner can neither mark nor release it", async () => {
      const k = key();
      expect(await store().claim(k, 'a', T0, later(-15))).toBe(true);
      await store().release(k, 'a');
      await expect(store().get(k)).resolves.toBeNull();
      expect(await store().claim(k, 'b', T0, later(-15))).toBe(true);
      await expect(store().claim(k, 'c', later(5), later(-10))).resolves.toBe(false);
      await expect(store().claim(k, 'c', later(30), later(15))).resolves.toBe(true);
      await store().release(k, 'b');
      await store().markSent(k, 'b', { conversationIds: ['x'], at: later(31) });
      await expect(store().get(k)).resolves.toMatchObject({ state: 'claimed', claimedAt: later(30) });
    });

    it('snooze: a key not reminded yet is never claimed; a sent one stays sent and records who snoozed', async () => {
      const fresh = key();
      await store().snooze(fresh, { id: 'u-alice', name: 'Alice' }, T0);
      await expect(store().get(fresh)).resolves.toMatchObject({ ...fresh, state: 'snoozed', snoozedBy: { id: 'u-alice', name: 'Alice' }, snoozedAt: T0 });
      await expect(store().claim(fresh, 'a', later(600), later(599))).resolves.toBe(false);
      const sent = key();
      await store().claim(sent, 'a', T0, later(-15));
      await store().markSent(sent, 'a', { conversationIds: ['c1'], at: T0 });
      await store().snooze(sent, { id: 'u-bob', name: 'Bob' }, later(1));
      await store().snooze(sent, { id: 'u-bob', name: 'Bob' }, later(1));
      await expect(store().get(sent)).resolves.toMatchObject({ state: 'sent', conversationIds: ['c1'], snoozedBy: { id: 'u-bob', name: 'Bob' } });
    });
  });
}
