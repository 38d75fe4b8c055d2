import template from './job-progress.card.json';
import { renderTemplate, type AdaptiveCard } from './render';

export type StepState = 'pending' | 'running' | 'done' | 'failed' | 'skipped' | 'waiting';

/** One progress card per durable job (any flow), updated in place: every step with its state, then links or Retry. */
export interface JobProgressView {
  jobId: string;
  heading: string;
  subheading: string;
  steps: { label: string; state: StepState }[];
  status?: { text: string; color: 'Good' | 'Attention' | 'Warning' | 'Default' };
  /** What was done and what failed, or what to do next. */
  detail?: string;
  links: { title: string; url: string }[];
  canRetry: boolean;
  /** A message the button posts as if typed, e.g. "who owns payments-ledger". */
  question?: { title: string; text: string };
}

const LOOK: Record<StepState, { icon: string; state: string; color: string }> = {
  pending: { icon: '⚪', state: 'pending', color: 'Default' },
  running: { icon: '🔵', state: 'running', color: 'Accent' },
  waiting: { icon: '🟡', state: 'retrying', color: 'Warning' },
  done: { icon: '✅', state: 'done', color: 'Good' },
  failed: { icon: '❌', state: 'failed', color: 'Attention' },
  skipped: { icon: '➖', state: 'skipped', color: 'Default' },
};

/** How a step's state looks (icon, word, colour) on any card that shows a job's steps. */
export const stepLook = (state: StepState) => LOOK[state];

/** Retry of a failed job, whatever its type: routed by the job's type to the flow's service. */
export const JOB_RETRY_VERB = 'job.retry';

/** Teams shows up to 6 card actions; links come first. */
const MAX_LINKS = 3;

export const renderJobProgressCard = (view: JobProgressView): AdaptiveCard =>
  renderTemplate(template, {
    heading: view.heading,
    subheading: view.subheading,
    steps: view.steps.map((s) => ({ label: s.label, ...LOOK[s.state] })),
    hasStatus: Boolean(view.status),
    status: view.status?.text ?? '',
    statusColor: view.status?.color ?? 'Default',
    hasDetail: Boolean(view.detail),
    detail: view.detail ?? '',
    links: view.links.slice(0, MAX_LINKS),
    canRetry: view.canRetry,
    retryVerb: JOB_RETRY_VERB,
    jobId: view.jobId,
    hasQuestion: Boolean(view.question),
    questionTitle: view.question?.title ?? '',
    question: view.question?.text ?? '',
  });
