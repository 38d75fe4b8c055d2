/**
 * Which digests have been delivered, per occurrence (the scheduler's `catalog-digest:<slot>`),
 * team and conversation: a re-run of an occurrence (a crash, a lease taken over) sends only what
 * is not recorded. Shared by every replica (MongoDB).
 */
export interface DigestDelivery {
  occurrence: string;
  team: string;
  conversationId: string;
  /** The message holding the card (what a later update would replace). */
  activityId?: string;
  at: Date;
}

export interface DigestDeliveryStore {
  /** Records a delivery; recording the same (occurrence, team, conversation) again changes nothing. */
  record(delivery: DigestDelivery): Promise<void>;
  /** The conversations of this occurrence and team already delivered to. */
  deliveredTo(occurrence: string, team: string): Promise<string[]>;
}
