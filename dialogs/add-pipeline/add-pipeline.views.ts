/** How the add-pipeline job looks on its progress card. */
import type { JobPresentation } from '../../src/bot/job-presentation';
import { ADD_PIPELINE_JOB, ADD_PIPELINE_STEPS, type AddPipelineJobInput } from '../../src/domain/repos/add-pipeline.job';
import { STACK_LABELS } from '../../src/domain/repos/repo-request';
import { linksFrom, tookSeconds } from '../shared/job-progress.views';

export function addPipelineJobPresentation(retry: JobPresentation['retry']): JobPresentation {
  return {
    type: ADD_PIPELINE_JOB,
    stepLabels: ADD_PIPELINE_STEPS,
    facts: (raw) => {
      const input = raw as AddPipelineJobInput;
      return {
        where: `${input.project}/${input.repository.name}`,
        subheading: `Requested by ${input.requestedBy.name} · ${STACK_LABELS[input.stack]} · ${input.environments.join(' -> ')}`,
        verb: { running: 'Adding the golden-path pipeline to', done: 'Pipeline ready for' },
      };
    },
    links: (outputs) => linksFrom([
      ['Review the pull request', outputs['pull-request']?.url],
      ['Open the pipeline', outputs.pipeline?.url],
    ]),
    success: (job, outputs) => {
      const changed = (outputs.files?.changedPaths as string[] | undefined) ?? [];
      return {
        status: `Done${tookSeconds(job)}. Review and merge the pull request to start using it.`,
        detail: changed.length ? `The pull request adds ${changed.map((p) => p.replace(/^\//, '')).join(' and ')}.` : 'The branch already held these files.',
      };
    },
    retry,
  };
}
