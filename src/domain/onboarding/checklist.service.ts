/**
 * The joiner's checklist on the welcome card: only the joiner of an open onboarding ticks it
 * (the manager and buddy follow progress); a save stores only the items whose state changed and
 * records one audit entry, refusals included.
 */
import type { Actor } from '../access/team-access.policy';
import type { AuditLog } from '../audit/audit.port';
import { isDomainError } from '../domain-error';
import { joinersOpenRecord } from './devcontainer-pr.service';
import type { OnboardingStore } from './onboarding-store.port';
import type { OnboardingRecord } from './onboarding.types';

export interface ChecklistDeps {
  store: Pick<OnboardingStore, 'get' | 'setChecklistItem'>;
  audit: AuditLog;
  clock?: () => Date;
}

export class ChecklistService {
  private readonly clock: () => Date;

  constructor(private readonly deps: ChecklistDeps) {
    this.clock = deps.clock ?? (() => new Date());
  }

  /** Applies `ticks` (item id -> done); unknown ids are ignored, items not named stay as they are. */
  async save(ctx: { actor: Actor; activityId?: string }, onboardingId: string, ticks: Record<string, boolean>): Promise<OnboardingRecord> {
    const base = { actor: ctx.actor.id, actorName: ctx.actor.name, action: 'onboarding.checklist', target: `onboarding:${onboardingId}`, ...(ctx.activityId ? { activityId: ctx.activityId } : {}) };
    try {
      let record = await joinersOpenRecord(this.deps.store, onboardingId, ctx.actor);
      const changed = record.checklist.filter((i) => Object.hasOwn(ticks, i.id) && ticks[i.id] !== Boolean(i.doneAt));
      const at = this.clock();
      for (const item of changed) {
        const next = await this.deps.store.setChecklistItem(onboardingId, item.id, ticks[item.id] ? { at, by: ctx.actor.id } : null);
        if (next) record = next;
      }
      const done = record.checklist.filter((i) => i.doneAt).length;
      await this.deps.audit.record({ ...base, result: 'success', details: { ticked: changed.filter((i) => ticks[i.id]).map((i) => i.id), unticked: changed.filter((i) => !ticks[i.id]).map((i) => i.id), done, of: record.checklist.length } });
      return record;
    } catch (e) {
      const code = isDomainError(e) ? e.code : 'UNEXPECTED';
      await this.deps.audit.record({ ...base, result: code === 'ONBOARDING.NOT_JOINER' ? 'denied' : 'failure', details: { code } });
      throw e;
    }
  }
}
