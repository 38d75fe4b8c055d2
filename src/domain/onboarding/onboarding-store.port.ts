import type { Grant, NewOnboardingRecord, OnboardingRecord, WelcomeDelivery } from './onboarding.types';

/**
 * Onboarding records in the shared store (any replica reads and changes them). Writes are single
 * documents: a grant recorded twice (a step re-run after a crash) is kept once (by grantKey).
 */
export interface OnboardingStore {
  /** Creates the record unless one with this id exists (then returns it untouched). */
  create(record: NewOnboardingRecord): Promise<{ record: OnboardingRecord; created: boolean }>;
  get(id: string): Promise<OnboardingRecord | null>;
  /** The joiner's records not offboarded, newest first; `teamRef` narrows to one team. */
  activeFor(joinerId: string, teamRef?: string): Promise<OnboardingRecord[]>;
  /** Adds grants not recorded yet (by grantKey); returns the record. */
  addGrants(id: string, grants: Grant[]): Promise<OnboardingRecord | null>;
  /** Marks the record provisioned (`active`) and records when (`activeAt`). */
  markActive(id: string, now: Date): Promise<OnboardingRecord | null>;
  /** Closes the record: the grants were taken back. */
  markOffboarded(id: string, now: Date): Promise<OnboardingRecord | null>;
  setWelcome(id: string, welcome: WelcomeDelivery): Promise<OnboardingRecord | null>;
  /** Ticks or unticks one checklist item; null for an unknown record or item. */
  setChecklistItem(id: string, itemId: string, done: { at: Date; by: string } | null): Promise<OnboardingRecord | null>;
  /** Records of this joiner whose welcome is not delivered yet (their first message delivers them). */
  welcomesWaitingFor(joinerId: string): Promise<OnboardingRecord[]>;
  /** Every open record whose welcome waits, least recently tried first, at most `limit` (the periodic retry). */
  welcomesWaiting(limit: number): Promise<OnboardingRecord[]>;
}
