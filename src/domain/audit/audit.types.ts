/** One change made by or through the bot. Never holds a secret value. */
export interface AuditEntry {
  /** Who asked (AAD object id or channel user id). */
  actor: string;
  actorName?: string;
  /** Stable verb, e.g. `feedback.submit`, `repo.create`. */
  action: string;
  /** What it was done to, e.g. `repo:Payments/payments-api`. */
  target: string;
  result: 'success' | 'failure' | 'denied';
  /** Correlates with the log line of the turn. */
  activityId?: string;
  details?: Record<string, unknown>;
  at?: Date;
}

export interface AuditQuery {
  actor?: string;
  action?: string;
  target?: string;
  limit?: number;
}
