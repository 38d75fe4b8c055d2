/**
 * The durable job behind Confirm: create the repository, push the first commit, then (in parallel)
 * the pipeline and the catalog registration, then (in parallel) the branch policies (they need the
 * pipeline id) and the deployment environments, prod approval check and variable groups the
 * pipeline deploys through.
 * Every step is an `ensure`, so a resumed or retried job never duplicates a repository, commit,
 * pipeline or policy: a step re-run after a crash (the job store may lose its last seconds) finds
 * and adopts what it made. The steps after the first check that the repository still exists and
 * make it again if it was deleted by hand (owned-repository.ts). The input carries everything the preview showed (settings included), so a
 * job resumed after a deploy builds what the requester confirmed.
 */
import { z } from 'zod';
import type { AuditLog } from '../audit/audit.port';
import type { JobDefinition, RetryPolicy } from '../jobs/jobs.types';
import { pipelineDefinitionName } from '../pipelines/golden-pipeline';
import { DomainError, isDomainError } from '../domain-error';
import { auditedStep } from './audited-step';
import type { CatalogRegistration } from './catalog-registration';
import { deploymentSetup } from './deployment-setup';
import { liveOwnedRepository, type OwnedRepository } from './owned-repository';
import { GENERATOR_NAMING_RULES } from './repo-naming';
import { PIPELINE_YAML_PATH } from './repo-preview';
import { repoRequestSchema, STACK_LABELS, type RepoRequest } from './repo-request';
import { skeletonFiles } from './repo-skeleton';
import type { RepositoryProvisioning } from './repository-provisioning.port';

export const CREATE_REPO_JOB = 'repo.create';

export const CREATE_REPO_STEPS = {
  'create-repository': 'Create the repository',
  'initial-commit': 'Push the first commit (skeleton, README, catalog-info.yaml, pipeline, CODEOWNERS)',
  pipeline: 'Create the pipeline',
  catalog: 'Register the service in the catalog',
  'branch-policies': 'Protect the default branch (reviewers, build, comments, work items)',
  'deployment-environments': 'Create the deployment environments (prod behind an approval) and variable groups',
  finalize: 'Finish',
} as const;

const ownerSchema = z.object({
  team: z.string(),
  displayName: z.string(),
  email: z.string().optional(),
  teamsChannelUrl: z.string().optional(),
  onCallRotation: z.string().optional(),
  /** The team's directory (Entra) group id, when known: the prod approval names it as approver. */
  directoryGroupId: z.string().optional(),
});

const createRepoJobInput = z.object({
  requestId: z.string(),
  target: z.string(),
  request: repoRequestSchema(GENERATOR_NAMING_RULES),
  requestedBy: z.object({ id: z.string(), name: z.string(), email: z.string().optional() }),
  owner: ownerSchema,
  settings: z.object({
    orgUrl: z.string(),
    defaultBranch: z.string(),
    minimumReviewers: z.number().int().min(0),
    registry: z.object({ serviceConnection: z.string(), name: z.string() }),
    variableGroupPrefix: z.string().optional(),
  }),
});
export type CreateRepoJobInput = z.output<typeof createRepoJobInput>;

export const repoTarget = (project: string, name: string): string => `repo:${project}/${name}`;

export interface CreateRepoJobDeps {
  provisioning: RepositoryProvisioning;
  registration: CatalogRegistration;
  audit: AuditLog;
  retry?: Partial<RetryPolicy>;
}

type RepoOutput = OwnedRepository;

export function createRepoJob({ provisioning, registration, audit, retry }: CreateRepoJobDeps): JobDefinition<CreateRepoJobInput> {
  const step = auditedStep<CreateRepoJobInput>;
  const repoOf = (outputs: Readonly<Record<string, Record<string, unknown>>>) => outputs['create-repository'] as unknown as RepoOutput;
  const filesOf = (input: CreateRepoJobInput, repo: RepoOutput) => skeletonFiles({ request: input.request, owner: input.owner, settings: input.settings, repoUrl: repo.webUrl });
  const where = (r: RepoRequest) => `${r.project}/${r.name}`;
  const initialMessage = (input: CreateRepoJobInput) => `Initial commit: ${STACK_LABELS[input.request.stack]} golden path, from the developer portal`;
  /** The job's repository as it is now: the stored one, or made again if it was deleted since. */
  const live = (input: CreateRepoJobInput, outputs: Readonly<Record<string, Record<string, unknown>>>) =>
    liveOwnedRepository(provisioning, repoOf(outputs), {
      project: input.request.project,
      name: input.request.name,
      branch: input.settings.defaultBranch,
      firstCommit: (repo) => ({ files: filesOf(input, repo), message: initialMessage(input) }),
    });
  /** For calls that report a missing repository themselves: no extra read unless it is gone. */
  const onLive = async <T>(input: CreateRepoJobInput, outputs: Readonly<Record<string, Record<string, unknown>>>, use: (repo: RepoOutput) => Promise<T>): Promise<T> => {
    try {
      return await use(repoOf(outputs));
    } catch (e) {
      if (!isDomainError(e) || e.code !== 'REPOS.REPOSITORY_NOT_FOUND') throw e;
      return use(await live(input, outputs));
    }
  };

  /**
   * The pipeline the build policy names: the one the pipeline step made, unless that one builds a
   * repository deleted since (then it is ensured for the live one; its old definition, with the
   * same name, blocks that until someone deletes it, which the error says).
   */
  const pipelineFor = async (input: CreateRepoJobInput, outputs: Readonly<Record<string, Record<string, unknown>>>, repositoryId: string): Promise<number> => {
    const builds = String(outputs.pipeline?.repositoryId ?? repoOf(outputs).repositoryId);
    if (builds === repositoryId) return Number(outputs.pipeline?.pipelineId);
    const { project, name } = input.request;
    try {
      return (await provisioning.ensurePipeline(project, { name: pipelineDefinitionName(name), repositoryId, yamlPath: PIPELINE_YAML_PATH })).id;
    } catch (e) {
      if (!isDomainError(e) || e.code !== 'PIPELINES.NAME_CONFLICT') throw e;
      throw new DomainError(
        'REPOS.PIPELINE_OF_DELETED_REPOSITORY',
        `pipeline ${String(outputs.pipeline?.pipelineId)} of ${where(input.request)} builds the deleted repository`,
        { project, name, pipeline: pipelineDefinitionName(name), pipelineId: Number(outputs.pipeline?.pipelineId) },
      );
    }
  };

  return {
    type: CREATE_REPO_JOB,
    input: createRepoJobInput,
    ...(retry ? { retry } : {}),
    steps: [
      step(audit, CREATE_REPO_JOB, {
        name: 'create-repository',
        run: async ({ input }) => {
          const { project, name } = input.request;
          const { repository, created } = await provisioning.ensureRepository(project, name);
          const output = { repositoryId: repository.id, webUrl: repository.webUrl, remoteUrl: repository.remoteUrl };
          // Found, not made, and not empty: someone else's repository appeared since the preview,
          // unless it holds exactly our first commit (a crash lost the record of this step).
          if (!created && repository.isEmpty === false) {
            const ours = await provisioning.compareBranch(project, repository.id, input.settings.defaultBranch, filesOf(input, output));
            if (!ours || ours.differingPaths.length) {
              throw new DomainError('REPOS.REPOSITORY_EXISTS', `${where(input.request)} exists with content this job did not push`, { project, name });
            }
          }
          return { ...output, created };
        },
      }),
      step(audit, CREATE_REPO_JOB, {
        name: 'initial-commit',
        run: async ({ input, outputs }) => {
          const { repo, files, commit } = await onLive(input, outputs, async (repo) => {
            const files = filesOf(input, repo);
            return { repo, files, commit: await provisioning.ensureInitialCommit(input.request.project, repo.repositoryId, input.settings.defaultBranch, files, initialMessage(input)) };
          });
          if (!commit.created && commit.differingPaths.length) {
            throw new DomainError(
              'REPOS.UNEXPECTED_CONTENT',
              `${input.settings.defaultBranch} of ${where(input.request)} differs from the preview in ${commit.differingPaths.length} files`,
              { project: input.request.project, name: input.request.name, branch: input.settings.defaultBranch, differing: commit.differingPaths.length, paths: commit.differingPaths.slice(0, 10) },
            );
          }
          return { commitId: commit.commitId, files: files.length, created: commit.created, repositoryId: repo.repositoryId };
        },
      }),
      step(audit, CREATE_REPO_JOB, {
        name: 'pipeline',
        parallelGroup: 'after-commit',
        run: async ({ input, outputs }) => {
          const { repo, pipeline } = await onLive(input, outputs, async (repo) => ({
            repo,
            pipeline: await provisioning.ensurePipeline(input.request.project, { name: pipelineDefinitionName(input.request.name), repositoryId: repo.repositoryId, yamlPath: PIPELINE_YAML_PATH }),
          }));
          return { pipelineId: pipeline.id, url: pipeline.url, created: pipeline.created, repositoryId: repo.repositoryId };
        },
      }),
      step(audit, CREATE_REPO_JOB, {
        name: 'catalog',
        parallelGroup: 'after-commit',
        run: async ({ input, outputs }) => {
          const repo = await live(input, outputs);
          const descriptor = filesOf(input, repo).find((f) => f.path === '/catalog-info.yaml')!;
          const { project, name } = input.request;
          const result = await registration.register({ project, name, id: repo.repositoryId, webUrl: repo.webUrl, remoteUrl: repo.remoteUrl }, descriptor.content);
          return { ref: `component:default/${name}`.toLowerCase(), location: result.location, created: result.created, updated: result.updated, problems: result.problems.map((p) => p.reason) };
        },
      }),
      step(audit, CREATE_REPO_JOB, {
        name: 'branch-policies',
        parallelGroup: 'after-pipeline',
        run: async ({ input, outputs }) => {
          const repo = await live(input, outputs);
          const pipelineId = await pipelineFor(input, outputs, repo.repositoryId);
          const result = await provisioning.ensureBranchPolicies(input.request.project, repo.repositoryId, input.settings.defaultBranch, {
            minimumReviewers: input.settings.minimumReviewers,
            creatorVoteCounts: false,
            buildDefinitionId: pipelineId,
            commentResolution: true,
            workItemLinking: true,
          });
          return { created: result.created, existing: result.existing, repositoryId: repo.repositoryId, pipelineId };
        },
      }),
      // What the pipeline deploys through. Independent of the policies (other objects), so in parallel with them.
      step(audit, CREATE_REPO_JOB, {
        name: 'deployment-environments',
        parallelGroup: 'after-pipeline',
        run: async ({ input }) => {
          const { project, name, environments } = input.request;
          const setup = deploymentSetup(name, environments, input.settings.variableGroupPrefix);
          const envs = await provisioning.ensureEnvironments(project, setup.environments.map((e) => e.name));
          const prod = setup.approvalEnvironment ? envs.find((e) => e.name.toLowerCase() === setup.approvalEnvironment!.toLowerCase()) : undefined;
          const groupId = input.owner.directoryGroupId;
          const check = prod
            ? await provisioning.ensureApprovalCheck(project, prod.id, {
                ...(groupId ? { approverGroupOrUserIds: [groupId] } : {}),
                approverNames: [input.owner.team],
                minRequiredApprovers: 1,
                requesterCannotBeApprover: true,
              })
            : undefined;
          const groups = await provisioning.ensureVariableGroups(project, setup.variableGroups);
          return {
            environments: envs.map((e) => ({ name: e.name, id: e.id, created: e.created })),
            approvalCheck: prod && check ? { environment: prod.name, id: check.id, created: check.created, approvers: groupId ? [groupId] : [], approverNames: [input.owner.team] } : null,
            variableGroups: groups.map((g) => ({ name: g.name, id: g.id, created: g.created })),
          };
        },
      }),
      step(audit, CREATE_REPO_JOB, {
        name: 'finalize',
        run: async ({ outputs }) => ({
          repositoryUrl: repoOf(outputs).webUrl,
          pipelineUrl: String(outputs.pipeline?.url ?? ''),
          catalogRef: String(outputs.catalog?.ref ?? ''),
        }),
      }),
    ],
  };
}
