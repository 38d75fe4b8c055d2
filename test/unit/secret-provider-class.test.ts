/** The SecretProviderClass editor: a table of existing manifests, what each becomes, and the ones refused with a reason. */
import { parseAllDocuments, parseDocument } from 'yaml';
import { addSecretToProviderClass, mountSnippet, newSecretProviderClass, podSpecHint, secretProviderClassPath, type SecretMount } from '../../src/domain/secrets/secret-provider-class';
import { DomainError } from '../../src/domain/domain-error';

const TENANT = '11111111-2222-4333-8444-555555555555';
const CLIENT = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const MOUNT: SecretMount = { service: 'payments-api', environment: 'dev', keyvaultName: 'kv-payments-dev', tenantId: TENANT, clientID: CLIENT, objectName: 'payments-api--dev--db-password' };

/** What the CSI driver's Azure provider reads: the parameters, and `objects` parsed as it parses it. */
function providerView(text: string) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test reads arbitrary YAML
  const docs = parseAllDocuments(text) as unknown as { toJS(): any }[];
  const spcs = docs.map((d) => d.toJS()).filter((d) => d?.kind === 'SecretProviderClass');
  expect(spcs).toHaveLength(1);
  const spc = spcs[0];
  const array = (parseDocument(spc.spec.parameters.objects).toJS() as { array: string[] }).array;
  return { spc, parameters: spc.spec.parameters as Record<string, unknown>, objects: array.map((o) => parseDocument(o).toJS() as Record<string, string>) };
}

function refusal(current: string | null, mount: SecretMount = MOUNT): DomainError {
  try {
    addSecretToProviderClass(current, mount);
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

const existing = (objects: string, extra = '') => `apiVersion: secrets-store.csi.x-k8s.io/v1
kind: SecretProviderClass
metadata:
  name: payments-api-dev-secrets
spec:
  provider: azure
  parameters:
    usePodIdentity: "false"
    clientID: "${CLIENT}"
    keyvaultName: kv-payments-dev
    tenantId: "${TENANT}"
${objects}${extra}`;

describe('a new manifest', () => {
  it('is the Azure provider SecretProviderClass with the workload identity and one secret object, named <service>-<env>-secrets', () => {
    const edit = addSecretToProviderClass(null, MOUNT);
    expect(edit).toMatchObject({ change: 'created', name: 'payments-api-dev-secrets', fileName: MOUNT.objectName });
    const { spc, parameters, objects } = providerView((edit as { text: string }).text);
    expect(spc).toMatchObject({ apiVersion: 'secrets-store.csi.x-k8s.io/v1', kind: 'SecretProviderClass', metadata: { name: 'payments-api-dev-secrets' }, spec: { provider: 'azure' } });
    expect(parameters).toMatchObject({ usePodIdentity: 'false', clientID: CLIENT, keyvaultName: 'kv-payments-dev', tenantId: TENANT });
    expect(objects).toEqual([{ objectName: MOUNT.objectName, objectType: 'secret', objectVersion: '' }]);
    // The string form the provider's docs show: a literal block, objectVersion as an empty string.
    expect((edit as { text: string }).text).toContain(`    objects: |\n      array:\n        - |\n          objectName: ${MOUNT.objectName}\n          objectType: secret\n          objectVersion: ""\n`);
    expect((edit as { text: string }).text).toContain('usePodIdentity: "false"');
  });

  it('is created for an empty file too, and after a comments-only file (the comments kept)', () => {
    expect(addSecretToProviderClass('  \n', MOUNT).change).toBe('created');
    const edit = addSecretToProviderClass('# secrets of the payments API\n', MOUNT) as { text: string };
    expect(edit.text.startsWith('# secrets of the payments API\n')).toBe(true);
    expect(providerView(edit.text).objects).toHaveLength(1);
  });

  it('goes after the other documents of a file that has none, separated by ---, the others byte for byte', () => {
    const deployment = '# the service account\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: payments-api  # keep me\n';
    const edit = addSecretToProviderClass(deployment, MOUNT) as { change: string; text: string };
    expect(edit.change).toBe('created');
    expect(edit.text.startsWith(`${deployment}---\n`)).toBe(true);
    expect(providerView(edit.text).objects.map((o) => o.objectName)).toEqual([MOUNT.objectName]);
  });

  it('takes the alias as objectAlias, the file name in the mount', () => {
    const edit = addSecretToProviderClass(null, { ...MOUNT, alias: 'db-password.txt' });
    expect(edit.fileName).toBe('db-password.txt');
    expect(providerView((edit as { text: string }).text).objects[0]).toEqual({ objectName: MOUNT.objectName, objectAlias: 'db-password.txt', objectType: 'secret', objectVersion: '' });
  });
});

describe('an existing manifest', () => {
  it('with empty objects gets the one entry', () => {
    for (const objects of ['    objects: ""\n', '    objects: |\n      array: []\n', '    objects:\n', '']) {
      const edit = addSecretToProviderClass(existing(objects), MOUNT);
      expect(edit.change).toBe('added');
      expect(providerView((edit as { text: string }).text).objects.map((o) => o.objectName)).toEqual([MOUNT.objectName]);
    }
  });

  it('with other objects keeps them, in order, and appends the secret; comments and layout of the file survive', () => {
    const text = `# Managed by the payments team.
apiVersion: secrets-store.csi.x-k8s.io/v1
kind: SecretProviderClass
metadata:
  name: payments-api-dev-secrets # referenced by deploy/dev/deployment.yaml
  labels: {team: payments}
spec:
  provider: azure
  secretObjects:   # also synced as a Kubernetes secret
    - secretName: payments-tls
      type: kubernetes.io/tls
      data:
        - objectName: payments-tls
          key: tls.key
  parameters:
    usePodIdentity: "false"
    clientID: "${CLIENT}"   # the workload identity
    keyvaultName: kv-payments-dev
    cloudName: ""
    objects: |
      array:
        - |
          objectName: payments-tls
          objectType: secret
        - |
          objectName: signing-key
          objectType: key
          objectVersion: ""
    tenantId: "${TENANT}"
`;
    const edit = addSecretToProviderClass(text, MOUNT) as { change: string; text: string };
    expect(edit.change).toBe('added');
    for (const kept of ['# Managed by the payments team.', '# referenced by deploy/dev/deployment.yaml', 'labels: { team: payments }', '# also synced as a Kubernetes secret', '# the workload identity', 'cloudName: ""']) expect(edit.text).toContain(kept);
    const { objects, spc, parameters } = providerView(edit.text);
    expect(objects.map((o) => [o.objectName, o.objectType])).toEqual([['payments-tls', 'secret'], ['signing-key', 'key'], [MOUNT.objectName, 'secret']]);
    expect(spc.spec.secretObjects).toHaveLength(1);
    expect(Object.keys(parameters)).toEqual(['usePodIdentity', 'clientID', 'keyvaultName', 'cloudName', 'objects', 'tenantId']);
  });

  it('in a file with other documents: only that document changes, the others stay byte for byte', () => {
    const before = '# service account\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name:   payments-api\n---\n';
    const after = '---\n# deployment, untouched\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: payments-api}\n';
    const edit = addSecretToProviderClass(before + existing('    objects: |\n      array: []\n') + after, MOUNT) as { text: string };
    expect(edit.text.startsWith(before)).toBe(true);
    expect(edit.text.endsWith(after)).toBe(true);
    expect(providerView(edit.text).objects).toHaveLength(1);
  });

  it('fills the workload identity parameters it lacks and leaves the ones it has', () => {
    const text = 'apiVersion: secrets-store.csi.x-k8s.io/v1\nkind: SecretProviderClass\nmetadata:\n  name: legacy\nspec:\n  provider: Azure\n  parameters:\n    keyvaultName: KV-PAYMENTS-DEV\n';
    const edit = addSecretToProviderClass(text, MOUNT) as { change: string; name: string; text: string };
    expect(edit).toMatchObject({ change: 'added', name: 'legacy' });
    expect(providerView(edit.text).parameters).toMatchObject({ keyvaultName: 'KV-PAYMENTS-DEV', usePodIdentity: 'false', clientID: CLIENT, tenantId: TENANT });
  });

  it('that lists the secret already is unchanged (any case of the name, any alias): no pull request', () => {
    const listed = existing(`    objects: |\n      array:\n        - |\n          objectName: PAYMENTS-API--DEV--DB-PASSWORD\n          objectAlias: db\n          objectType: secret\n`);
    expect(addSecretToProviderClass(listed, MOUNT)).toEqual({ change: 'unchanged', name: 'payments-api-dev-secrets', fileName: 'db' });
    const edit = addSecretToProviderClass(null, MOUNT) as { text: string };
    expect(addSecretToProviderClass(edit.text, MOUNT)).toMatchObject({ change: 'unchanged', fileName: MOUNT.objectName });
  });

  it('adds the secret when only a key or certificate of that name is listed', () => {
    const key = existing(`    objects: |\n      array:\n        - |\n          objectName: ${MOUNT.objectName}\n          objectAlias: as-key\n          objectType: key\n`);
    expect(addSecretToProviderClass(key, MOUNT).change).toBe('added');
  });
});

describe('refused with the reason, never overwritten', () => {
  const objects = '    objects: |\n      array: []\n';
  it.each([
    ['unreadable', 'apiVersion: [unclosed\n', /not valid YAML/],
    ['several', `${existing(objects)}---\n${existing(objects)}`, /2 SecretProviderClass documents/],
    ['api-version', existing(objects).replace('secrets-store.csi.x-k8s.io/v1', 'example.com/v1'), /apiVersion is "example.com\/v1"/],
    ['no-name', existing(objects).replace('  name: payments-api-dev-secrets\n', '  labels: {}\n'), /no metadata.name/],
    ['provider', existing(objects).replace('provider: azure', 'provider: vault'), /provider is "vault", not azure/],
    ['provider', existing(objects).replace('  provider: azure\n', ''), /provider is "\(none\)"/],
    ['identity-mode', existing(objects).replace('usePodIdentity: "false"', 'usePodIdentity: "true"'), /pod identity/],
    ['identity-mode', existing(objects).replace('usePodIdentity: "false"', 'useVMManagedIdentity: "true"'), /managed identity/],
    ['vault', existing(objects).replace('kv-payments-dev', 'kv-other'), /the vault kv-other, not kv-payments-dev/],
    ['identity', existing(objects).replace(CLIENT, '99999999-bbbb-4ccc-8ddd-eeeeeeeeeeee'), /identity 99999999/],
    ['tenant', existing(objects).replace(TENANT, '99999999-2222-4333-8444-555555555555'), /tenant/],
    ['objects', existing('    objects:\n      array: []\n'), /not a string/],
    ['objects', existing('    objects: "array: [unclosed"\n'), /not valid YAML/],
    ['objects', existing('    objects: "array: {a: 1}"\n'), /not a list/],
    ['objects', existing('    objects: "something: else"\n'), /no array/],
    ['objects', existing('    objects: |\n      array:\n        - |\n          objectType: secret\n'), /object 1 .* no objectName/],
    ['file-name-taken', existing(`    objects: |\n      array:\n        - |\n          objectName: other-secret\n          objectAlias: ${MOUNT.objectName}\n          objectType: secret\n`), /file name .* is already that of secret other-secret/],
  ])('%s', (kind, text, reason) => {
    const e = refusal(text);
    expect(e.code).toBe('SECRETS.MANIFEST_UNSAFE');
    expect(e.details).toMatchObject({ kind, file: 'deploy/dev/secret-provider-class.yaml' });
    expect(String(e.details.reason)).toMatch(reason);
  });
});

describe('hostile names never reach the manifest', () => {
  it.each([
    ['service', { service: 'Payments' }],
    ['service', { service: 'pay\nments' }],
    ['service', { service: '-payments' }],
    ['environment', { environment: 'dev/../prod' }],
    ['environment', { environment: '' }],
    ['keyvaultName', { keyvaultName: 'kv--double' }],
    ['keyvaultName', { keyvaultName: 'kv' }],
    ['keyvaultName', { keyvaultName: 'kv-payments-dev"\nextra: x' }],
    ['tenantId', { tenantId: 'not-a-guid' }],
    ['clientID', { clientID: `${CLIENT}\n  injected: true` }],
    ['objectName', { objectName: 'name: injected' }],
    ['objectName', { objectName: 'x'.repeat(128) }],
    ['objectName', { objectName: 'db_password' }],
    ['alias', { alias: '../etc/passwd' }],
    ['alias', { alias: '.hidden' }],
    ['alias', { alias: 'a b' }],
    ['alias', { alias: '' }],
  ] as [string, Partial<SecretMount>][])('%s %j', (field, change) => {
    const e = refusal(null, { ...MOUNT, ...change });
    expect(e.code).toBe('SECRETS.INVALID_MOUNT');
    expect(e.details.field).toBe(field);
    expect(() => newSecretProviderClass({ ...MOUNT, ...change })).toThrow(DomainError);
  });

  it('accepts the longest names the rules allow', () => {
    const edit = addSecretToProviderClass(null, { ...MOUNT, keyvaultName: `k${'v'.repeat(22)}1`, objectName: 'a'.repeat(127), alias: 'secret_file.v2-1' });
    expect(providerView((edit as { text: string }).text).objects[0]).toMatchObject({ objectName: 'a'.repeat(127), objectAlias: 'secret_file.v2-1' });
  });
});

describe('without a repository', () => {
  it('gives the manifest, the Deployment fragment naming it, and what to do', () => {
    const snippet = mountSnippet({ ...MOUNT, alias: 'db' });
    expect(snippet.file).toBe('deploy/dev/secret-provider-class.yaml');
    expect(providerView(snippet.manifest).objects[0]).toMatchObject({ objectName: MOUNT.objectName, objectAlias: 'db' });
    const pod = parseDocument(snippet.podSpec).toJS();
    expect(pod.spec.template.spec.volumes).toEqual([{ name: 'secrets-store', csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: 'payments-api-dev-secrets' } } }]);
    expect(pod.spec.template.spec.containers[0].volumeMounts).toEqual([{ name: 'secrets-store', mountPath: '/mnt/secrets-store', readOnly: true }]);
    expect(pod.spec.template.metadata.labels).toEqual({ 'azure.workload.identity/use': 'true' });
    expect(snippet.instructions.join(' ')).toContain('/mnt/secrets-store/db');
    expect(snippet.instructions.join(' ')).toContain(CLIENT);
  });

  it('the hint names the class and the mount path asked for', () => {
    expect(parseDocument(podSpecHint('x-secrets', '/run/secrets')).toJS().spec.template.spec.containers[0].volumeMounts[0].mountPath).toBe('/run/secrets');
    expect(secretProviderClassPath('prod')).toBe('/deploy/prod/secret-provider-class.yaml');
  });
});
