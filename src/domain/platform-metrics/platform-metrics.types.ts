/** The platform team's figures over one period, as the card and `GET /api/platform/metrics` show them. */
import type { Distribution, Rate } from './distribution';

export const DEFAULT_PERIOD_DAYS = 28;
export const MAX_PERIOD_DAYS = 365;

export interface MetricsPeriod {
  from: Date;
  to: Date;
  days: number;
}

/** Why a figure has no value: nothing happened yet, or the source it is read from is not configured or failed. */
export type Unmeasured = { measured: false; reason: string };

export interface FirstCommitFigure {
  measured: true;
  /** Request -> the repository's first change by a person, for repositories created from requests in the period that have one. */
  leadTime: Distribution;
  /** Repositories created in the period with no human change yet. */
  waiting: number;
  /** Repositories whose activity could not be read (Azure DevOps failed, or the repository is gone). */
  unreadable: number;
}

export interface FlowFigures {
  /** Stable id (`create-repo`, `onboarding`...). */
  flow: string;
  label: string;
  /** Requests made in the period (approval requests, or confirmed previews), whatever became of them. */
  requests: number;
  /** Requests per week of the period, oldest first (the last week may be shorter). */
  perWeek: number[];
  /** Request -> job done, for requests in the period whose job succeeded. */
  leadTime: Distribution;
  /** The part of it spent waiting for people: an approver (approval), or the requester's Confirm (confirmation). */
  wait: Distribution;
  waitKind: 'approval' | 'confirmation' | 'none';
  /** Finished jobs that failed. */
  failures: Rate;
  /** Jobs that needed a retry: a step started again (automatic) or Retry pressed. */
  retries: Rate;
}

export interface CoverageFigure {
  measured: true;
  /** The run the figures are from: the newest in the period. */
  runAt: Date;
  /** % of Azure DevOps repositories with a valid catalog-info.yaml (undefined when repositories are not read). */
  repositoryCoverage?: number;
  /** % of entities whose owner is in the catalog and active. */
  liveOwnerCoverage: number;
  /** Every run in the period, oldest first. */
  trend: { at: Date; repositoryCoverage?: number; liveOwnerCoverage: number }[];
}

export interface PlatformMetrics {
  period: MetricsPeriod;
  /** Week starts, oldest first (what perWeek counts). */
  weeks: Date[];
  firstCommit: FirstCommitFigure | Unmeasured;
  flows: FlowFigures[];
  /** Request -> every grant made (the onboarding record active). */
  onboarding: { leadTime: Distribution; waiting: number };
  coverage: CoverageFigure | Unmeasured;
  /** All flows' requests per week, oldest first: the chart. */
  requestsPerWeek: number[];
  computedAt: Date;
}
