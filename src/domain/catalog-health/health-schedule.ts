/**
 * The health run as periodic work: one occurrence per slot on one replica (src/domain/jobs/scheduler.ts),
 * its run id derived from the slot, so an occurrence run again after a crash replaces its own run
 * instead of adding one; then the oldest runs beyond `keep` are dropped.
 */
import type { ScheduledWork } from '../jobs/scheduler';
import type { CatalogHealthService } from './catalog-health.service';

export const HEALTH_SCHEDULE_NAME = 'catalog-health';

export const healthRunId = (slot: number): string => `health-${slot}`;

/** When the occurrence after `now` starts (what "no run yet" answers name). */
export const nextSlotStart = (now: Date, everyMs: number): Date => new Date((Math.floor(now.getTime() / everyMs) + 1) * everyMs);

export interface HealthScheduleOptions {
  everyMs: number;
  /** Runs kept (older ones pruned after each run). */
  keep: number;
  /** Told what each run did (the composition root logs it). */
  onRun?: (service: CatalogHealthService) => void;
}

export function catalogHealthSchedule(service: CatalogHealthService, options: HealthScheduleOptions): ScheduledWork {
  return {
    name: HEALTH_SCHEDULE_NAME,
    everyMs: options.everyMs,
    run: async ({ slot, signal }) => {
      await service.run({ id: healthRunId(slot), signal });
      await service.prune(options.keep);
      options.onRun?.(service);
    },
  };
}
