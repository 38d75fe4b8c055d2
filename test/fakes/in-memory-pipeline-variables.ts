/**
 * PipelineVariables in memory, answering as AzureDevOpsPipelineVariables does against the service
 * (the contract suite runs on both). A secret's value is never kept: only its SHA-256, which a test
 * reads with `secretDigest` to check what was written.
 */
import { createHash } from 'node:crypto';
import { DomainError } from '../../src/domain/domain-error';
import { assertLinkableSecretName, assertVariableName } from '../../src/domain/secrets/pipeline-variable-names';
import type { KeyVaultLink, LinkKeyVaultResult, PipelineVariables, SetVariableResult, VariableGroupInfo } from '../../src/domain/secrets/pipeline-variables.port';
import { SecretValue } from '../../src/domain/secrets/secret-value';

interface FakeVariable {
  isSecret: boolean;
  value?: string;
  sha256?: string;
}

interface FakeGroup {
  id: number;
  project: string;
  name: string;
  kind: 'plain' | 'key-vault';
  keyVault?: { serviceConnectionId: string; vault: string };
  variables: Map<string, FakeVariable>;
}

export interface FakeServiceConnection {
  id: string;
  name: string;
  /** Project names it is shared with. */
  projects: string[];
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const same = (a: string | undefined, b: string) => a?.toLowerCase() === b.toLowerCase();

export class InMemoryPipelineVariables implements PipelineVariables {
  readonly groups: FakeGroup[] = [];
  readonly calls: { method: string; project: string; group: string }[] = [];
  private sequence = 0;
  private failures: { error: Error; method?: string }[] = [];

  constructor(
    private readonly projects: string[] = ['Payments', 'Search', 'Platform'],
    private readonly connections: FakeServiceConnection[] = [{ id: '5c0e0000-0000-4000-8000-00000000a2e1', name: 'azure-key-vault', projects: ['Payments', 'Search', 'Platform'] }],
  ) {}

  /** The next call (of `method`, or any) rejects with `error` and changes nothing. */
  failNext(error: Error, options: { method?: keyof PipelineVariables } = {}): void {
    this.failures.push({ error, ...(options.method ? { method: options.method } : {}) });
  }

  /** Test helper: a plain group as create-repo makes it. */
  seedGroup(project: string, name: string, variables: Record<string, string>): void {
    this.groups.push({ id: ++this.sequence, project: this.requireProject(project), name, kind: 'plain', variables: new Map(Object.entries(variables).map(([k, v]) => [k, { isSecret: false, value: v }])) });
  }

  async secretDigest(project: string, group: string, name: string): Promise<string | undefined> {
    const g = this.group(project, group);
    return g ? [...g.variables].find(([k]) => same(k, name))?.[1].sha256 : undefined;
  }

  async list(project: string, group: string): Promise<VariableGroupInfo | null> {
    this.enter('list', project, group);
    const g = this.group(this.requireProject(project), group);
    return g ? info(g) : null;
  }

  async setVariable(project: string, group: string, name: string, value: string | SecretValue): Promise<SetVariableResult> {
    this.enter('setVariable', project, group);
    assertVariableName(name);
    const p = this.requireProject(project);
    const secret = value instanceof SecretValue;
    const variable: FakeVariable = secret ? { isSecret: true, sha256: sha256((value as SecretValue).reveal()) } : { isSecret: false, value: value as string };
    const g = this.group(p, group);
    if (!g) {
      this.groups.push({ id: ++this.sequence, project: p, name: group, kind: 'plain', variables: new Map([[name, variable]]) });
      return { groupCreated: true, variableCreated: true, changed: true };
    }
    if (g.kind === 'key-vault') throw new DomainError('PIPELINES.VARIABLE_GROUP_LINKED', `The variable group ${g.name} is linked to the Key Vault ${g.keyVault!.vault}.`, { group: g.name, vault: g.keyVault!.vault });
    const existing = [...g.variables.keys()].find((k) => same(k, name));
    const before = existing ? g.variables.get(existing) : undefined;
    if (before?.isSecret && !secret) throw new DomainError('PIPELINES.VARIABLE_IS_SECRET', `${existing} in the variable group ${g.name} is a secret variable.`, { group: g.name, name: existing });
    if (before && !before.isSecret && !secret && before.value === value) return { groupCreated: false, variableCreated: false, changed: false };
    g.variables.set(existing ?? name, variable);
    return { groupCreated: false, variableCreated: !existing, changed: true };
  }

  async linkKeyVault(project: string, group: string, link: KeyVaultLink): Promise<LinkKeyVaultResult> {
    this.enter('linkKeyVault', project, group);
    for (const n of link.secretNames) assertLinkableSecretName(n);
    const p = this.requireProject(project);
    const connection = this.connections.find((c) => same(c.name, link.serviceConnection) && c.projects.some((x) => same(x, p)));
    if (!connection) throw new DomainError('PIPELINES.SERVICE_CONNECTION_NOT_FOUND', `Project "${project}" has no service connection named "${link.serviceConnection}".`, { project, serviceConnection: link.serviceConnection });
    const wanted = [...new Map(link.secretNames.map((n) => [n.toLowerCase(), n])).values()];
    const keyVault = { serviceConnectionId: connection.id, vault: link.vaultName };
    const linked = (names: string[]) => names.map((n): [string, FakeVariable] => [n, { isSecret: true }]);
    const g = this.group(p, group);
    if (!g) {
      this.groups.push({ id: ++this.sequence, project: p, name: group, kind: 'key-vault', keyVault, variables: new Map(linked(wanted)) });
      return { groupCreated: true, added: wanted };
    }
    if (g.kind === 'key-vault' && (!same(g.keyVault!.vault, link.vaultName) || g.keyVault!.serviceConnectionId !== connection.id))
      throw new DomainError('PIPELINES.VARIABLE_GROUP_OTHER_VAULT', `The variable group ${g.name} is linked to the vault ${g.keyVault!.vault}.`, { group: g.name, vault: g.keyVault!.vault });
    if (g.kind === 'plain' && g.variables.size > 0) {
      const names = [...g.variables.keys()].sort();
      throw new DomainError('PIPELINES.VARIABLE_GROUP_NOT_LINKABLE', `The variable group ${g.name} holds its own variables (${names.join(', ')}).`, { group: g.name, variables: names });
    }
    const added = wanted.filter((n) => g.kind === 'plain' || ![...g.variables.keys()].some((k) => same(k, n)));
    g.kind = 'key-vault';
    g.keyVault = keyVault;
    for (const [n, v] of linked(added)) g.variables.set(n, v);
    return { groupCreated: false, added };
  }

  private enter(method: string, project: string, group: string): void {
    this.calls.push({ method, project, group });
    const index = this.failures.findIndex((f) => !f.method || f.method === method);
    if (index >= 0) throw this.failures.splice(index, 1)[0]!.error;
  }

  private requireProject(project: string): string {
    const p = this.projects.find((x) => same(x, project));
    if (!p) throw new DomainError('REPOS.PROJECT_NOT_FOUND', `Azure DevOps has no project "${project}".`, { project });
    return p;
  }

  private group(project: string, name: string): FakeGroup | undefined {
    return this.groups.find((g) => same(g.project, project) && same(g.name, name));
  }
}

function info(g: FakeGroup): VariableGroupInfo {
  const variables = [...g.variables]
    .map(([name, v]) => (v.isSecret ? { name, isSecret: true } : { name, isSecret: false, value: v.value ?? '' }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { id: g.id, name: g.name, kind: g.kind, ...(g.keyVault ? { keyVault: { ...g.keyVault } } : {}), variables };
}
