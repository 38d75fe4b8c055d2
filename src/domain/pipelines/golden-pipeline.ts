/**
 * The golden-path azure-pipelines.yml: Build (unit tests, results published) -> Scan (dependency
 * audit + static analysis) -> Containerise (Docker build and push, tagged with the build id) ->
 * one deployment stage per chosen environment, dev -> staging -> prod, each on an Azure DevOps
 * environment `<service>-<env>` with the variable group `<prefix><service>-<env>`.
 *
 * Injection: YAML quoting does not protect Azure Pipelines — `${{ }}`, `$[ ]` and `$( )` are
 * expanded inside quoted strings too. So only validated identifiers (pipeline-inputs.ts) enter
 * the file, never free text, and the yaml library serialises them (double-quoted).
 */
import { DomainError } from '../domain-error';
import { normalizeEnvironments } from './environments';
import { pipelineInputProblems } from './pipeline-inputs';
import type { Environment, PipelineOptions, Stack } from './pipelines.types';
import { javaSpringBootSteps } from './steps/java-spring-boot.steps';
import { nodeSteps } from './steps/node.steps';
import { pythonSteps } from './steps/python.steps';
import { staticAnalysisSteps } from './steps/static-analysis.steps';
import type { StackSteps } from './steps/step.types';
import { commented, quoted, toYaml } from './yaml-builder';

export { detectStack, type StackDetection } from './stack-detection';

const STACK_STEPS: Record<Stack, () => StackSteps> = { 'java-spring-boot': javaSpringBootSteps, node: nodeSteps, python: pythonSteps };

const DEFAULT_VARIABLE_GROUP_PREFIX = 'vg-';

/** The variable group a deployment stage reads: `<prefix><service>-<env>` (default prefix `vg-`). */
export const variableGroupName = (serviceName: string, environment: string, prefix: string = DEFAULT_VARIABLE_GROUP_PREFIX): string => `${prefix}${serviceName}-${environment}`;

/** The pipeline definition is named after the repository (catalog-info.yaml's build-definition says so). */
export const pipelineDefinitionName = (serviceName: string): string => serviceName;

/** The Azure DevOps names the pipeline refers to: the job runner creates what must exist. */
export interface PipelineNames {
  imageRepository: string;
  environments: { environment: Environment; azureDevOpsEnvironment: string; variableGroup: string; stage: string }[];
}

export function pipelineNames(options: Pick<PipelineOptions, 'serviceName' | 'environments' | 'variableGroupPrefix'>): PipelineNames {
  const prefix = options.variableGroupPrefix ?? DEFAULT_VARIABLE_GROUP_PREFIX;
  const envs = normalizeEnvironments(options.environments);
  return {
    // Docker repositories are lower case.
    imageRepository: options.serviceName.toLowerCase(),
    environments: (envs.ok ? envs.environments : []).map((environment) => ({
      environment,
      azureDevOpsEnvironment: `${options.serviceName}-${environment}`,
      variableGroup: variableGroupName(options.serviceName, environment, prefix),
      stage: `Deploy_${environment}`,
    })),
  };
}

export function generatePipeline(options: PipelineOptions): string {
  const problems = pipelineInputProblems(options);
  const envs = normalizeEnvironments(options.environments);
  if (!envs.ok) problems.push(...envs.reasons.map((r) => `environments ${r}`));
  if (problems.length) throw new DomainError('PIPELINES.INVALID_OPTIONS', `cannot generate the pipeline: ${problems.join('; ')}`, { problems });

  const branch = options.defaultBranch ?? 'main';
  const steps = STACK_STEPS[options.stack]();
  const names = pipelineNames(options);
  const onBranch = `eq(variables['Build.SourceBranch'], 'refs/heads/${branch}')`;
  const notPullRequest = `ne(variables['Build.Reason'], 'PullRequest')`;

  const deployStages = names.environments.map((env, i) => {
    const stage = {
      stage: env.stage,
      displayName: `Deploy to ${env.environment}`,
      dependsOn: i === 0 ? 'Containerise' : names.environments[i - 1]!.stage,
      // dev takes any CI run (a manual run of a branch too); staging and prod only the default branch.
      condition: env.environment === 'dev' ? `and(succeeded(), ${notPullRequest})` : `and(succeeded(), ${notPullRequest}, ${onBranch})`,
      variables: [{ group: quoted(env.variableGroup) }],
      jobs: [
        {
          deployment: 'Deploy',
          displayName: `Deploy ${names.imageRepository} to ${env.environment}`,
          environment: quoted(env.azureDevOpsEnvironment),
          strategy: {
            runOnce: {
              deploy: {
                steps: [
                  commented(
                    `Replace with your platform's deploy task (KubernetesManifest@1, AzureWebAppContainer@1...);\nits settings come from the variable group ${env.variableGroup}.`,
                    { script: `echo "Deploying $(containerRegistry)/$(imageRepository):$(Build.BuildId) to ${env.environment}"`, displayName: `Deploy to ${env.environment}` },
                  ),
                ],
              },
            },
          },
        },
      ],
    };
    return env.environment === 'prod'
      ? commented(
          `Production approval: configured on the Azure DevOps environment "${env.azureDevOpsEnvironment}" (Approvals and checks),\nnot in this file. This stage also waits for staging and runs only from ${branch}.`,
          stage,
        )
      : stage;
  });

  const pipeline = {
    trigger: { branches: { include: [quoted(branch)] } },
    pr: commented('Azure Repos ignores `pr:`: pull requests are validated by the build-validation branch policy on the default branch.', {
      branches: { include: [quoted(branch)] },
    }),
    pool: { vmImage: options.vmImage ?? 'ubuntu-latest' },
    variables: [
      { name: 'serviceName', value: quoted(options.serviceName) },
      { name: 'imageRepository', value: quoted(names.imageRepository) },
      { name: 'containerRegistry', value: quoted(options.registry.name) },
    ],
    stages: [
      {
        stage: 'Build',
        displayName: 'Build and test',
        jobs: [
          {
            job: 'Build',
            steps: [
              ...steps.setup,
              ...steps.buildAndTest,
              {
                task: 'PublishTestResults@2',
                displayName: 'Publish test results',
                condition: 'succeededOrFailed()',
                inputs: { testResultsFormat: 'JUnit', testResultsFiles: steps.testResultsFiles, failTaskOnMissingResultsFile: true, testRunTitle: '$(serviceName) unit tests' },
              },
            ],
          },
        ],
      },
      {
        stage: 'Scan',
        displayName: 'Dependency audit and static analysis',
        dependsOn: 'Build',
        jobs: [
          { job: 'DependencyAudit', steps: [...steps.setup, ...steps.dependencyAudit] },
          { job: 'StaticAnalysis', steps: staticAnalysisSteps(options.stack) },
        ],
      },
      {
        stage: 'Containerise',
        displayName: 'Build and push the image',
        dependsOn: 'Scan',
        // Pull requests build and scan; only CI runs publish images.
        condition: `and(succeeded(), ${notPullRequest})`,
        jobs: [
          {
            job: 'Docker',
            steps: [
              {
                task: 'Docker@2',
                displayName: 'Build and push $(imageRepository):$(Build.BuildId)',
                inputs: {
                  command: 'buildAndPush',
                  containerRegistry: quoted(options.registry.serviceConnection),
                  repository: '$(imageRepository)',
                  dockerfile: '$(Build.SourcesDirectory)/Dockerfile',
                  buildContext: '$(Build.SourcesDirectory)',
                  tags: '$(Build.BuildId)',
                },
              },
            ],
          },
        ],
      },
      ...deployStages,
    ],
  } satisfies Record<string, unknown>;

  const stageNames = ['Build', 'Scan', 'Containerise', ...names.environments.map((e) => e.stage)].join(' -> ');
  return toYaml(pipeline, `Golden-path pipeline of ${options.serviceName} (${options.stack}), generated by the developer portal.\nStages: ${stageNames}`);
}
