import type { AuditEntry, AuditQuery } from './audit.types';

export type RecordedAuditEntry = AuditEntry & { at: Date };

/** Append-only audit trail. */
export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  find(query: AuditQuery): Promise<RecordedAuditEntry[]>;
}
