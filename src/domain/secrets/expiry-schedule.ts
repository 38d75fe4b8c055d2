/**
 * The expiry check as scheduled work (src/domain/jobs/scheduler.ts): every
 * SECRET_EXPIRY_CHECK_HOURS on one replica. A re-run of an occurrence (a crash, a retry after a
 * failed reminder) sends only what no run has sent: the service claims each reminder first.
 */
import { occurrenceKey, type ScheduledWork } from '../jobs/scheduler';
import type { ExpiryTotals, SecretExpiryService } from './secret-expiry.service';

export const SECRET_EXPIRY_SCHEDULE = 'secret-expiry';

export function secretExpirySchedule(service: Pick<SecretExpiryService, 'runOccurrence'>, options: { everyMs: number; onRun?: (totals: ExpiryTotals) => void }): ScheduledWork {
  return {
    name: SECRET_EXPIRY_SCHEDULE,
    everyMs: options.everyMs,
    run: async ({ slot, signal }) => {
      // Not `onRun?.(await ...)`: an optional call skips evaluating its argument.
      const totals = await service.runOccurrence(occurrenceKey(SECRET_EXPIRY_SCHEDULE, slot), signal);
      options.onRun?.(totals);
    },
  };
}
