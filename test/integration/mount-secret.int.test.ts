/**
 * SecretMounting through the real Azure DevOps adapters (SourceControl + RepositoryProvisioning on
 * one connection) against the stand-in: the branch, the commit holding the manifest, the pull
 * request and its description as the service holds them, a second call landing on the same pull
 * request, and a merged manifest opening nothing.
 */
import { parseDocument } from 'yaml';
import { AzureDevOpsConnection } from '../../src/adapters/azure-devops/azure-devops-connection';
import { AzureDevOpsRepositoryProvisioning } from '../../src/adapters/azure-devops/azure-devops-provisioning.adapter';
import { AzureDevOpsSourceControl } from '../../src/adapters/azure-devops/azure-devops-source-control.adapter';
import { mountBranch, SecretMounting } from '../../src/domain/secrets/mount-secret';
import type { SecretMount } from '../../src/domain/secrets/secret-provider-class';
import { DEMO_ORG, DEMO_PROJECTS } from '../../src/sandbox/seed/demo-org';
import { AzureDevOpsStandIn } from '../../src/sandbox/standins/azure-devops.standin';

const TOKEN = 'mount-secret-test-pat-do-not-log';
const MOUNT: SecretMount = {
  service: 'payments-api',
  environment: 'staging',
  keyvaultName: 'kv-payments-staging',
  tenantId: '11111111-2222-4333-8444-555555555555',
  clientID: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
  objectName: 'payments-api--staging--db-password',
};
const FILE = 'deploy/staging/secret-provider-class.yaml';

describe('SecretMounting on the Azure DevOps adapters + stand-in', () => {
  let standIn: AzureDevOpsStandIn;
  let mounting: SecretMounting;
  let sc: AzureDevOpsSourceControl;

  beforeEach(async () => {
    standIn = new AzureDevOpsStandIn({ org: DEMO_ORG, projects: DEMO_PROJECTS });
    await standIn.start(0);
    const conn = new AzureDevOpsConnection({ orgUrl: standIn.collectionUrl, token: TOKEN, retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 10 } });
    sc = new AzureDevOpsSourceControl(conn);
    mounting = new SecretMounting({ sourceControl: sc, provisioning: new AzureDevOpsRepositoryProvisioning(conn) });
  });
  afterEach(() => standIn.close());

  const repo = () => standIn.state.repos.find((r) => r.name === 'payments-api')!;
  const prs = () => standIn.state.pullRequests.filter((p) => p.repositoryId === repo().id);

  it('pushes the manifest on its own branch and opens one pull request to main; a second call finds both', async () => {
    const first = await mounting.mount({ project: 'Payments', repository: 'payments-api' }, MOUNT, 'Alice');
    expect(first).toMatchObject({ kind: 'pull-request', created: true, branch: mountBranch(MOUNT), file: FILE });
    const text = await sc.readFile('Payments', 'payments-api', `/${FILE}`, mountBranch(MOUNT));
    const spc = parseDocument(text ?? '').toJS();
    expect(spc).toMatchObject({ kind: 'SecretProviderClass', metadata: { name: 'payments-api-staging-secrets' }, spec: { provider: 'azure', parameters: { keyvaultName: 'kv-payments-staging', clientID: MOUNT.clientID } } });
    expect(await sc.readFile('Payments', 'payments-api', `/${FILE}`, 'main')).toBeNull();
    expect(prs()).toEqual([expect.objectContaining({ sourceRefName: `refs/heads/${mountBranch(MOUNT)}`, targetRefName: 'refs/heads/main', status: 'active', title: `Mount the secret ${MOUNT.objectName} (staging)` })]);
    expect(prs()[0]!.description).toContain('secretProviderClass: payments-api-staging-secrets');
    const pushes = repo().git.pushes.length;

    const again = await mounting.mount({ project: 'Payments', repository: 'payments-api' }, MOUNT, 'Alice');
    expect(again).toEqual({ ...first, created: false });
    expect(repo().git.pushes.length).toBe(pushes);
    expect(prs()).toHaveLength(1);
  });

  it('opens nothing once main holds the secret (the pull request merged)', async () => {
    const first = await mounting.mount({ project: 'Payments', repository: 'payments-api' }, MOUNT);
    const text = (await sc.readFile('Payments', 'payments-api', `/${FILE}`, first.kind === 'pull-request' ? first.branch : 'x'))!;
    const main = repo().git.refs.get('refs/heads/main')!;
    repo().git.push('refs/heads/main', main, [{ comment: 'Merged', changes: [{ changeType: 'add', path: `/${FILE}`, content: Buffer.from(text) }] }], new Date());
    const requests = standIn.requests.length;
    expect(await mounting.mount({ project: 'Payments', repository: 'payments-api' }, MOUNT)).toMatchObject({ kind: 'already-mounted', file: FILE });
    expect(standIn.requests.slice(requests).filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('a repository that does not exist is SECRETS.REPOSITORY_GONE', async () => {
    await expect(mounting.mount({ project: 'Payments', repository: 'nope' }, MOUNT)).rejects.toMatchObject({ code: 'SECRETS.REPOSITORY_GONE' });
  });
});
