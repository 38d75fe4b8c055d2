/** "add pipeline" domain objects -> card data: the preview of a pending request and how its job shows progress. */
import type { PipelinePreviewView } from '../../cards/pipeline-preview.card';
import type { JobPresentation } from '../../src/bot/job-presentation';
import { pipelineDefinitionName } from '../../src/domain/pipelines/golden-pipeline';
import { ADD_PIPELINE_BRANCH, ADD_PIPELINE_JOB, ADD_PIPELINE_STEPS, addPipelineFiles, type AddPipelineJobInput } from '../../src/domain/repos/add-pipeline.job';
import type { PendingPipelineRequest } from '../../src/domain/repos/pipeline-request-store.port';
import { STACK_LABELS } from '../../src/domain/repos/repo-request';
import { linksFrom, tookSeconds } from '../common/job-progress.views';
import { previewState, type PreviewViewer } from '../common/preview-card-actions';

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

/** The preview of a pending "add pipeline" request, as `viewer` may see it. */
export function previewView(pending: PendingPipelineRequest, viewer: PreviewViewer): PipelinePreviewView {
  const { input } = pending;
  const where = `${input.project}/${input.repository.name}`;
  const requester = input.requestedBy.name;
  const open = pending.status === 'pending';
  return {
    requestId: pending.id,
    heading: open ? `Add the golden-path pipeline to ${where}?` : `Pipeline for ${where}`,
    subheading: `Preview for ${requester}: nothing changes in the repository until ${requester} confirms.`,
    facts: [
      { title: 'Repository', value: `[${where}](${input.repository.webUrl})` },
      { title: 'Stack', value: STACK_LABELS[input.stack] },
      { title: 'Owner', value: `${input.owner.displayName} (${input.ownerTeam})` },
      { title: 'Deploy to', value: input.environments.join(' -> ') },
      { title: 'Pull request', value: `${ADD_PIPELINE_BRANCH} -> ${input.repository.defaultBranch}, for the owners to review and merge` },
      { title: 'Pipeline', value: `${pipelineDefinitionName(input.repository.name)} (azure-pipelines.yml)` },
    ],
    files: addPipelineFiles(input).map((f) => f.path.replace(/^\//, '')),
    ...previewState(pending, requester, viewer, { nothing: 'Nothing was changed.', confirmed: 'being set up' }),
  };
}
