/** PendingDisableStore in memory (the contract suite checks it against the Mongo adapter). */
import type { PendingDisable, PendingDisableStore } from '../../src/domain/secrets/pending-disable-store.port';

const copy = (p: PendingDisable): PendingDisable => structuredClone(p);

export class InMemoryPendingDisableStore implements PendingDisableStore {
  private readonly records = new Map<string, PendingDisable>();

  async add(pending: PendingDisable): Promise<void> {
    if (!this.records.has(pending.id)) this.records.set(pending.id, copy(pending));
  }

  async get(id: string): Promise<PendingDisable | null> {
    const found = this.records.get(id);
    return found ? copy(found) : null;
  }

  async due(now: Date, limit: number): Promise<PendingDisable[]> {
    return [...this.records.values()]
      .filter((p) => !p.doneAt && p.dueAt.getTime() <= now.getTime())
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())
      .slice(0, limit)
      .map(copy);
  }

  async markDone(id: string, outcome: { at: Date; disabled: string[]; gone: string[] }): Promise<void> {
    const found = this.records.get(id);
    if (found && !found.doneAt) Object.assign(found, { doneAt: outcome.at, disabled: [...outcome.disabled], gone: [...outcome.gone] });
  }

  /** Everything held (tests). */
  all(): PendingDisable[] {
    return [...this.records.values()].map(copy);
  }
}
