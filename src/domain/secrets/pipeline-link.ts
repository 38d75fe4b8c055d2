/**
 * Where a secret variable is linked for pipelines: the Key Vault-linked group
 * `vg-<service>-<env>-secrets` next to the plain `vg-<service>-<env>` the golden pipeline reads
 * (a group is either plain or linked, never both), in the service's Azure DevOps project, read by
 * the stage `Deploy_<env>`. Its variable is the Key Vault secret's name (linked groups name
 * variables after secrets).
 */
import { variableGroupName } from '../pipelines/golden-pipeline';
import { variableNameProblem } from './pipeline-variable-names';
import type { PipelineLink } from './secrets.types';

export interface PipelineLinkSettings {
  /** The golden pipeline's group prefix (default `vg-`). */
  variableGroupPrefix?: string;
}

export const SECRETS_GROUP_SUFFIX = '-secrets';

export const secretsGroupName = (service: string, env: string, prefix?: string): string => `${variableGroupName(service, env, prefix)}${SECRETS_GROUP_SUFFIX}`;

/** The link, or why there can be none (words completing "pipeline: ..."). */
export function pipelineLinkFor(service: { name: string; repository?: { project: string } }, env: string, vaultName: string, settings: PipelineLinkSettings | undefined): { link: PipelineLink } | { reason: string } {
  if (!settings) return { reason: 'secret pipeline variables need Azure DevOps, which is not configured here' };
  if (!service.repository) return { reason: `${service.name} has no Azure DevOps repository in the catalog (dev.azure.com/project-repo), so I do not know its pipeline's project` };
  const problem = variableNameProblem(vaultName);
  if (problem) return { reason: `pipelines would read it as ${vaultName}, which ${problem}` };
  return { link: { project: service.repository.project, group: secretsGroupName(service.name, env, settings.variableGroupPrefix), stage: `Deploy_${env}`, variable: vaultName } };
}
