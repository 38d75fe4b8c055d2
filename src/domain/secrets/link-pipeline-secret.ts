/**
 * A secret variable after its secret is in Key Vault: linked into the Key Vault-linked variable
 * group `vg-<service>-<env>-secrets` (created on first use; the plain `vg-<service>-<env>` cannot
 * be linked, Azure DevOps forbids mixing), then a pull request that makes the environment's stage
 * of azure-pipelines.yml read that group, unless it does already. Idempotent like the mount: the
 * link adds only what is missing, one branch per (service, environment), `ensure*` calls. Only
 * names travel here, never a value.
 */
import { DomainError } from '../domain-error';
import type { RepositoryProvisioning } from '../repos/repository-provisioning.port';
import type { SourceControl } from '../repos/source-control.port';
import type { JsonObject } from '../jobs/jobs.types';
import { addGroupToStage, groupSnippet, PIPELINE_FILE } from './pipeline-group-reference';
import type { PipelineVariables } from './pipeline-variables.port';
import type { SecretPlan } from './secrets.types';

export interface LinkPipelineSecretDeps {
  variables: Pick<PipelineVariables, 'linkKeyVault' | 'list'>;
  sourceControl: Pick<SourceControl, 'getRepository' | 'readFile'>;
  provisioning: Pick<RepositoryProvisioning, 'compareBranch' | 'ensureBranch' | 'ensureFiles' | 'ensurePullRequest'>;
  /** The azurerm service connection pipelines read the vault through (SECRETS_PIPELINE_SERVICE_CONNECTION). */
  serviceConnection: string;
}

/** One branch per service and environment: every secret variable of it lands on the same pull request until merged. */
export const linkBranch = (service: string, env: string): string => `idp/pipelines/secrets-group-${service}-${env}`;

export class PipelineSecretLinking {
  constructor(private readonly deps: LinkPipelineSecretDeps) {}

  /** The job step's output: the group, and the pull request (or what to add by hand). */
  async link(plan: SecretPlan): Promise<JsonObject> {
    const link = plan.link;
    if (!link) return { skipped: 'not a pipeline variable' };
    const linked = await this.linkChecked(plan, link);
    const base = { group: link.group, variable: link.variable, groupCreated: linked.groupCreated, linked: linked.added.length > 0 };
    const repo = plan.service.repository;
    if (!repo) return { ...base, instructions: `the service has no repository in the catalog: make the ${link.stage} stage of its pipeline read the group (${groupSnippet(link.group).trim().replace(/\n\s*/g, ' ')})` };
    return { ...base, ...(await this.pullRequest(plan, repo)) };
  }

  /**
   * Azure DevOps replaces a whole group on update with no ETag: two jobs linking into one group at
   * once can drop each other's secret. So the group is read back, and linked again when ours is gone.
   */
  private async linkChecked(plan: SecretPlan, link: NonNullable<SecretPlan['link']>): Promise<{ groupCreated: boolean; added: string[] }> {
    let groupCreated = false;
    const added: string[] = [];
    for (let attempt = 1; ; attempt++) {
      const result = await this.deps.variables.linkKeyVault(link.project, link.group, { serviceConnection: this.deps.serviceConnection, vaultName: plan.vault.name, secretNames: [plan.vaultName] }, { description: `Key Vault secrets of ${plan.service.name} in ${plan.env}, linked by the developer portal` });
      groupCreated ||= result.groupCreated;
      added.push(...result.added.filter((n) => !added.includes(n)));
      const now = await this.deps.variables.list(link.project, link.group);
      if (now?.variables.some((v) => v.name.toLowerCase() === plan.vaultName.toLowerCase())) return { groupCreated, added };
      if (attempt >= 3) throw new DomainError('PIPELINES.VARIABLE_GROUP_CONTENDED', `${plan.vaultName} kept disappearing from ${link.group}`, { group: link.group });
    }
  }

  private async pullRequest(plan: SecretPlan, where: { project: string; name: string }): Promise<JsonObject> {
    const link = plan.link!;
    const name = `${where.project}/${where.name}`;
    const repo = await this.deps.sourceControl.getRepository(where.project, where.name);
    if (!repo?.defaultBranch) throw new DomainError('SECRETS.REPOSITORY_GONE', `${name} does not exist or has no commits`, { repository: name });
    const edit = addGroupToStage(await this.deps.sourceControl.readFile(where.project, repo.name, PIPELINE_FILE, repo.defaultBranch), link.stage, link.group);
    if (edit.change === 'unchanged') return { pipelineUnchanged: true };
    if (edit.change === 'refused') return { instructions: `I did not edit ${PIPELINE_FILE} in ${name}: ${edit.reason}. Make its ${link.stage} stage read the group: ${groupSnippet(link.group).trim().replace(/\n\s*/g, ' ')}` };

    const { provisioning } = this.deps;
    const branch = linkBranch(plan.service.name, plan.env);
    const head = await provisioning.compareBranch(where.project, repo.id, repo.defaultBranch, []);
    if (!head) throw new DomainError('SECRETS.REPOSITORY_GONE', `${name} has no branch ${repo.defaultBranch}`, { repository: name });
    const made = await provisioning.ensureBranch(where.project, repo.id, branch, head.commitId);
    // A branch from an earlier secret variable already reads the group: no second commit.
    const onBranch = made.created ? null : addGroupToStage(await this.deps.sourceControl.readFile(where.project, repo.name, PIPELINE_FILE, branch), link.stage, link.group);
    if (onBranch?.change !== 'unchanged') await provisioning.ensureFiles(where.project, repo.id, branch, [{ path: `/${PIPELINE_FILE}`, content: edit.text }], `Read the variable group ${link.group} in ${link.stage}`);
    const pr = await provisioning.ensurePullRequest(where.project, repo.id, {
      sourceBranch: branch,
      targetBranch: repo.defaultBranch,
      title: `Read the Key Vault variable group ${link.group} (${plan.env})`,
      description: [
        `The ${link.stage} stage of ${PIPELINE_FILE} now reads the variable group ${link.group}, which is linked to the Key Vault ${plan.vault.name} through the service connection ${this.deps.serviceConnection}.`,
        ``,
        `Its variables are named after the secrets: this one is $(${link.variable}). Azure Pipelines fetches the value at run time and masks it in logs; it is in Key Vault only, never in this repository.${plan.requester.name ? ` Requested by ${plan.requester.name} in Teams.` : ''}`,
      ].join('\n'),
    });
    return { pullRequestUrl: pr.url, pullRequestId: pr.id };
  }
}
