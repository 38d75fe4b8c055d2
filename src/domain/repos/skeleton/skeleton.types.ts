/** Inputs and output of the repository skeleton generator (generate-skeleton.ts). */
import type { ContainerRegistry } from '../../pipelines/pipelines.types';
import type { RepoRequest } from '../repo-request';

/** One file of the initial commit; `path` is relative to the repository root, with `/`. */
export interface SkeletonFile {
  path: string;
  content: string;
}

export interface SkeletonOwner {
  /** Catalog Group name: the same as the request's ownerTeam. */
  team: string;
  displayName: string;
  email?: string;
  /** https deep link to the team's Teams channel. */
  teamsChannelUrl?: string;
  /** Name or URL of the on-call rotation. */
  onCallRotation?: string;
  /** Entra group of the team (catalog annotation graph.microsoft.com/group-id): prod approvers. */
  directoryGroupId?: string;
}

export interface SkeletonContext {
  owner: SkeletonOwner;
  /** Azure DevOps organisation: names the Java group id and CODEOWNERS' team handle. */
  org: string;
  links: { repoUrl: string; pipelineUrl?: string; catalogUrl?: string };
  /** Where the golden-path pipeline pushes images and finds its variable groups. */
  pipeline: { registry: ContainerRegistry; variableGroupPrefix?: string; defaultBranch?: string };
}

/** Identifiers derived once from the (validated) request, shared by the templates. */
export interface SkeletonNames {
  /** Repository / service / Backstage component name, as requested. */
  service: string;
  /** Lower case: npm package, Maven artifactId, Docker image. */
  artifact: string;
  /** Human title for README headings: the service name. */
  title: string;
}

/** What a stack contributes: its files plus what the shared files (README, .gitignore) mention. */
export interface StackSkeleton {
  files: SkeletonFile[];
  /** README "Run it locally" commands, in order. */
  commands: { label: string; command: string }[];
  gitignore: string[];
  dockerignore: string[];
  /** Backstage tags (lower-case words). */
  tags: string[];
}

/** What every template receives: all of it validated already (generate-skeleton.ts). */
export interface TemplateInput {
  request: RepoRequest;
  context: SkeletonContext;
  names: SkeletonNames;
}
