/** AuditLog in memory: what was recorded, newest first on find, like the Mongo adapter. */
import type { AuditLog, RecordedAuditEntry } from '../../src/domain/audit/audit.port';
import type { AuditEntry, AuditQuery } from '../../src/domain/audit/audit.types';

export class InMemoryAuditLog implements AuditLog {
  readonly entries: RecordedAuditEntry[] = [];

  async record(entry: AuditEntry): Promise<void> {
    this.entries.push(structuredClone({ ...entry, at: entry.at ?? new Date() }));
  }

  async find(query: AuditQuery): Promise<RecordedAuditEntry[]> {
    return this.entries
      .filter((e) => (!query.actor || e.actor === query.actor) && (!query.action || e.action === query.action) && (!query.target || e.target === query.target))
      .reverse()
      .slice(0, query.limit ?? 100);
  }
}
