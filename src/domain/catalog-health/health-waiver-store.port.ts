import type { HealthRuleId, HealthWaiver } from './health.types';

/** Snoozes and "not applicable" marks, one per (entity, rule); setting one again replaces it. */
export interface HealthWaiverStore {
  put(waiver: HealthWaiver): Promise<void>;
  /** Lifts it; false when there was none. */
  remove(ref: string, ruleId: HealthRuleId): Promise<boolean>;
  /** Waivers still in force at `now` (expired snoozes left out). */
  active(now: Date): Promise<HealthWaiver[]>;
  /** All waivers of these entities, in force or not. */
  forEntities(refs: string[]): Promise<HealthWaiver[]>;
}
