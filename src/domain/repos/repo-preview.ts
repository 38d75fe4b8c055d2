/**
 * The dry run of "create repo": exactly what Confirm will create, computed by the same generators
 * the job uses (file list, pipeline stages, policies, environments and variable groups), so the
 * preview cannot promise something else.
 */
import { pipelineDefinitionName, pipelineNames } from '../pipelines/golden-pipeline';
import { deploymentSetup } from './deployment-setup';
import { BRANCH_POLICY_LABELS } from './repository-provisioning.port';
import { STACK_LABELS, type RepoRequest } from './repo-request';
import { repositoryWebUrl, type RepoSettings } from './repo-settings';
import { skeletonFiles } from './repo-skeleton';
import type { SkeletonOwner } from './skeleton/skeleton.types';

export interface RepoPreview {
  repository: { project: string; name: string; url: string };
  stack: string;
  description: string;
  environments: string[];
  owner: { ref: string; name: string; displayName: string };
  defaultBranch: string;
  /** One line per policy, as Azure DevOps names it plus the setting. */
  branchPolicies: string[];
  /** Paths of the first commit, sorted. */
  files: string[];
  pipeline: { name: string; yamlPath: string; stages: string[] };
  catalog: { ref: string; location: string };
  /** What the pipeline deploys through (absent in previews stored before it was created too). */
  deployment?: {
    /** Azure DevOps environments, in release order. */
    environments: string[];
    /** The environment behind an approval, and who approves. */
    approval?: { environment: string; approvers: string };
    variableGroups: string[];
  };
}

export const PIPELINE_YAML_PATH = '/azure-pipelines.yml';

export function buildPreview(request: RepoRequest, owner: SkeletonOwner, settings: RepoSettings): RepoPreview {
  const url = repositoryWebUrl(settings.orgUrl, request.project, request.name);
  const files = skeletonFiles({ request, owner, settings, repoUrl: url }).map((f) => f.path);
  const names = pipelineNames({ serviceName: request.name, environments: request.environments, variableGroupPrefix: settings.variableGroupPrefix });
  const pipelineName = pipelineDefinitionName(request.name);
  const deployment = deploymentSetup(request.name, request.environments, settings.variableGroupPrefix);
  const reviewers = settings.minimumReviewers;
  return {
    repository: { project: request.project, name: request.name, url },
    stack: STACK_LABELS[request.stack],
    description: request.description,
    environments: [...request.environments],
    owner: { ref: `group:default/${request.ownerTeam}`.toLowerCase(), name: request.ownerTeam, displayName: owner.displayName },
    defaultBranch: settings.defaultBranch,
    branchPolicies: [
      `${BRANCH_POLICY_LABELS['minimum-reviewers']}: ${reviewers} approval${reviewers === 1 ? '' : 's'}; the author's own vote does not count`,
      `${BRANCH_POLICY_LABELS['build-validation']}: pipeline "${pipelineName}" must pass`,
      `${BRANCH_POLICY_LABELS['comment-resolution']}: every comment resolved`,
      `${BRANCH_POLICY_LABELS['work-item-linking']}: a linked work item`,
    ],
    files: files.map((p) => p.replace(/^\//, '')),
    pipeline: { name: pipelineName, yamlPath: PIPELINE_YAML_PATH, stages: ['Build', 'Scan', 'Containerise', ...names.environments.map((e) => e.stage)] },
    catalog: { ref: `component:default/${request.name}`.toLowerCase(), location: `azure-devops:${request.project}/${request.name}` },
    deployment: {
      environments: deployment.environments.map((e) => e.name),
      ...(deployment.approvalEnvironment ? { approval: { environment: deployment.approvalEnvironment, approvers: request.ownerTeam } } : {}),
      variableGroups: deployment.variableGroups.map((g) => g.name),
    },
  };
}
