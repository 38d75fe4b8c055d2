/**
 * PipelineVariables on Azure DevOps variable groups through azure-devops-node-api's TaskAgentApi
 * (getVariableGroups / addVariableGroup / updateVariableGroup) and ServiceEndpointApi (service
 * connections by name). The service has no per-variable write: an update replaces the whole group
 * (a variable left out is deleted), so every update sends the group as it was read plus the one
 * change, secret variables with a null value, which the service reads as "keep the value".
 * Creates go through `ensure` (found again before a second create); updates are a full replace, so
 * they are safe to retry. Two concurrent updates of one group: the last one wins (the service has
 * no ETag here), so one job step at a time per group.
 * A secret value is revealed only into the request body of the call that writes it.
 */
import type { VariableGroup, VariableGroupParameters, VariableValue } from 'azure-devops-node-api/interfaces/TaskAgentInterfaces';
import { DomainError } from '../../domain/domain-error';
import { assertLinkableSecretName, assertVariableName } from '../../domain/secrets/pipeline-variable-names';
import type { KeyVaultLink, LinkKeyVaultResult, PipelineVariables, SetVariableResult, VariableGroupInfo } from '../../domain/secrets/pipeline-variables.port';
import { SecretValue } from '../../domain/secrets/secret-value';
import { AzureDevOpsConnection, type AzureDevOpsOptions } from './azure-devops-connection';
import { ensure } from './ensure';
import { projectNotFound } from './git-writes';

const READ = 'Variable Groups (Read)';
const MANAGE = 'Variable Groups (Read, create, & manage)';
const ENDPOINTS_READ = 'Service Connections (Read & query)';
const KEY_VAULT = 'AzureKeyVault';

const same = (a: string | undefined, b: string) => a?.toLowerCase() === b.toLowerCase();
const keyVaultData = (g: VariableGroup) => g.providerData as { serviceEndpointId?: string; vault?: string } | undefined;

export class AzureDevOpsPipelineVariables implements PipelineVariables {
  private readonly conn: AzureDevOpsConnection;
  private readonly projectIds = new Map<string, string>();

  /** Takes options, or the connection shared with the other Azure DevOps adapters. */
  constructor(options: AzureDevOpsOptions | AzureDevOpsConnection) {
    this.conn = options instanceof AzureDevOpsConnection ? options : new AzureDevOpsConnection(options);
  }

  async list(project: string, group: string): Promise<VariableGroupInfo | null> {
    const found = await this.find(project, group);
    return found ? toInfo(found) : null;
  }

  async setVariable(project: string, group: string, name: string, value: string | SecretValue, options: { description?: string } = {}): Promise<SetVariableResult> {
    assertVariableName(name);
    const secret = value instanceof SecretValue;
    const wire = (): VariableValue => (secret ? { isSecret: true, value: (value as SecretValue).reveal() } : { isSecret: false, value: value as string });
    const { value: found, created } = await this.ensureGroup(project, group, () => ({ type: 'Vsts', variables: { [name]: wire() } }), options.description);
    if (created) return { groupCreated: true, variableCreated: true, changed: true };
    if (found.type === KEY_VAULT) throw linked(group, keyVaultData(found)?.vault);
    const variables = { ...(found.variables ?? {}) };
    const existing = Object.keys(variables).find((k) => same(k, name));
    const before = existing ? variables[existing] : undefined;
    if (before?.isSecret && !secret) throw new DomainError('PIPELINES.VARIABLE_IS_SECRET', `${existing} in the variable group ${found.name} is a secret variable; a plain value would un-hide it. Set it as a secret.`, { group: found.name, name: existing });
    if (before && !before.isSecret && !secret && before.value === value) return { groupCreated: false, variableCreated: false, changed: false };
    if (existing) delete variables[existing];
    variables[existing ?? name] = wire();
    await this.replace(project, found, { type: found.type ?? 'Vsts', variables });
    return { groupCreated: false, variableCreated: !existing, changed: true };
  }

  async linkKeyVault(project: string, group: string, link: KeyVaultLink, options: { description?: string } = {}): Promise<LinkKeyVaultResult> {
    for (const n of link.secretNames) assertLinkableSecretName(n);
    const endpointId = await this.serviceConnectionId(project, link.serviceConnection);
    const wanted = [...new Map(link.secretNames.map((n) => [n.toLowerCase(), n])).values()];
    const providerData = { serviceEndpointId: endpointId, vault: link.vaultName };
    const secrets = (names: string[]) => Object.fromEntries(names.map((n): [string, VariableValue] => [n, { isSecret: true, enabled: true } as VariableValue]));
    const { value: found, created } = await this.ensureGroup(project, group, () => ({ type: KEY_VAULT, providerData, variables: secrets(wanted) }), options.description);
    if (created) return { groupCreated: true, added: wanted };
    const variables = found.variables ?? {};
    if (found.type === KEY_VAULT) {
      const data = keyVaultData(found);
      if (!same(data?.vault, link.vaultName) || !same(data?.serviceEndpointId, endpointId))
        throw new DomainError('PIPELINES.VARIABLE_GROUP_OTHER_VAULT', `The variable group ${found.name} is linked to the vault ${data?.vault ?? '(unknown)'} through another service connection, not to ${link.vaultName}.`, { group: found.name, vault: data?.vault ?? '' });
    } else if (Object.keys(variables).length > 0) {
      throw new DomainError('PIPELINES.VARIABLE_GROUP_NOT_LINKABLE', `The variable group ${found.name} holds its own variables (${Object.keys(variables).sort().join(', ')}); linking it to Key Vault would delete them.`, { group: found.name, variables: Object.keys(variables).sort() });
    }
    const added = wanted.filter((n) => found.type !== KEY_VAULT || !Object.keys(variables).some((k) => same(k, n)));
    if (added.length === 0) return { groupCreated: false, added };
    const kept = found.type === KEY_VAULT ? Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, { isSecret: true, enabled: (v as { enabled?: boolean }).enabled ?? true } as VariableValue])) : {};
    await this.replace(project, found, { type: KEY_VAULT, providerData, variables: { ...kept, ...secrets(added) } });
    return { groupCreated: false, added };
  }

  /** The group by name (case-insensitive); null when there is none. */
  private async find(project: string, group: string): Promise<VariableGroup | null> {
    const found = await this.conn.call({ operation: `find variable group "${group}"`, permission: READ, project }, async () => (await this.conn.taskAgent()).getVariableGroups(project, group));
    if (!found) throw projectNotFound(project);
    return found.find((g) => same(g.name, group)) ?? null;
  }

  private async ensureGroup(project: string, group: string, body: () => Omit<VariableGroupParameters, 'name' | 'description' | 'variableGroupProjectReferences'>, description?: string): Promise<{ value: VariableGroup; created: boolean }> {
    return ensure(this.conn.policy, { operation: `create variable group "${group}"`, permission: MANAGE, project }, {
      find: async () => (await this.find(project, group)) ?? undefined,
      create: async () => {
        const projectId = await this.projectId(project);
        const text = description ?? `Settings of the pipeline, set by the developer portal.`;
        const created = await (await this.conn.taskAgent()).addVariableGroup({ ...body(), name: group, description: text, variableGroupProjectReferences: [{ name: group, description: text, projectReference: { id: projectId, name: project } }] });
        if (!created) throw projectNotFound(project);
        return created;
      },
      conflict: () => new DomainError('PIPELINES.NAME_CONFLICT', `A variable group named "${group}" exists in project "${project}" but could not be read back.`, { project, name: group }),
    });
  }

  /** The whole group as read, with `change` applied: a full replace, safe to repeat. */
  private async replace(project: string, group: VariableGroup, change: Pick<VariableGroupParameters, 'type' | 'variables' | 'providerData'>): Promise<void> {
    const refs = group.variableGroupProjectReferences?.length ? group.variableGroupProjectReferences : [{ name: group.name, description: group.description, projectReference: { id: await this.projectId(project), name: project } }];
    const body: VariableGroupParameters = { name: group.name, description: group.description, variableGroupProjectReferences: refs, ...change };
    if (change.type !== KEY_VAULT) delete body.providerData;
    await this.conn.call({ operation: `update variable group "${group.name}"`, permission: MANAGE, project }, async () => {
      const updated = await (await this.conn.taskAgent()).updateVariableGroup(body, group.id!);
      if (!updated) throw new DomainError('PIPELINES.VARIABLE_GROUP_GONE', `The variable group ${group.name} was deleted meanwhile.`, { group: group.name });
    });
  }

  private async serviceConnectionId(project: string, name: string): Promise<string> {
    const found = await this.conn.call({ operation: `find service connection "${name}"`, permission: ENDPOINTS_READ, project }, async () => (await this.conn.serviceEndpoint()).getServiceEndpointsByNames(project, [name]));
    if (!found) throw projectNotFound(project);
    const endpoint = found.find((e) => same(e.name, name));
    if (!endpoint?.id) throw new DomainError('PIPELINES.SERVICE_CONNECTION_NOT_FOUND', `Project "${project}" has no service connection named "${name}" (an Azure Resource Manager connection allowed to read the vault).`, { project, serviceConnection: name });
    return endpoint.id;
  }

  private async projectId(project: string): Promise<string> {
    const cached = this.projectIds.get(project.toLowerCase());
    if (cached) return cached;
    const id = await this.conn.call({ operation: 'read the project', permission: 'Project and Team (Read)', project }, async () => (await (await this.conn.core()).getProject(project))?.id);
    if (!id) throw projectNotFound(project);
    this.projectIds.set(project.toLowerCase(), id);
    return id;
  }
}

function linked(group: string, vault: string | undefined): DomainError {
  return new DomainError('PIPELINES.VARIABLE_GROUP_LINKED', `The variable group ${group} is linked to the Key Vault ${vault ?? ''}: its variables are the vault's secrets, so a value cannot be set in it. Store it as a secret in the vault instead.`, { group, vault: vault ?? '' });
}

function toInfo(g: VariableGroup): VariableGroupInfo {
  const linkedGroup = g.type === KEY_VAULT;
  const data = keyVaultData(g);
  const variables = Object.entries(g.variables ?? {})
    .map(([name, v]) => (linkedGroup || v.isSecret ? { name, isSecret: true } : { name, isSecret: false, value: v.value ?? '' }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return {
    id: g.id!,
    name: g.name!,
    kind: linkedGroup ? 'key-vault' : 'plain',
    ...(linkedGroup ? { keyVault: { serviceConnectionId: data?.serviceEndpointId ?? '', vault: data?.vault ?? '' } } : {}),
    variables,
  };
}
