import type { HealthRuleId } from '../catalog-health/health.types';
import type { FixRecord } from './digest.types';

/** Pull requests opened from digest cards, one per (entity, rule); shared by every replica (MongoDB). */
export interface FixRecordStore {
  /** Saves it, replacing the one of the same (ref, ruleId). */
  put(record: FixRecord): Promise<void>;
  get(ref: string, ruleId: HealthRuleId): Promise<FixRecord | null>;
  /** Every record of these entities. */
  forEntities(refs: string[]): Promise<FixRecord[]>;
}
