/**
 * Any durable job -> its progress card's data, from the job's presentation (labels, facts, links,
 * success). The dialog that starts a job, the Retry action and the notifier all use it, so every
 * path shows the same card for the same state.
 */
import { renderJobProgressCard, type JobProgressView, type StepState } from '../../cards/job-progress.card';
import type { JobPresentation, JobPresentations, StepOutputs } from '../../src/bot/job-presentation';
import type { JobCards } from '../../src/bot/job-progress-notifier';
import { stepFailureText } from '../../src/bot/messages';
import type { Job, JobStep } from '../../src/domain/jobs/jobs.types';

const stateOf = (step: JobStep): StepState => {
  if (step.status === 'succeeded') return 'done';
  if (step.status === 'pending' && step.error) return 'waiting';
  return step.status === 'skipped' ? 'skipped' : step.status === 'failed' ? 'failed' : step.status === 'running' ? 'running' : 'pending';
};

export function progressView(job: Job, presentation: JobPresentation): JobProgressView {
  const facts = presentation.facts(job.input);
  const label = (name: string) => presentation.stepLabels[name] ?? name;
  const steps = job.steps.map((s) => ({ label: label(s.name), state: stateOf(s) }));
  const outputs: StepOutputs = Object.fromEntries(job.steps.map((s) => [s.name, (s.output ?? {}) as Record<string, unknown>]));
  const base = { jobId: job.id, subheading: facts.subheading, steps, links: presentation.links(outputs), canRetry: false };

  if (job.status === 'succeeded') {
    const success = presentation.success(job, outputs);
    return { ...base, heading: `${facts.verb.done} ${facts.where}`, status: { text: success.status, color: 'Good' }, ...(success.detail ? { detail: success.detail } : {}), ...(success.question ? { question: success.question } : {}) };
  }
  if (job.status === 'failed') {
    const failed = job.steps.find((s) => s.status === 'failed');
    const done = job.steps.filter((s) => s.status === 'succeeded').map((s) => label(s.name));
    const why = failed?.error ? stepFailureText(failed.error, job.id) : 'The job stopped.';
    return {
      ...base,
      heading: `Could not finish ${facts.where}`,
      status: { text: `${failed ? label(failed.name) : 'A step'} failed.`, color: 'Attention' },
      detail: `${why}\n\nDone so far: ${done.length ? done.join('; ') : 'nothing'}. Retry resumes at the failed step and never repeats what is done.`,
      canRetry: true,
    };
  }
  if (job.status === 'cancelled') return { ...base, heading: `Stopped: ${facts.where}`, status: { text: 'Cancelled.', color: 'Warning' } };
  const waiting = job.steps.find((s) => s.status === 'pending' && s.error);
  return {
    ...base,
    heading: `${facts.verb.running} ${facts.where}`,
    ...(waiting?.error ? { status: { text: `${stepFailureText(waiting.error, job.id)} Trying again automatically.`, color: 'Warning' } } : {}),
  };
}

/** How long a finished job took, for its success line (" in 4.2 s"). */
export function tookSeconds(job: Job): string {
  return job.finishedAt ? ` in ${((new Date(job.finishedAt).getTime() - new Date(job.createdAt).getTime()) / 1000).toFixed(1)} s` : '';
}

/** Links from step outputs, skipping the ones a step did not (yet) produce. */
export function linksFrom(pairs: [string, unknown][]): { title: string; url: string }[] {
  return pairs.filter((p): p is [string, string] => typeof p[1] === 'string' && p[1] !== '').map(([title, url]) => ({ title, url }));
}

/** The progress card of a job. */
export const jobProgressCard = (job: Job, presentation: JobPresentation) => renderJobProgressCard(progressView(job, presentation));

/** Progress cards for every job type the features present (what the notifier and Retry render). */
export function jobCards(presentations: JobPresentations): JobCards {
  return {
    presents: (type) => presentations.get(type) !== undefined,
    render: async (job) => {
      const presentation = presentations.get(job.type)!;
      return presentation.card ? presentation.card(job, progressView(job, presentation)) : jobProgressCard(job, presentation);
    },
  };
}
