/**
 * Names in Azure DevOps variable groups. Azure Pipelines allows letters, digits, `.` and `_` in a
 * user-defined variable (and `-`, which Key Vault secret names, linked as variables, always have);
 * a name beginning with endpoint, input, secret, path or securefile is never given to tasks and
 * scripts, and the system's namespaces (System., Build., Agent., ...) are read-only.
 */
import { DomainError } from '../domain-error';

const NAME = /^[A-Za-z0-9_.-]{1,256}$/;
const HIDDEN_PREFIXES = ['endpoint', 'input', 'secret', 'path', 'securefile'];
const SYSTEM_NAMESPACES = ['system.', 'build.', 'agent.', 'release.', 'pipeline.', 'environment.', 'resources.', 'task.', 'tf_', 'azure_http_user_agent'];

/** Why a name cannot be a variable, in words completing "it ..."; undefined when it can. */
export function variableNameProblem(name: string): string | undefined {
  if (!NAME.test(name)) return 'may hold only letters, digits, ".", "_" and "-" (1-256 of them)';
  const lower = name.toLowerCase();
  const hidden = HIDDEN_PREFIXES.find((p) => lower.startsWith(p));
  if (hidden) return `begins with "${hidden}", and pipelines never give such variables to tasks and scripts`;
  const system = SYSTEM_NAMESPACES.find((p) => lower.startsWith(p));
  if (system) return `is in the system's namespace "${system}", which pipelines set themselves`;
  return undefined;
}

/** DomainError PIPELINES.INVALID_VARIABLE_NAME { name, reason } unless the name can be a variable. */
export function assertVariableName(name: string): void {
  const reason = variableNameProblem(name);
  if (reason) throw new DomainError('PIPELINES.INVALID_VARIABLE_NAME', `"${name.slice(0, 80)}" cannot be a pipeline variable: it ${reason}.`, { name: name.slice(0, 80), reason });
}

/** Key Vault secret names (what a linked group's variables are named): 1-127 letters, digits and dashes. */
export function assertLinkableSecretName(name: string): void {
  if (!/^[A-Za-z0-9-]{1,127}$/.test(name)) throw new DomainError('PIPELINES.INVALID_VARIABLE_NAME', `"${name.slice(0, 80)}" is not a Key Vault secret name (1-127 letters, digits and dashes).`, { name: name.slice(0, 80), reason: 'is not a Key Vault secret name' });
  // Linked, it is a variable of that name: one tasks never see would be linked for nothing.
  assertVariableName(name);
}
