/**
 * The weekly digest one owning team receives: its failing checks from the latest health run,
 * grouped by rule (worst first), with what changed since the run a week earlier, and the pull
 * requests and waivers set from earlier cards.
 */
import type { FixKind, HealthRuleId, HealthSeverity, HealthWaiver } from '../catalog-health/health.types';

export interface DigestItem {
  ref: string;
  detail: string;
  /** Failing now and not in the run a week earlier. */
  isNew: boolean;
  /** A pull request opened from a card for this check (not merged and imported yet). */
  fix?: FixRecord;
}

export interface DigestGroup {
  ruleId: HealthRuleId;
  severity: HealthSeverity;
  title: string;
  fixHint: string;
  fix?: FixKind;
  /** Failing checks of this rule, shown or not. */
  count: number;
  newCount: number;
  /** The worst first: new ones, then by ref; at most the digest's per-rule limit. */
  items: DigestItem[];
  /** count - items.length: "and 37 more". */
  hidden: number;
}

export interface TeamDigest {
  runId: string;
  team: string;
  /** How the card names the team (display name, else the ref). */
  teamName: string;
  runAt: Date;
  entityCount: number;
  failing: number;
  /** Failing checks hidden by a waiver (set before the run or since). */
  waived: number;
  /** The run compared with (closest to 7 days earlier); absent: the first digest. */
  previousRunAt?: Date;
  newCount: number;
  /** Failing in the previous run, not any more (refs and rules, worst first). */
  fixed: { ref: string; ruleId: HealthRuleId; title: string }[];
  groups: DigestGroup[];
}

/** A pull request opened from a Fix form; one per (entity, rule): a second submit updates the same branch. */
export interface FixRecord {
  ref: string;
  ruleId: HealthRuleId;
  team: string;
  pullRequestId: number;
  url: string;
  branch: string;
  by: { id: string; name: string };
  at: Date;
}

/** Why a (ref, rule) check is hidden from a digest. */
export type WaiverLookup = (ref: string, ruleId: HealthRuleId) => HealthWaiver | undefined;
