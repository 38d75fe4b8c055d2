/** Expiry reminders in memory: the same answers as MongoExpiryReminderStore (test/contracts/expiry-reminder-store.contract.ts). */
import { expiryReminderKeyString, type ExpiryReminder, type ExpiryReminderKey, type ExpiryReminderStore } from '../../src/domain/secrets/expiry-reminder-store.port';

export class InMemoryExpiryReminderStore implements ExpiryReminderStore {
  readonly records = new Map<string, ExpiryReminder & { owner?: string }>();

  async claim(key: ExpiryReminderKey, owner: string, now: Date, staleBefore: Date): Promise<boolean> {
    const id = expiryReminderKeyString(key);
    const existing = this.records.get(id);
    if (!existing) {
      this.records.set(id, { ...structuredClone(key), state: 'claimed', owner, claimedAt: now });
      return true;
    }
    if (existing.state !== 'claimed' || !existing.claimedAt || existing.claimedAt.getTime() >= staleBefore.getTime()) return false;
    existing.owner = owner;
    existing.claimedAt = now;
    return true;
  }

  async markSent(key: ExpiryReminderKey, owner: string, sent: { conversationIds: string[]; at: Date }): Promise<void> {
    const r = this.records.get(expiryReminderKeyString(key));
    if (r?.state === 'claimed' && r.owner === owner) Object.assign(r, { state: 'sent', sentAt: sent.at, conversationIds: [...sent.conversationIds] });
  }

  async release(key: ExpiryReminderKey, owner: string): Promise<void> {
    const id = expiryReminderKeyString(key);
    const r = this.records.get(id);
    if (r?.state === 'claimed' && r.owner === owner) this.records.delete(id);
  }

  async snooze(key: ExpiryReminderKey, by: { id: string; name: string }, at: Date): Promise<void> {
    const id = expiryReminderKeyString(key);
    const r = this.records.get(id) ?? { ...structuredClone(key), state: 'snoozed' as const };
    this.records.set(id, { ...r, snoozedBy: { ...by }, snoozedAt: at });
  }

  async get(key: ExpiryReminderKey): Promise<ExpiryReminder | null> {
    const r = this.records.get(expiryReminderKeyString(key));
    if (!r) return null;
    const { owner, ...rest } = structuredClone(r);
    void owner;
    return rest;
  }
}
