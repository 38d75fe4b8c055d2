/**
 * What the golden-path pipeline needs to exist before its first run: one Azure DevOps environment
 * per deployment target (prod behind an approval by the owner team) and one variable group per
 * target, named as the generated azure-pipelines.yml refers to them (pipelineNames). Shared by the
 * preview and the job, so the preview promises exactly what the job creates.
 */
import { pipelineNames } from '../pipelines/golden-pipeline';
import type { Environment } from '../pipelines/pipelines.types';
import type { VariableGroupSpec } from './repository-provisioning.port';

export interface DeploymentSetup {
  environments: { environment: Environment; name: string }[];
  /** The environment the approval check goes on (prod), when prod is a target. */
  approvalEnvironment?: string;
  variableGroups: VariableGroupSpec[];
}

export function deploymentSetup(serviceName: string, environments: readonly Environment[], variableGroupPrefix: string | undefined): DeploymentSetup {
  const names = pipelineNames({ serviceName, environments: [...environments], ...(variableGroupPrefix !== undefined ? { variableGroupPrefix } : {}) });
  const prod = names.environments.find((e) => e.environment === 'prod');
  return {
    environments: names.environments.map((e) => ({ environment: e.environment, name: e.azureDevOpsEnvironment })),
    ...(prod ? { approvalEnvironment: prod.azureDevOpsEnvironment } : {}),
    variableGroups: names.environments.map((e) => ({
      name: e.variableGroup,
      description: `Settings of ${serviceName} in ${e.environment}, read by its pipeline's ${e.stage} stage. Placeholders only: secrets are added by the team (or linked from Key Vault).`,
      variables: { ENVIRONMENT: e.environment, SERVICE_NAME: serviceName },
    })),
  };
}
