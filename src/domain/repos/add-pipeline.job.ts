/**
 * "add pipeline to <repo>" as a durable job: a branch `idp/add-pipeline` from the default branch,
 * one commit with azure-pipelines.yml (and catalog-info.yaml when the repository has none), then
 * the pull request and the pipeline definition side by side. Nothing lands on the default branch
 * without review: the team merges the pull request.
 * Objects vanished by a Retry: the branch is this job's, so it is made again where it was; the
 * repository is not (it is the team's), so its loss fails with REPOS.REPOSITORY_VANISHED, by name.
 */
import { z } from 'zod';
import type { AuditLog } from '../audit/audit.port';
import type { JobDefinition, JsonObject, RetryPolicy } from '../jobs/jobs.types';
import { DomainError, isDomainError } from '../domain-error';
import { generatePipeline, pipelineDefinitionName } from '../pipelines/golden-pipeline';
import { ENVIRONMENTS, STACKS } from '../pipelines/pipelines.types';
import { auditedStep } from './audited-step';
import { PIPELINE_YAML_PATH } from './repo-preview';
import type { FileToCommit, RepositoryProvisioning } from './repository-provisioning.port';
import { generateSkeleton } from './skeleton/generate-skeleton';
import { organisationOf } from './repo-settings';

export const ADD_PIPELINE_JOB = 'repo.add-pipeline';
export const ADD_PIPELINE_BRANCH = 'idp/add-pipeline';

export const ADD_PIPELINE_STEPS = {
  branch: `Create the branch ${ADD_PIPELINE_BRANCH}`,
  files: 'Commit azure-pipelines.yml (and catalog-info.yaml if missing)',
  'pull-request': 'Open the pull request',
  pipeline: 'Create the pipeline',
  finalize: 'Finish',
} as const;

const addPipelineJobInput = z.object({
  target: z.string(),
  requestedBy: z.object({ id: z.string(), name: z.string(), email: z.string().optional() }),
  project: z.string(),
  repository: z.object({ id: z.string(), name: z.string(), webUrl: z.string(), defaultBranch: z.string() }),
  stack: z.enum(STACKS),
  environments: z.array(z.enum(ENVIRONMENTS)).min(1),
  ownerTeam: z.string(),
  owner: z.object({ team: z.string(), displayName: z.string(), email: z.string().optional(), teamsChannelUrl: z.string().optional(), onCallRotation: z.string().optional() }),
  description: z.string(),
  addDescriptor: z.boolean(),
  settings: z.object({ orgUrl: z.string(), registry: z.object({ serviceConnection: z.string(), name: z.string() }), variableGroupPrefix: z.string().optional() }),
});
export type AddPipelineJobInput = z.output<typeof addPipelineJobInput>;

/** The files of the pull request (pure: the same input gives the same bytes, so a rerun commits nothing). */
export function addPipelineFiles(input: AddPipelineJobInput): FileToCommit[] {
  const { repository, settings } = input;
  const pipeline: FileToCommit = {
    path: PIPELINE_YAML_PATH,
    content: generatePipeline({
      serviceName: repository.name,
      stack: input.stack,
      environments: input.environments,
      registry: settings.registry,
      defaultBranch: repository.defaultBranch,
      ...(settings.variableGroupPrefix !== undefined ? { variableGroupPrefix: settings.variableGroupPrefix } : {}),
    }),
  };
  if (!input.addDescriptor) return [pipeline];
  // The same descriptor a new repository gets; the other skeleton files are not used.
  const skeleton = generateSkeleton(
    { name: repository.name, project: input.project, stack: input.stack, ownerTeam: input.ownerTeam, description: input.description, environments: input.environments, requestedBy: input.requestedBy },
    { owner: input.owner, org: organisationOf(settings.orgUrl), links: { repoUrl: repository.webUrl }, pipeline: { registry: settings.registry, defaultBranch: repository.defaultBranch } },
  );
  const descriptor = skeleton.find((f) => f.path === 'catalog-info.yaml')!;
  return [pipeline, { path: '/catalog-info.yaml', content: descriptor.content }];
}

export interface AddPipelineJobDeps {
  provisioning: RepositoryProvisioning;
  audit: AuditLog;
  retry?: Partial<RetryPolicy>;
}

export function addPipelineJob({ provisioning, audit, retry }: AddPipelineJobDeps): JobDefinition<AddPipelineJobInput> {
  const step = auditedStep<AddPipelineJobInput>;
  /** The repository's id went stale: say which repository, and what to do, instead of failing on the id. */
  const repositoryGone = (input: AddPipelineJobInput) => (e: unknown): never => {
    if (!isDomainError(e) || e.code !== 'REPOS.REPOSITORY_NOT_FOUND') throw e;
    const { project, repository } = input;
    throw new DomainError(
      'REPOS.REPOSITORY_VANISHED',
      `${project}/${repository.name} (${repository.id}) no longer exists`,
      { project, repository: repository.name, repositoryId: repository.id },
    );
  };
  /** Runs `use`; if our branch was deleted since (by hand, between a failure and Retry), makes it again at `fromCommit` and runs it once more. */
  const onBranch = async <T>(input: AddPipelineJobInput, fromCommit: unknown, use: () => Promise<T>): Promise<T> => {
    try {
      return await use();
    } catch (e) {
      if (!isDomainError(e) || e.code !== 'REPOS.BRANCH_NOT_FOUND' || typeof fromCommit !== 'string') throw e;
      await provisioning.ensureBranch(input.project, input.repository.id, ADD_PIPELINE_BRANCH, fromCommit);
      return use();
    }
  };
  const commitOf = (outputs: Readonly<Record<string, JsonObject>>, name: 'branch' | 'files') => outputs[name]?.commitId;

  return {
    type: ADD_PIPELINE_JOB,
    input: addPipelineJobInput,
    ...(retry ? { retry } : {}),
    steps: [
      step(audit, ADD_PIPELINE_JOB, {
        name: 'branch',
        run: async ({ input }) => {
          const { project, repository } = input;
          try {
            // No files: on the existing default branch this only reads its head (the inspection saw it non-empty).
            const head = await provisioning.ensureInitialCommit(project, repository.id, repository.defaultBranch, [], 'unused');
            const branch = await provisioning.ensureBranch(project, repository.id, ADD_PIPELINE_BRANCH, head.commitId);
            return { branch: branch.name, commitId: branch.commitId, created: branch.created };
          } catch (e) {
            return repositoryGone(input)(e);
          }
        },
      }),
      step(audit, ADD_PIPELINE_JOB, {
        name: 'files',
        run: ({ input, outputs }) =>
          onBranch(input, commitOf(outputs, 'branch'), async () => {
            const files = addPipelineFiles(input);
            const result = await provisioning.ensureFiles(input.project, input.repository.id, ADD_PIPELINE_BRANCH, files, 'Add the golden-path pipeline (from the developer portal)');
            return { commitId: result.commitId, changedPaths: result.changedPaths, created: result.created };
          }).catch(repositoryGone(input)),
      }),
      step(audit, ADD_PIPELINE_JOB, {
        name: 'pull-request',
        parallelGroup: 'publish',
        run: ({ input, outputs }) =>
          onBranch(input, commitOf(outputs, 'files'), async () => {
            const pr = await provisioning.ensurePullRequest(input.project, input.repository.id, {
              sourceBranch: ADD_PIPELINE_BRANCH,
              targetBranch: input.repository.defaultBranch,
              title: 'Add the golden-path pipeline',
              description: pullRequestDescription(input),
            });
            return { pullRequestId: pr.id, url: pr.url, created: pr.created };
          }).catch(repositoryGone(input)),
      }),
      step(audit, ADD_PIPELINE_JOB, {
        name: 'pipeline',
        parallelGroup: 'publish',
        run: async ({ input }) => {
          const pipeline = await provisioning.ensurePipeline(input.project, { name: pipelineDefinitionName(input.repository.name), repositoryId: input.repository.id, yamlPath: PIPELINE_YAML_PATH }).catch(repositoryGone(input));
          return { pipelineId: pipeline.id, url: pipeline.url, created: pipeline.created };
        },
      }),
      step(audit, ADD_PIPELINE_JOB, {
        name: 'finalize',
        run: async ({ outputs }) => ({ pullRequestUrl: String(outputs['pull-request']?.url ?? ''), pipelineUrl: String(outputs.pipeline?.url ?? '') }),
      }),
    ],
  };
}

function pullRequestDescription(input: AddPipelineJobInput): string {
  const lines = [
    `Adds the golden-path pipeline (${input.stack}): build and test, dependency and static analysis, container image, then deployment to ${input.environments.join(' -> ')}.`,
    '',
    `- \`azure-pipelines.yml\`: the pipeline; its definition "${pipelineDefinitionName(input.repository.name)}" already exists and runs it.`,
    ...(input.addDescriptor ? ['- `catalog-info.yaml`: registers the service in the catalog, owned by `' + input.ownerTeam + '`.'] : []),
    '',
    'Requested through the developer portal bot. Review it like any other change.',
  ];
  return lines.join('\n');
}
