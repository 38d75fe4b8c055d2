/** The vocabulary shared by the golden-path pipeline and the repository skeleton. */

export const STACKS = ['java-spring-boot', 'node', 'python'] as const;
export type Stack = (typeof STACKS)[number];

/** Deployment targets, in the only order a release may travel through them. */
export const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export interface ContainerRegistry {
  /** Name of the Azure DevOps Docker Registry service connection (Docker@2 `containerRegistry`). */
  serviceConnection: string;
  /** Login server the images live on, e.g. `contoso.azurecr.io`. */
  name: string;
}

export interface PipelineOptions {
  /** The repository/service name: it names the image, the environments and the variable groups. */
  serviceName: string;
  stack: Stack;
  /** Any order, duplicates allowed: the pipeline deploys them dev -> staging -> prod. */
  environments: readonly Environment[];
  registry: ContainerRegistry;
  /** Variable groups are named `<prefix><service>-<env>`; default `vg-`. */
  variableGroupPrefix?: string;
  /** Branch that triggers CI and is the only one deploying to staging/prod; default `main`. */
  defaultBranch?: string;
  /** Microsoft-hosted image; default `ubuntu-latest`. */
  vmImage?: string;
}
