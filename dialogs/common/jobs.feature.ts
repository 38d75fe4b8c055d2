/** Retry of any failed job from its progress card: routed by job type to the flow that owns it. */
import { z } from 'zod';
import { JOB_RETRY_VERB } from '../../cards/job-progress.card';
import { cardAction } from '../../src/bot/card-action-router';
import type { Feature } from '../../src/bot/feature';
import type { JobPresentations } from '../../src/bot/job-presentation';
import type { Job } from '../../src/domain/jobs/jobs.types';
import { DomainError } from '../../src/domain/domain-error';
import { jobCards } from './job-progress.views';

export function jobsFeature(presentations: JobPresentations, jobs: { get(id: string): Promise<Job | null> }): Feature {
  const cards = jobCards(presentations);
  return {
    name: 'jobs',
    cardActions: [
      cardAction({
        verb: JOB_RETRY_VERB,
        data: z.object({ jobId: z.string().min(1).max(100) }),
        changesState: true,
        run: async ({ data, actor }) => {
          const job = await jobs.get(data.jobId);
          const presentation = job ? presentations.get(job.type) : undefined;
          if (!presentation) throw new DomainError('JOB.NOT_FOUND', 'no such job, or no flow presents its type');
          return { card: await cards.render(await presentation.retry(data.jobId, actor)) };
        },
      }),
    ],
  };
}
