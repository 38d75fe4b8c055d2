/**
 * What may enter azure-pipelines.yml. Azure Pipelines expands `${{ }}`, `$[ ]` and `$( )` even in
 * quoted YAML strings, so each value must be an identifier from a small character set: no `$`,
 * braces, quotes, `#`, `:` or line breaks can reach the file.
 */
import { ENVIRONMENTS, STACKS, type PipelineOptions } from './pipelines.types';
import { isGeneratorSafeName } from '../repos/repo-naming';

/** Service connection names may contain spaces ("ACR production"). */
const SERVICE_CONNECTION = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$/;
/** A registry login server: host name, optional port. */
const REGISTRY_HOST = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?$/;
const VARIABLE_GROUP_PREFIX = /^([A-Za-z0-9][A-Za-z0-9._-]{0,39})?$/;
const BRANCH = /^[A-Za-z0-9]([A-Za-z0-9._/-]*[A-Za-z0-9])?$/;
const VM_IMAGE = /^[a-z0-9][a-z0-9.-]{0,49}$/;

export function pipelineInputProblems(options: PipelineOptions): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, problem: string) => {
    if (!ok) problems.push(problem);
  };
  check(typeof options.serviceName === 'string' && isGeneratorSafeName(options.serviceName), 'serviceName must be a valid repository name (letters, digits, single - _ or . between them)');
  check(STACKS.includes(options.stack), `stack must be one of ${STACKS.join(', ')}`);
  check(Array.isArray(options.environments) && options.environments.every((e) => ENVIRONMENTS.includes(e)), `environments must be among ${ENVIRONMENTS.join(', ')}`);
  check(SERVICE_CONNECTION.test(options.registry?.serviceConnection ?? ''), 'registry.serviceConnection must be a service connection name (letters, digits, space . _ -)');
  check(REGISTRY_HOST.test(options.registry?.name ?? ''), 'registry.name must be a registry host such as contoso.azurecr.io');
  if (options.variableGroupPrefix !== undefined) check(VARIABLE_GROUP_PREFIX.test(options.variableGroupPrefix), 'variableGroupPrefix may contain letters, digits, . _ - only, starting with a letter or digit');
  if (options.defaultBranch !== undefined) check(BRANCH.test(options.defaultBranch) && !options.defaultBranch.includes('..'), 'defaultBranch must be a branch name');
  if (options.vmImage !== undefined) check(VM_IMAGE.test(options.vmImage), 'vmImage must be a hosted image name such as ubuntu-latest');
  return problems;
}
