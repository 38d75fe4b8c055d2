/**
 * Which expiry reminders were sent (or snoozed), one record per (vault, secret, version, expiry,
 * threshold), shared by every replica (MongoDB). The key includes the expiry so an extended secret
 * gets its reminders again when it nears its new date. `claim` is how a replica gets the right to
 * send: the record's id is derived from the key, so of two replicas claiming at once exactly one
 * wins; a claim left by a replica that crashed before sending is taken over once stale.
 */
export interface ExpiryReminderKey {
  /** The vault's name (kv-dev), as configured. */
  vault: string;
  /** The secret's name in Key Vault. */
  name: string;
  version: string;
  /** ISO time of the expiry the reminder is about. */
  expiresOn: string;
  /** Days: one of the configured thresholds, or 0 for "expired". */
  threshold: number;
}

export interface ExpiryReminder extends ExpiryReminderKey {
  state: 'claimed' | 'sent' | 'snoozed';
  claimedAt?: Date;
  sentAt?: Date;
  /** The conversations that got the card. */
  conversationIds?: string[];
  snoozedBy?: { id: string; name: string };
  snoozedAt?: Date;
}

export interface ExpiryReminderStore {
  /**
   * True for exactly one caller: the record did not exist (now claimed by `owner`), or was a claim
   * older than `staleBefore` (taken over). False when sent, snoozed or freshly claimed elsewhere.
   */
  claim(key: ExpiryReminderKey, owner: string, now: Date, staleBefore: Date): Promise<boolean>;
  /** The card went out: the claim becomes "sent" (kept; a repeat changes nothing). */
  markSent(key: ExpiryReminderKey, owner: string, sent: { conversationIds: string[]; at: Date }): Promise<void>;
  /** Sending failed: the claim of `owner` is dropped so a later run tries again. */
  release(key: ExpiryReminderKey, owner: string): Promise<void>;
  /** No reminder for this key: a record that does not exist yet is created as snoozed; a sent one keeps its state and records who snoozed. */
  snooze(key: ExpiryReminderKey, by: { id: string; name: string }, at: Date): Promise<void>;
  get(key: ExpiryReminderKey): Promise<ExpiryReminder | null>;
}

/** The natural key as one string (the Mongo adapter hashes it into `_id`). */
export const expiryReminderKeyString = (k: ExpiryReminderKey): string => `${k.vault.toLowerCase()}|${k.name.toLowerCase()}|${k.version.toLowerCase()}|${k.expiresOn}|${k.threshold}`;
