/**
 * The bot's own records the platform metrics are computed from, read-only and as plain data:
 * jobs, approval requests, previewed requests (create repo, add pipeline) and onboardings. Each
 * method returns what was created at or after `since` (the service keeps what falls in the period).
 */
import type { JobStatus } from '../jobs/jobs.types';

export interface JobHistoryRecord {
  id: string;
  /** The job type (`repo.create`, `onboarding.provision`...). */
  type: string;
  /** The approval request's or previewed request's id for the flows that start a job from one. */
  idempotencyKey: string;
  status: JobStatus;
  createdAt: Date;
  finishedAt?: Date;
  /** Starts of each step in the current run (a step started twice was retried automatically). */
  stepAttempts: number[];
  /** Someone pressed Retry on the failed job. */
  retriedByUser: boolean;
  /** What the job works on, for the repository of a `repo.create` job. */
  repository?: { project: string; name: string };
}

export interface ApprovalHistoryRecord {
  id: string;
  flow: string;
  state: 'pending' | 'approved' | 'rejected' | 'cancelled' | 'expired';
  createdAt: Date;
  /** When it left pending. */
  endedAt?: Date;
}

export interface PreviewHistoryRecord {
  id: string;
  kind: 'create-repo' | 'add-pipeline';
  status: 'pending' | 'confirmed' | 'cancelled';
  createdAt: Date;
}

export interface OnboardingHistoryRecord {
  /** The approval request's id. */
  id: string;
  state: 'provisioning' | 'active' | 'offboarded';
  createdAt: Date;
  /** When every grant was made (absent on records written before it was kept, and while provisioning). */
  activeAt?: Date;
}

export interface PlatformHistory {
  jobsCreatedSince(since: Date): Promise<JobHistoryRecord[]>;
  approvalsCreatedSince(since: Date): Promise<ApprovalHistoryRecord[]>;
  previewsCreatedSince(since: Date): Promise<PreviewHistoryRecord[]>;
  onboardingsCreatedSince(since: Date): Promise<OnboardingHistoryRecord[]>;
}
