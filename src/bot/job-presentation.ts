/**
 * How a flow's durable jobs look on their progress card, keyed by job type: step labels, where
 * and what, links from step outputs, the success message, and who may retry. One generic progress
 * view (dialogs/common/job-progress.views.ts) and one notifier serve every job type.
 */
import type { JobProgressView } from '../../cards/job-progress.card';
import type { AdaptiveCard } from '../../cards/render';
import type { Job } from '../domain/jobs/jobs.types';
import type { TurnActor } from './identity';

export interface JobFacts {
  /** "Payments/payments-ledger" */
  where: string;
  subheading: string;
  /** "Creating" / "Created" */
  verb: { running: string; done: string };
}

export interface JobSuccess {
  status: string;
  detail?: string;
  /** A button that asks the bot a question, e.g. "who owns payments-ledger". */
  question?: { title: string; text: string };
}

export type StepOutputs = Record<string, Record<string, unknown>>;

export interface JobPresentation {
  type: string;
  stepLabels: Record<string, string>;
  facts(input: unknown): JobFacts;
  links(outputs: StepOutputs): { title: string; url: string }[];
  success(job: Job, outputs: StepOutputs): JobSuccess;
  /** Retry of a failed job from its card: the flow's service decides who may. */
  retry(jobId: string, actor: TurnActor): Promise<Job>;
  /**
   * The card that shows this job's progress, when it is not the generic progress card (a job that
   * follows an approval shows its steps on the approval card). `progress` is the generic view.
   */
  card?(job: Job, progress: JobProgressView): Promise<AdaptiveCard>;
}

export class JobPresentations {
  private readonly byType = new Map<string, JobPresentation>();

  constructor(presentations: readonly JobPresentation[]) {
    for (const p of presentations) this.byType.set(p.type, p);
  }

  get(type: string): JobPresentation | undefined {
    return this.byType.get(type);
  }
}
