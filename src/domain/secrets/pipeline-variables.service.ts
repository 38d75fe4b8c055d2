/**
 * `set variable` / `list variables`: the plain variables of a service's variable group
 * `vg-<service>-<env>` (the group the golden pipeline's Deploy_<env> stage reads) in its Azure
 * DevOps project, and the secret ones of `vg-<service>-<env>-secrets` (Key Vault-linked) by name.
 * Who may: the owning team or platform groups, decided now (TeamAccessPolicy). A value that looks
 * like a secret is refused in words, never stored or repeated: secrets go through `create secret`
 * (`set secret variable`), stored in Key Vault and linked. Audited by name, never by value.
 */
import type { Actor, TeamAccessPolicy } from '../access/team-access.policy';
import type { AuditLog } from '../audit/audit.port';
import type { CatalogStore } from '../catalog/catalog-store.port';
import type { CatalogEntity } from '../catalog/catalog.types';
import { DomainError, isDomainError } from '../domain-error';
import { variableGroupName } from '../pipelines/golden-pipeline';
import type { ServiceFinder } from './create-secret.service';
import { secretsGroupName } from './pipeline-link';
import { variableNameProblem } from './pipeline-variable-names';
import type { PipelineVariables, SetVariableResult, VariableGroupInfo } from './pipeline-variables.port';

/** Names that almost always hold a secret: such a value belongs in Key Vault. */
const SECRET_LIKE = /(password|passwd|pwd|secret|token|api[-_.]?key|private[-_.]?key|connection[-_.]?string|credential|client[-_.]?secret)/i;
/** Azure DevOps keeps long values, but a pipeline variable is configuration, not a file. */
export const MAX_VARIABLE_VALUE = 4000;

export interface PipelineVariablesDeps {
  services: ServiceFinder;
  catalog: Pick<CatalogStore, 'get'>;
  policy: Pick<TeamAccessPolicy, 'canActFor'>;
  variables: Pick<PipelineVariables, 'list' | 'setVariable'>;
  audit: AuditLog;
  environments: readonly string[];
  variableGroupPrefix?: string;
}

export interface VariableTarget {
  service: string;
  env?: string;
}

export interface SetVariableRequest {
  service: string;
  env: string;
  name: string;
  value: string;
}

export interface SetVariableOutcome extends SetVariableResult {
  service: string;
  env: string;
  project: string;
  group: string;
  name: string;
}

export interface VariableListing {
  service: string;
  project: string;
  /** One entry per environment asked: its plain group and its Key Vault-linked group (null when absent). */
  environments: { env: string; plain: { name: string; info: VariableGroupInfo | null }; secrets: { name: string; info: VariableGroupInfo | null } }[];
}

export const variableTarget = (project: string, group: string): string => `variable-group:${project}/${group}`;

export class PipelineVariablesService {
  constructor(private readonly deps: PipelineVariablesDeps) {}

  /** DomainError PIPELINES.VARIABLE_REQUEST_INVALID { problems } (all of them, in words), PIPELINES.VARIABLES_NOT_ALLOWED, and the port's errors. */
  async set(request: SetVariableRequest, actor: Actor): Promise<SetVariableOutcome> {
    const problems: string[] = [];
    const name = request.name.trim();
    const nameProblem = name ? variableNameProblem(name) : 'is empty';
    if (nameProblem) problems.push(`name: "${name.slice(0, 80)}" ${nameProblem}`);
    else if (SECRET_LIKE.test(name)) problems.push(`name: ${name} looks like a secret, so its value belongs in Key Vault, not in a plain variable (I did not store it). Type: set secret variable ${name} for ${request.service.trim() || "<service>"} in ${request.env.trim() || "<env>"} (the value is generated or typed in a private dialog)`);
    if (request.value.length > MAX_VARIABLE_VALUE) problems.push(`value: longer than ${MAX_VARIABLE_VALUE} characters`);
    if (/[\r\n]/.test(request.value)) problems.push('value: holds a line break, which a pipeline variable cannot carry safely');
    const { entity, env, project } = await this.resolve({ service: request.service, env: request.env }, problems, true);
    await this.authorize(actor, entity, 'pipeline.variable.set');
    const group = variableGroupName(entity.name, env!, this.deps.variableGroupPrefix);
    const base = { actor: actor.id, actorName: actor.name, action: 'pipeline.variable.set', target: variableTarget(project, group) };
    const details = { service: entity.name, env, group, name };
    try {
      const result = await this.deps.variables.setVariable(project, group, name, request.value, { description: `Variables of ${entity.name} in ${env}, read by its pipeline's Deploy_${env} stage` });
      await this.deps.audit.record({ ...base, result: 'success', details: { ...details, ...result } });
      return { ...result, service: entity.name, env: env!, project, group, name };
    } catch (error) {
      await this.deps.audit.record({ ...base, result: 'failure', details: { ...details, code: isDomainError(error) ? error.code : 'UPSTREAM.FAILED' } }).catch(() => undefined);
      throw error;
    }
  }

  /** Names and plain values of every environment's groups (or one environment's); secret ones by name only. */
  async list(target: VariableTarget, actor: Actor): Promise<VariableListing> {
    const { entity, env, project } = await this.resolve(target, [], false);
    await this.authorize(actor, entity, 'pipeline.variable.list');
    const envs = env ? [env] : [...this.deps.environments];
    const environments = await Promise.all(
      envs.map(async (e) => {
        const plain = variableGroupName(entity.name, e, this.deps.variableGroupPrefix);
        const secrets = secretsGroupName(entity.name, e, this.deps.variableGroupPrefix);
        const [p, s] = await Promise.all([this.deps.variables.list(project, plain), this.deps.variables.list(project, secrets)]);
        return { env: e, plain: { name: plain, info: p }, secrets: { name: secrets, info: s } };
      }),
    );
    await this.deps.audit.record({ actor: actor.id, actorName: actor.name, action: 'pipeline.variable.list', target: `service:${entity.name}`, result: 'success', details: { service: entity.name, project, environments: envs } });
    return { service: entity.name, project, environments };
  }

  /** The service, the environment (required for writes) and the project of its repository; every problem at once. */
  private async resolve(target: VariableTarget, problems: string[], envRequired: boolean): Promise<{ entity: CatalogEntity; env: string | undefined; project: string }> {
    const serviceText = target.service.trim();
    const entity = serviceText ? await this.deps.services.find(serviceText) : null;
    if (!serviceText) problems.push('service: missing (for example: for payments-api)');
    else if (!entity) {
      const close = this.deps.services.suggest(serviceText);
      problems.push(`service: there is no service "${serviceText.slice(0, 80)}" in the catalog${close.length ? ` (did you mean ${close.join(', ')}?)` : ''}`);
    }
    if (entity && !entity.source.repository) problems.push(`service: ${entity.name} has no Azure DevOps repository in the catalog (dev.azure.com/project-repo), so I do not know which project holds its variable groups`);
    const env = target.env?.trim().toLowerCase() || undefined;
    if (!env && envRequired) problems.push(`env: missing (one of ${this.deps.environments.join(', ')})`);
    if (env && !this.deps.environments.includes(env)) problems.push(`env: "${env.slice(0, 40)}" is not an environment (one of ${this.deps.environments.join(', ')})`);
    if (problems.length || !entity || !entity.source.repository) throw new DomainError('PIPELINES.VARIABLE_REQUEST_INVALID', `variable request refused: ${problems.join('; ')}`, { problems });
    return { entity, env, project: entity.source.repository.project };
  }

  private async authorize(actor: Actor, service: CatalogEntity, action: string): Promise<CatalogEntity> {
    const owner = service.owner ? await this.deps.catalog.get(service.owner) : null;
    if (!owner || owner.kind !== 'Group') throw new DomainError('SECRETS.NO_OWNER', `${service.ref} has no owning team`, { service: service.name });
    const decision = await this.deps.policy.canActFor(actor, owner);
    if (decision.allowed) return owner;
    await this.deps.audit.record({ actor: actor.id, actorName: actor.name, action, target: service.ref, result: 'denied', details: { reason: decision.reason } });
    throw new DomainError('PIPELINES.VARIABLES_NOT_ALLOWED', `${actor.id} may not manage the pipeline variables of ${service.ref}`, { reason: decision.reason });
  }
}
