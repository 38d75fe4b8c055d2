/**
 * "create repo" domain objects -> card data: the preview of a pending request (per viewer) and how
 * its job looks on the progress card. The dialog, the card actions and the job notifier all use
 * these, so every path shows the same card for the same state.
 */
import type { RepoPreviewView } from '../../cards/repo-preview.card';
import type { JobPresentation } from '../../src/bot/job-presentation';
import { CREATE_REPO_JOB, CREATE_REPO_STEPS, type CreateRepoJobInput } from '../../src/domain/repos/create-repo.job';
import type { PendingRepoRequest } from '../../src/domain/repos/repo-request-store.port';
import { STACK_LABELS } from '../../src/domain/repos/repo-request';
import { escapeMarkdown } from '../../cards/teams-markdown';
import { linksFrom, tookSeconds } from '../common/job-progress.views';
import { previewState, type PreviewViewer } from '../common/preview-card-actions';


export function previewView(pending: PendingRepoRequest, viewer: PreviewViewer): RepoPreviewView {
  const { preview, request } = pending;
  const where = `${preview.repository.project}/${preview.repository.name}`;
  const requester = request.requestedBy.name;
  const open = pending.status === 'pending';
  return {
    requestId: pending.id,
    heading: open ? `Create ${where}?` : where,
    subheading: `Preview for ${requester}: nothing is created until ${requester} confirms.`,
    description: escapeMarkdown(preview.description),
    facts: [
      { title: 'Repository', value: `[${where}](${preview.repository.url})` },
      { title: 'Stack', value: preview.stack },
      { title: 'Owner', value: `${preview.owner.displayName} (${preview.owner.name})` },
      { title: 'Deploy to', value: preview.environments.join(' -> ') },
      { title: 'Pipeline', value: `${preview.pipeline.name} (${preview.pipeline.yamlPath.replace(/^\//, '')}): ${preview.pipeline.stages.join(' -> ')}` },
      { title: 'Catalog entry', value: `${preview.catalog.ref}, owned by ${preview.owner.ref}` },
      ...(preview.deployment
        ? [
            {
              title: 'Environments',
              value: `${preview.deployment.environments.join(', ')}${preview.deployment.approval ? ` (${preview.deployment.approval.environment} needs an approval by ${preview.deployment.approval.approvers}; the requester cannot approve)` : ''}`,
            },
            { title: 'Variable groups', value: `${preview.deployment.variableGroups.join(', ')} (placeholders; add the settings and secrets)` },
          ]
        : []),
    ],
    defaultBranch: preview.defaultBranch,
    policies: preview.branchPolicies,
    files: preview.files,
    ...previewState(pending, requester, viewer, { nothing: 'Nothing was created.', confirmed: 'being created' }),
  };
}

/** The create-repo job on its progress card; Retry goes back to the service, which decides who may. */
export function createRepoJobPresentation(retry: JobPresentation['retry']): JobPresentation {
  return {
    type: CREATE_REPO_JOB,
    stepLabels: CREATE_REPO_STEPS,
    facts: (raw) => {
      const input = raw as CreateRepoJobInput;
      const { project, name, stack, ownerTeam } = input.request;
      return {
        where: `${project}/${name}`,
        subheading: `Requested by ${input.requestedBy.name} · ${STACK_LABELS[stack]} · owned by ${ownerTeam}`,
        verb: { running: 'Creating', done: 'Created' },
      };
    },
    links: (outputs) => linksFrom([
      ['Open the repository', outputs['create-repository']?.webUrl],
      ['Open the pipeline', outputs.pipeline?.url],
    ]),
    success: (job, outputs) => {
      const input = job.input as unknown as CreateRepoJobInput;
      const remote = outputs['create-repository']?.remoteUrl;
      return {
        status: `Done${tookSeconds(job)}. It is in the catalog, owned by ${input.request.ownerTeam}.`,
        ...(typeof remote === 'string' && remote ? { detail: `Clone it: git clone ${remote}` } : {}),
        question: { title: 'Catalog card', text: `who owns ${input.request.name}` },
      };
    },
    retry,
  };
}
