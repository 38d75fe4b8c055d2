/**
 * Domain objects -> card data for the repository cards: the preview of a pending request (per
 * viewer) and the progress card of a repository job (any state). Shared by the dialogs, the
 * card-action handlers and the job notifier, so every path shows the same card for the same state.
 */
import type { RepoPreviewView } from '../../cards/repo-preview.card';
import type { RepoProgressView, StepState } from '../../cards/repo-progress.card';
import type { Job, JobStep, StepError } from '../../src/domain/jobs/jobs.types';
import { ADD_PIPELINE_JOB, ADD_PIPELINE_STEPS, type AddPipelineJobInput } from '../../src/domain/repos/add-pipeline.job';
import { CREATE_REPO_JOB, CREATE_REPO_STEPS, type CreateRepoJobInput } from '../../src/domain/repos/create-repo.job';
import type { PendingRepoRequest } from '../../src/domain/repos/repo-request-store.port';
import { STACK_LABELS } from '../../src/domain/repos/repo-request';

export const REPO_JOB_TYPES: ReadonlySet<string> = new Set([CREATE_REPO_JOB, ADD_PIPELINE_JOB]);

/** Turns a step's stored error into what a person reads (the bot edge's wording). */
export type DescribeError = (error: StepError, jobId: string) => string;

// ---- preview ------------------------------------------------------------------------------------

export type PreviewViewer = 'requester' | 'others';

export function previewView(pending: PendingRepoRequest, viewer: PreviewViewer): RepoPreviewView {
  const { preview, request } = pending;
  const where = `${preview.repository.project}/${preview.repository.name}`;
  const requester = request.requestedBy.name;
  const status: RepoPreviewView['status'] =
    pending.status === 'cancelled'
      ? { text: `Cancelled by ${requester}. Nothing was created.`, color: 'Warning' }
      : pending.status === 'confirmed'
        ? { text: `Confirmed by ${requester}: being created.`, color: 'Good' }
        : viewer === 'others'
          ? { text: `Only ${requester} can confirm or cancel this.`, color: 'Default' }
          : undefined;
  const open = pending.status === 'pending';
  return {
    requestId: pending.id,
    heading: open ? `Create ${where}?` : where,
    subheading: `Preview for ${requester}: nothing is created until ${requester} confirms.`,
    description: preview.description,
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
    ...(status ? { status } : {}),
    showButtons: open && viewer === 'requester',
    // Keep asking Teams for the requester's view while a decision is possible.
    ...(open && pending.requesterChannelId ? { refreshUserId: pending.requesterChannelId } : {}),
  };
}

// ---- progress -----------------------------------------------------------------------------------

const stateOf = (step: JobStep): StepState => {
  if (step.status === 'succeeded') return 'done';
  if (step.status === 'pending' && step.error) return 'waiting';
  return step.status === 'skipped' ? 'skipped' : step.status === 'failed' ? 'failed' : step.status === 'running' ? 'running' : 'pending';
};

interface JobFacts {
  where: string;
  labels: Record<string, string>;
  subheading: string;
  verb: { running: string; done: string };
}

function factsOf(job: Pick<Job, 'type' | 'input'>): JobFacts {
  if (job.type === CREATE_REPO_JOB) {
    const input = job.input as unknown as CreateRepoJobInput;
    const { project, name, stack, ownerTeam } = input.request;
    return {
      where: `${project}/${name}`,
      labels: CREATE_REPO_STEPS,
      subheading: `Requested by ${input.requestedBy.name} · ${STACK_LABELS[stack]} · owned by ${ownerTeam}`,
      verb: { running: 'Creating', done: 'Created' },
    };
  }
  const input = job.input as unknown as AddPipelineJobInput;
  return {
    where: `${input.project}/${input.repository.name}`,
    labels: ADD_PIPELINE_STEPS,
    subheading: `Requested by ${input.requestedBy.name} · ${STACK_LABELS[input.stack]} · ${input.environments.join(' -> ')}`,
    verb: { running: 'Adding the golden-path pipeline to', done: 'Pipeline ready for' },
  };
}

/** The card before the job exists (all steps pending). */
export function startingView(type: string, input: unknown, stepNames: string[]): RepoProgressView {
  const facts = factsOf({ type, input: input as Job['input'] });
  return {
    jobId: '',
    heading: `${facts.verb.running} ${facts.where}`,
    subheading: facts.subheading,
    steps: stepNames.map((n) => ({ label: facts.labels[n] ?? n, state: 'pending' })),
    links: [],
    canRetry: false,
  };
}

export function progressView(job: Job, describe: DescribeError): RepoProgressView {
  const facts = factsOf(job);
  const steps = job.steps.map((s) => ({ label: facts.labels[s.name] ?? s.name, state: stateOf(s) }));
  const outputs = Object.fromEntries(job.steps.map((s) => [s.name, (s.output ?? {}) as Record<string, unknown>]));
  const links = linksOf(job, outputs);
  const base = { jobId: job.id, subheading: facts.subheading, steps, links, canRetry: false };

  if (job.status === 'succeeded') return { ...base, ...successOf(job, facts, outputs) };
  if (job.status === 'failed') {
    const failed = job.steps.find((s) => s.status === 'failed');
    const done = job.steps.filter((s) => s.status === 'succeeded').map((s) => facts.labels[s.name] ?? s.name);
    const why = failed?.error ? describe(failed.error, job.id) : 'The job stopped.';
    return {
      ...base,
      heading: `Could not finish ${facts.where}`,
      status: { text: `${failed ? (facts.labels[failed.name] ?? failed.name) : 'A step'} failed.`, color: 'Attention' },
      detail: `${why}\n\nDone so far: ${done.length ? done.join('; ') : 'nothing'}. Retry resumes at the failed step and never repeats what is done.`,
      canRetry: true,
    };
  }
  if (job.status === 'cancelled') return { ...base, heading: `Stopped: ${facts.where}`, status: { text: 'Cancelled.', color: 'Warning' } };
  const waiting = job.steps.find((s) => s.status === 'pending' && s.error);
  return {
    ...base,
    heading: `${facts.verb.running} ${facts.where}`,
    ...(waiting?.error ? { status: { text: `${describe(waiting.error, job.id)} Trying again automatically.`, color: 'Warning' } } : {}),
  };
}

function linksOf(job: Job, outputs: Record<string, Record<string, unknown>>): RepoProgressView['links'] {
  const links: RepoProgressView['links'] = [];
  const add = (title: string, url: unknown) => typeof url === 'string' && url && links.push({ title, url });
  if (job.type === CREATE_REPO_JOB) {
    add('Open the repository', outputs['create-repository']?.webUrl);
    add('Open the pipeline', outputs.pipeline?.url);
  } else {
    add('Review the pull request', outputs['pull-request']?.url);
    add('Open the pipeline', outputs.pipeline?.url);
  }
  return links;
}

function successOf(job: Job, facts: JobFacts, outputs: Record<string, Record<string, unknown>>): Pick<RepoProgressView, 'heading' | 'status' | 'detail' | 'question'> {
  const seconds = job.finishedAt ? ` in ${((new Date(job.finishedAt).getTime() - new Date(job.createdAt).getTime()) / 1000).toFixed(1)} s` : '';
  if (job.type === CREATE_REPO_JOB) {
    const input = job.input as unknown as CreateRepoJobInput;
    const remote = outputs['create-repository']?.remoteUrl;
    return {
      heading: `${facts.verb.done} ${facts.where}`,
      status: { text: `Done${seconds}. It is in the catalog, owned by ${input.request.ownerTeam}.`, color: 'Good' },
      ...(typeof remote === 'string' && remote ? { detail: `Clone it: git clone ${remote}` } : {}),
      question: { title: 'Catalog card', text: `who owns ${input.request.name}` },
    };
  }
  const changed = (outputs.files?.changedPaths as string[] | undefined) ?? [];
  return {
    heading: `${facts.verb.done} ${facts.where}`,
    status: { text: `Done${seconds}. Review and merge the pull request to start using it.`, color: 'Good' },
    detail: changed.length ? `The pull request adds ${changed.map((p) => p.replace(/^\//, '')).join(' and ')}.` : 'The branch already held these files.',
  };
}
