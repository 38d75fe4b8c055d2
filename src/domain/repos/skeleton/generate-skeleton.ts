/**
 * The initial commit of a new repository: a runnable service for the stack with a test, plus
 * README.md (ownership), catalog-info.yaml, azure-pipelines.yml, .gitignore, .dockerignore and
 * CODEOWNERS. Pure: request + context in, files out.
 *
 * The request is validated again here (not only in the dialog) so no caller can hand the
 * generators a name or team that would not survive being written into YAML, XML, TOML or code.
 * The naming convention itself is the service's job; this checks the fixed limits.
 */
import { generatePipeline, pipelineNames } from '../../pipelines/golden-pipeline';
import type { Stack } from '../../pipelines/pipelines.types';
import { DomainError } from '../../domain-error';
import { GENERATOR_NAMING_RULES } from '../repo-naming';
import { parseRepoRequest, type RepoRequest } from '../repo-request';
import { catalogInfo } from './catalog-info.template';
import { javaSpringBootSkeleton } from './java-spring-boot.template';
import { nodeSkeleton } from './node.template';
import { pythonSkeleton } from './python.template';
import { readme } from './readme.template';
import { codeowners, dockerignore, gitignore } from './repo-files.template';
import { validateSkeletonContext } from './skeleton-context';
import type { SkeletonContext, SkeletonFile, StackSkeleton, TemplateInput } from './skeleton.types';

const STACK_TEMPLATES: Record<Stack, (input: TemplateInput) => StackSkeleton> = {
  'java-spring-boot': javaSpringBootSkeleton,
  node: nodeSkeleton,
  python: pythonSkeleton,
};

export function generateSkeleton(request: RepoRequest, context: SkeletonContext): SkeletonFile[] {
  const parsed = parseRepoRequest(request, GENERATOR_NAMING_RULES);
  if (!parsed.ok) throw new DomainError('REPOS.INVALID_REQUEST', `cannot generate the skeleton: ${parsed.problems.join('; ')}`, { problems: parsed.problems });
  const valid = parsed.request;
  const input: TemplateInput = {
    request: valid,
    context: validateSkeletonContext(context, valid),
    names: { service: valid.name, artifact: valid.name.toLowerCase(), title: valid.name },
  };

  const pipelineOptions = {
    serviceName: valid.name,
    stack: valid.stack,
    environments: valid.environments,
    registry: input.context.pipeline.registry,
    variableGroupPrefix: input.context.pipeline.variableGroupPrefix,
    defaultBranch: input.context.pipeline.defaultBranch,
  };
  const stack = STACK_TEMPLATES[valid.stack](input);
  const files: SkeletonFile[] = [
    ...stack.files,
    readme(input, stack, pipelineNames(pipelineOptions)),
    catalogInfo(input, stack.tags),
    { path: 'azure-pipelines.yml', content: generatePipeline(pipelineOptions) },
    gitignore(stack),
    dockerignore(stack),
    codeowners(input),
  ];
  return files.sort((a, b) => a.path.localeCompare(b.path));
}
