/** Mounting a secret by pull request, on the in-memory Azure DevOps: the branch, the file, the description, idempotency, refusals. */
import { parseAllDocuments, parseDocument } from 'yaml';
import { userMessageFor } from '../../src/bot/messages';
import { mountBranch, SecretMounting } from '../../src/domain/secrets/mount-secret';
import type { SecretMount } from '../../src/domain/secrets/secret-provider-class';
import { DEMO_PROJECTS } from '../../src/sandbox/seed/demo-org';
import { InMemoryAzureDevOps } from '../fakes/in-memory-repository-provisioning';
import { domainFailure } from '../helpers/domain-failure';

const TENANT = '11111111-2222-4333-8444-555555555555';
const CLIENT = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const MOUNT: SecretMount = { service: 'payments-api', environment: 'dev', keyvaultName: 'kv-payments-dev', tenantId: TENANT, clientID: CLIENT, objectName: 'payments-api--dev--db-password' };
const REPO = { project: 'Payments', repository: 'payments-api' };
const FILE = '/deploy/dev/secret-provider-class.yaml';

function world() {
  const ado = new InMemoryAzureDevOps(DEMO_PROJECTS);
  const mounting = new SecretMounting({ sourceControl: ado, provisioning: ado });
  const repoId = DEMO_PROJECTS.find((p) => p.name === 'Payments')!.repositories.find((r) => r.name === 'payments-api')!.id;
  const fileOn = (branch: string) => ado.readFile('Payments', 'payments-api', FILE, branch);
  return { ado, mounting, repoId, fileOn };
}

const objectNames = (text: string | null) => {
  const spc = (parseAllDocuments(text ?? '') as unknown as { toJS(): { kind?: string; spec: { parameters: { objects: string } } } }[]).map((d) => d.toJS()).find((d) => d.kind === 'SecretProviderClass')!;
  return (parseDocument(spc.spec.parameters.objects).toJS().array as string[]).map((o) => parseDocument(o).toJS().objectName as string);
};

describe('SecretMounting', () => {
  it('opens a pull request creating the manifest on a branch of its own, the default branch untouched', async () => {
    const { ado, mounting, fileOn } = world();
    const outcome = await mounting.mount(REPO, MOUNT, 'Alice Payments');
    expect(outcome).toMatchObject({ kind: 'pull-request', repository: 'Payments/payments-api', file: 'deploy/dev/secret-provider-class.yaml', branch: mountBranch(MOUNT), created: true, fileName: MOUNT.objectName });
    expect(mountBranch(MOUNT)).toMatch(/^idp\/secrets\/mount-payments-api-dev-[0-9a-f]{10}$/);
    expect(await fileOn('main')).toBeNull();
    expect(objectNames(await fileOn(mountBranch(MOUNT)))).toEqual([MOUNT.objectName]);
    const [pr] = ado.snapshot().pullRequests;
    expect(pr).toMatchObject({ sourceRefName: `refs/heads/${mountBranch(MOUNT)}`, targetRefName: 'refs/heads/main', title: 'Mount the secret payments-api--dev--db-password (dev)', status: 'active' });
    expect(pr!.description).toContain('Creates deploy/dev/secret-provider-class.yaml');
    expect(pr!.description).toContain('/mnt/secrets-store/payments-api--dev--db-password');
    expect(pr!.description).toContain('Requested by Alice Payments');
  });

  it('says in the description what the Deployment must reference: the CSI volume naming the class and its volumeMount', async () => {
    const { ado, mounting } = world();
    await mounting.mount(REPO, MOUNT);
    const description = ado.snapshot().pullRequests[0]!.description;
    const yaml = /```yaml\n([\s\S]*?)```/.exec(description)?.[1];
    const pod = parseDocument(yaml ?? '').toJS().spec.template.spec;
    expect(pod.volumes[0]).toEqual({ name: 'secrets-store', csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: 'payments-api-dev-secrets' } } });
    expect(pod.containers[0].volumeMounts[0]).toEqual({ name: 'secrets-store', mountPath: '/mnt/secrets-store', readOnly: true });
  });

  it('is idempotent: a second call (retry, double click) lands on the same branch, commit and pull request', async () => {
    const { ado, mounting, repoId } = world();
    const first = await mounting.mount(REPO, MOUNT);
    const again = await mounting.mount(REPO, { ...MOUNT, objectName: MOUNT.objectName.toUpperCase() });
    expect(again).toEqual({ ...first, created: false, fileName: MOUNT.objectName.toUpperCase() });
    expect(await mounting.mount(REPO, MOUNT)).toEqual({ ...first, created: false });
    expect(ado.snapshot().pullRequests).toHaveLength(1);
    expect(ado.pushes.get(repoId)).toHaveLength(1);
  });

  it('another secret of the same service and environment gets its own branch and pull request', async () => {
    const { ado, mounting } = world();
    const a = await mounting.mount(REPO, MOUNT);
    const b = await mounting.mount(REPO, { ...MOUNT, objectName: 'payments-api--dev--api-key' });
    expect(a.kind === 'pull-request' && b.kind === 'pull-request' && a.branch !== b.branch).toBe(true);
    expect(ado.snapshot().pullRequests).toHaveLength(2);
    const prod = await mounting.mount(REPO, { ...MOUNT, environment: 'prod', keyvaultName: 'kv-payments-prod' });
    expect(prod).toMatchObject({ kind: 'pull-request', file: 'deploy/prod/secret-provider-class.yaml' });
  });

  it('edits the manifest the default branch has, keeping its objects and comments', async () => {
    const { ado, mounting, fileOn } = world();
    const text = `# ours\napiVersion: secrets-store.csi.x-k8s.io/v1\nkind: SecretProviderClass\nmetadata:\n  name: payments\nspec:\n  provider: azure\n  parameters:\n    usePodIdentity: "false"\n    keyvaultName: kv-payments-dev\n    clientID: ${CLIENT}\n    tenantId: ${TENANT}\n    objects: |\n      array:\n        - |\n          objectName: tls-cert\n          objectType: secret\n`;
    ado.putFile('Payments', 'payments-api', FILE, text);
    const outcome = await mounting.mount(REPO, MOUNT);
    const edited = await fileOn(mountBranch(MOUNT));
    expect(objectNames(edited)).toEqual(['tls-cert', MOUNT.objectName]);
    expect(edited!.startsWith('# ours\n')).toBe(true);
    expect(ado.snapshot().pullRequests[0]!.description).toContain('Edits deploy/dev/secret-provider-class.yaml: the SecretProviderClass payments now mounts');
    expect(outcome.kind).toBe('pull-request');
  });

  it('opens nothing when the default branch lists the secret already', async () => {
    const { ado, mounting, repoId } = world();
    const first = await mounting.mount(REPO, MOUNT);
    // The pull request was merged: main has the file.
    ado.putFile('Payments', 'payments-api', FILE, (await ado.readFile('Payments', 'payments-api', FILE, first.kind === 'pull-request' ? first.branch : ''))!);
    const before = ado.pushes.get(repoId)?.length;
    expect(await mounting.mount(REPO, { ...MOUNT, alias: 'ignored' })).toEqual({ kind: 'already-mounted', repository: 'Payments/payments-api', file: 'deploy/dev/secret-provider-class.yaml', fileName: MOUNT.objectName });
    expect(ado.pushes.get(repoId)?.length).toBe(before);
    expect(ado.snapshot().pullRequests).toHaveLength(1);
  });

  it('refuses a manifest it cannot edit safely, naming the repository and the reason, and pushes nothing', async () => {
    const { ado, mounting, repoId } = world();
    ado.putFile('Payments', 'payments-api', FILE, 'apiVersion: secrets-store.csi.x-k8s.io/v1\nkind: SecretProviderClass\nmetadata: {name: x}\nspec:\n  provider: gcp\n');
    const e = await domainFailure(mounting.mount(REPO, MOUNT));
    expect(e.code).toBe('SECRETS.MANIFEST_UNSAFE');
    expect(e.details).toMatchObject({ repository: 'Payments/payments-api', file: 'deploy/dev/secret-provider-class.yaml', kind: 'provider' });
    expect(e.message).toContain('Payments/payments-api');
    expect(ado.pushes.get(repoId)).toBeUndefined();
    expect(ado.snapshot().pullRequests).toHaveLength(0);
    expect(userMessageFor(e, 'ref-1')).toEqual({ text: 'I did not touch deploy/dev/secret-provider-class.yaml in Payments/payments-api: its provider is "gcp", not azure. Add the secret to it by hand (the secret itself is stored).', status: 409 });
  });

  it('refuses a repository that is gone or empty (SECRETS.REPOSITORY_GONE), and hostile names before reading anything', async () => {
    const { mounting } = world();
    expect((await domainFailure(mounting.mount({ project: 'Payments', repository: 'nope' }, MOUNT))).code).toBe('SECRETS.REPOSITORY_GONE');
    const hostile = await domainFailure(mounting.mount({ project: 'Payments', repository: 'nope' }, { ...MOUNT, environment: 'dev/../../x' }));
    expect(hostile).toMatchObject({ code: 'SECRETS.INVALID_MOUNT', details: { field: 'environment' } });
  });

  it('without a repository: the manifest, the Deployment fragment and the steps; nothing opened', async () => {
    const { ado, mounting } = world();
    const outcome = await mounting.mount(null, MOUNT);
    expect(outcome.kind).toBe('by-hand');
    if (outcome.kind !== 'by-hand') return;
    expect(objectNames(outcome.manifest)).toEqual([MOUNT.objectName]);
    expect(outcome.podSpec).toContain('secretProviderClass: payments-api-dev-secrets');
    expect(outcome.instructions).toHaveLength(3);
    expect(ado.snapshot().pullRequests).toHaveLength(0);
  });

  it('takes the manifest path and mount path from its settings', async () => {
    const ado = new InMemoryAzureDevOps(DEMO_PROJECTS);
    const mounting = new SecretMounting({ sourceControl: ado, provisioning: ado, manifestPath: (env) => `/k8s/overlays/${env}/spc.yaml`, mountPath: '/run/secrets' });
    const outcome = await mounting.mount(REPO, MOUNT);
    expect(outcome).toMatchObject({ file: 'k8s/overlays/dev/spc.yaml' });
    expect(await ado.readFile('Payments', 'payments-api', '/k8s/overlays/dev/spc.yaml', mountBranch(MOUNT))).not.toBeNull();
    expect(ado.snapshot().pullRequests[0]!.description).toContain('/run/secrets/payments-api--dev--db-password');
  });
});
