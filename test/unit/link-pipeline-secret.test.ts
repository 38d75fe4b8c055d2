/** A secret variable linked into vg-<service>-<env>-secrets and read by its stage through one pull request, on the in-memory Azure DevOps. */
import { parseDocument } from 'yaml';
import { generatePipeline } from '../../src/domain/pipelines/golden-pipeline';
import { linkBranch, PipelineSecretLinking } from '../../src/domain/secrets/link-pipeline-secret';
import { pipelineLinkFor } from '../../src/domain/secrets/pipeline-link';
import type { SecretPlan } from '../../src/domain/secrets/secrets.types';
import { DEMO_PROJECTS } from '../../src/sandbox/seed/demo-org';
import { InMemoryPipelineVariables } from '../fakes/in-memory-pipeline-variables';
import { InMemoryAzureDevOps } from '../fakes/in-memory-repository-provisioning';
import { domainFailure } from '../helpers/domain-failure';

const PIPELINE = generatePipeline({ serviceName: 'payments-api', stack: 'java-spring-boot', environments: ['dev', 'staging', 'prod'], registry: { serviceConnection: 'ACR', name: 'contoso.azurecr.io' } });
const projects = (withPipeline: boolean) =>
  DEMO_PROJECTS.map((p) => ({ ...p, repositories: p.repositories.map((r) => (r.name === 'payments-api' && withPipeline ? { ...r, files: { ...r.files, '/azure-pipelines.yml': PIPELINE } } : r)) }));

const plan = (name: string, extra: Partial<SecretPlan> = {}): SecretPlan => {
  const vaultName = `payments-api--dev--${name}`;
  const linked = pipelineLinkFor({ name: 'payments-api', repository: { project: 'Payments' } }, 'dev', vaultName, {});
  if (!('link' in linked)) throw new Error(linked.reason);
  return {
    service: { ref: 'component:default/payments-api', name: 'payments-api', ownerRef: 'group:default/team-payments', ownerName: 'Payments', repository: { project: 'Payments', name: 'payments-api' } },
    env: 'dev',
    name,
    vaultName,
    vault: { url: 'https://kv-dev.vault.azure.net', name: 'kv-dev', resourceId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-dev' },
    accessScope: 'scope',
    valueSource: 'generate',
    needsApproval: false,
    requester: { id: 'id-alice', name: 'Alice' },
    link: linked.link,
    ...extra,
  };
};

function world(withPipeline = true) {
  const ado = new InMemoryAzureDevOps(projects(withPipeline));
  const variables = new InMemoryPipelineVariables();
  const linking = new PipelineSecretLinking({ variables, sourceControl: ado, provisioning: ado, serviceConnection: 'azure-key-vault' });
  const stageGroups = async (branch: string) => (parseDocument((await ado.readFile('Payments', 'payments-api', 'azure-pipelines.yml', branch)) ?? '').toJS().stages as { stage: string; variables?: { group: string }[] }[]).find((s) => s.stage === 'Deploy_dev')!.variables!.map((v) => v.group);
  return { ado, variables, linking, stageGroups };
}

describe('PipelineSecretLinking', () => {
  it('links the secret into a new Key Vault group and opens one pull request making Deploy_dev read it', async () => {
    const { ado, variables, linking, stageGroups } = world();
    const out = await linking.link(plan('db-password'));
    expect(out).toMatchObject({ group: 'vg-payments-api-dev-secrets', variable: 'payments-api--dev--db-password', groupCreated: true, linked: true, pullRequestUrl: expect.any(String) });
    expect(await variables.list('Payments', 'vg-payments-api-dev-secrets')).toMatchObject({ kind: 'key-vault', keyVault: { vault: 'kv-dev' }, variables: [{ name: 'payments-api--dev--db-password', isSecret: true }] });
    expect(await stageGroups('main')).toEqual(['vg-payments-api-dev']);
    expect(await stageGroups(linkBranch('payments-api', 'dev'))).toEqual(['vg-payments-api-dev', 'vg-payments-api-dev-secrets']);
    const [pr] = ado.snapshot().pullRequests;
    expect(pr).toMatchObject({ title: 'Read the Key Vault variable group vg-payments-api-dev-secrets (dev)', targetRefName: 'refs/heads/main' });
    expect(pr!.description).toContain('$(payments-api--dev--db-password)');
  });

  it('is idempotent, and a second secret variable joins the same group and pull request without a second commit', async () => {
    const { ado, variables, linking } = world();
    const first = await linking.link(plan('db-password'));
    expect(await linking.link(plan('db-password'))).toMatchObject({ groupCreated: false, linked: false, pullRequestUrl: first.pullRequestUrl });
    const commits = () => ado.snapshot().repositories.find((r) => r.name === 'payments-api')!.commits;
    const before = commits();
    expect(before).toBe(1);
    await linking.link(plan('api-key'));
    expect(commits()).toBe(before);
    expect(ado.snapshot().pullRequests).toHaveLength(1);
    expect((await variables.list('Payments', 'vg-payments-api-dev-secrets'))!.variables.map((v) => v.name)).toEqual(['payments-api--dev--api-key', 'payments-api--dev--db-password']);
  });

  it('links but says what to add by hand when the repository has no azure-pipelines.yml, or there is no repository', async () => {
    const { ado, variables, linking } = world(false);
    const out = await linking.link(plan('db-password'));
    expect(out).toMatchObject({ group: 'vg-payments-api-dev-secrets', linked: true });
    expect(String(out.instructions)).toContain('has no azure-pipelines.yml');
    expect(String(out.instructions)).toContain('- group: "vg-payments-api-dev-secrets"');
    const noRepo = plan('other');
    delete noRepo.service.repository;
    expect(String((await linking.link(noRepo)).instructions)).toContain('no repository in the catalog');
    expect(ado.snapshot().pullRequests).toEqual([]);
    expect((await variables.list('Payments', 'vg-payments-api-dev-secrets'))!.variables).toHaveLength(2);
  });

  it('fails in words when the plain group would have to be linked, or the service connection is missing', async () => {
    const { variables, linking } = world();
    variables.seedGroup('Payments', 'vg-payments-api-dev-secrets', { LOG_LEVEL: 'debug' });
    expect((await domainFailure(linking.link(plan('db-password')))).code).toBe('PIPELINES.VARIABLE_GROUP_NOT_LINKABLE');
    const other = new PipelineSecretLinking({ variables: new InMemoryPipelineVariables(), sourceControl: world().ado, provisioning: world().ado, serviceConnection: 'nope' });
    expect((await domainFailure(other.link(plan('db-password')))).code).toBe('PIPELINES.SERVICE_CONNECTION_NOT_FOUND');
  });

  it('links again when a concurrent update of the group dropped the secret (Azure DevOps replaces whole groups), and gives up in words', async () => {
    const { ado, variables } = world();
    let lost = 1;
    const racing = { list: variables.list.bind(variables), linkKeyVault: async (...args: Parameters<InMemoryPipelineVariables['linkKeyVault']>) => {
      const result = await variables.linkKeyVault(...args);
      // Another job's full replace lands right after ours, without our secret.
      if (lost-- > 0) variables.groups.find((g) => g.name === args[1])!.variables.clear();
      return result;
    } };
    const linking = new PipelineSecretLinking({ variables: racing, sourceControl: ado, provisioning: ado, serviceConnection: 'azure-key-vault' });
    expect(await linking.link(plan('db-password'))).toMatchObject({ groupCreated: true, linked: true });
    expect((await variables.list('Payments', 'vg-payments-api-dev-secrets'))!.variables.map((v) => v.name)).toEqual(['payments-api--dev--db-password']);
    lost = 3;
    expect((await domainFailure(linking.link(plan('api-key')))).code).toBe('PIPELINES.VARIABLE_GROUP_CONTENDED');
  });

  it('does nothing for a secret that is not a pipeline variable', async () => {
    const { variables, linking } = world();
    expect(await linking.link(plan('x', { link: undefined }))).toEqual({ skipped: 'not a pipeline variable' });
    expect(variables.calls).toEqual([]);
  });
});
