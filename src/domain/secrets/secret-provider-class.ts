/**
 * A service's SecretProviderClass (Secrets Store CSI driver, Azure provider), edited so one more
 * Key Vault secret is mounted: with the `yaml` Document API, so comments, key order and layout of
 * the file survive and only the SecretProviderClass document is re-serialised. The manifest is
 * created when the file is missing; nothing changes when the secret is already listed; a manifest
 * that cannot be edited safely (another provider, another vault or identity, two documents of the
 * kind, unreadable `objects`) is refused with the reason, never overwritten.
 * `objects` is YAML inside a string (the provider parses it again): `array:` of block strings,
 * each one object.
 */
import { Document, isMap, isScalar, isSeq, parseAllDocuments, parseDocument, Scalar, stringify, type YAMLMap } from 'yaml';
import { DomainError } from '../domain-error';

export const SECRET_PROVIDER_CLASS_API_VERSION = 'secrets-store.csi.x-k8s.io/v1';
const API_GROUP = 'secrets-store.csi.x-k8s.io/';
const KIND = 'SecretProviderClass';
/** Where the CSI volume shows the files in the container, in the hint and the snippet. */
export const DEFAULT_MOUNT_PATH = '/mnt/secrets-store';
const VOLUME_NAME = 'secrets-store';
const TO_STRING = { lineWidth: 0 } as const;

/** One Key Vault secret to mount, for one service in one environment. */
export interface SecretMount {
  /** Catalog name of the service (a Kubernetes name: lower case, digits, dashes). */
  service: string;
  environment: string;
  /** The vault's name (not its URL). */
  keyvaultName: string;
  tenantId: string;
  /** The workload identity's client id (what the pods' service account federates with). */
  clientID: string;
  /** The Key Vault secret's name. */
  objectName: string;
  /** The file name in the mount; default the secret's name. */
  alias?: string;
}

export type SecretProviderClassEdit =
  /** `created`: the file (or its SecretProviderClass) did not exist; `added`: the secret joins an existing one. */
  | { change: 'created' | 'added'; text: string; name: string; fileName: string }
  /** The secret is listed already (possibly under another file name): no pull request. */
  | { change: 'unchanged'; name: string; fileName: string };

/** Why a manifest is not edited: stable keys (the words are in `reason`). */
export type RefusalKind =
  | 'unreadable'
  | 'several'
  | 'api-version'
  | 'provider'
  | 'identity-mode'
  | 'vault'
  | 'identity'
  | 'tenant'
  | 'no-name'
  | 'objects'
  | 'file-name-taken';

/** The manifest's file in the service's repository: one per environment. */
export const secretProviderClassPath = (environment: string): string => `/deploy/${environment}/secret-provider-class.yaml`;
/** The Kubernetes name of a new SecretProviderClass. */
export const secretProviderClassName = (service: string, environment: string): string => `${service}-${environment}-secrets`;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Key Vault's rules: vault names 3-24 letters, digits and dashes, starting with a letter, no "--"; secret names 1-127 letters, digits and dashes. */
const VAULT_NAME = /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/;
const SECRET_NAME = /^[a-zA-Z0-9-]{1,127}$/;
/** A file name in the mount: no path, no hidden file, nothing a shell or YAML reads specially. */
const FILE_NAME = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,252}$/;

/** Refused with SECRETS.INVALID_MOUNT { field, value, rule } when a name could not go into the manifest as it is. */
export function validateMount(mount: SecretMount): void {
  const checks: [keyof SecretMount, RegExp, string][] = [
    ['service', DNS_LABEL, 'lower-case letters, digits and dashes, starting and ending with a letter or digit'],
    ['environment', DNS_LABEL, 'lower-case letters, digits and dashes, starting and ending with a letter or digit'],
    ['keyvaultName', VAULT_NAME, '3-24 letters, digits and dashes, starting with a letter, no two dashes in a row'],
    ['tenantId', GUID, 'a GUID'],
    ['clientID', GUID, 'a GUID'],
    ['objectName', SECRET_NAME, '1-127 letters, digits and dashes'],
  ];
  if (mount.alias !== undefined) checks.push(['alias', FILE_NAME, 'a file name: letters, digits, ".", "_" and "-", not starting with "." or "-"']);
  for (const [field, rule, words] of checks) {
    const value = mount[field] ?? '';
    if (!rule.test(value)) throw new DomainError('SECRETS.INVALID_MOUNT', `cannot mount: ${field} "${value.slice(0, 80)}" is not ${words}`, { field, value: value.slice(0, 80), rule: words });
  }
  const name = secretProviderClassName(mount.service, mount.environment);
  if (name.length > 253) throw new DomainError('SECRETS.INVALID_MOUNT', `cannot mount: the name ${name.slice(0, 40)}... is longer than 253`, { field: 'service', value: mount.service.slice(0, 80), rule: 'at most 253 characters with the environment' });
}

const fileNameOf = (mount: SecretMount): string => mount.alias ?? mount.objectName;

/** The object entry the provider reads (one block string of `objects.array`). */
function objectEntry(mount: SecretMount): string {
  return stringify({ objectName: mount.objectName, ...(mount.alias ? { objectAlias: mount.alias } : {}), objectType: 'secret', objectVersion: '' });
}

function blockLiteral(text: string): Scalar {
  const node = new Scalar(text);
  node.type = Scalar.BLOCK_LITERAL;
  return node;
}

/** A new manifest holding just this secret. */
export function newSecretProviderClass(mount: SecretMount): string {
  validateMount(mount);
  return freshManifest(mount).toString(TO_STRING);
}

function freshManifest(mount: SecretMount): Document {
  const doc = new Document({
    apiVersion: SECRET_PROVIDER_CLASS_API_VERSION,
    kind: KIND,
    metadata: { name: secretProviderClassName(mount.service, mount.environment) },
    spec: {
      provider: 'azure',
      parameters: { usePodIdentity: 'false', clientID: mount.clientID, keyvaultName: mount.keyvaultName, tenantId: mount.tenantId, objects: '' },
    },
  });
  doc.setIn(['spec', 'parameters', 'objects'], blockLiteral(objectsText([objectEntry(mount)])));
  doc.commentBefore = ` Key Vault secrets of ${mount.service} in ${mount.environment}, mounted by the Secrets Store CSI driver\n (Azure provider) for pods running as the workload identity ${mount.clientID}.\n The developer portal adds secrets to it; edit it freely.`;
  return doc;
}

function objectsText(entries: string[]): string {
  const inner = new Document({ array: [] });
  for (const e of entries) (inner.get('array', true) as { add(n: unknown): void }).add(blockLiteral(e));
  return inner.toString(TO_STRING);
}

/**
 * The manifest text with `mount` added (`current` null: no such file). DomainError
 * SECRETS.INVALID_MOUNT (a name that cannot go in), SECRETS.MANIFEST_UNSAFE { file, reason, kind }.
 */
export function addSecretToProviderClass(current: string | null, mount: SecretMount, file = secretProviderClassPath(mount.environment)): SecretProviderClassEdit {
  validateMount(mount);
  const name = secretProviderClassName(mount.service, mount.environment);
  const refuse = (kind: RefusalKind, reason: string): never => {
    throw new DomainError('SECRETS.MANIFEST_UNSAFE', `${file} cannot be edited safely: ${reason}`, { file: file.replace(/^\//, ''), reason, kind });
  };
  const fresh = () => freshManifest(mount).toString(TO_STRING);
  if (current === null || current.trim() === '') return { change: 'created', text: fresh(), name, fileName: fileNameOf(mount) };

  const docs = parseAllDocuments(current);
  if (!Array.isArray(docs)) return refuse('unreadable', 'it is not YAML');
  const broken = docs.find((d) => d.errors.length > 0);
  if (broken) return refuse('unreadable', `it is not valid YAML (${broken.errors[0]!.message.split('\n')[0]})`);
  const ours = docs.filter((d) => kindOf(d) === KIND);
  if (ours.length > 1) return refuse('several', `it holds ${ours.length} SecretProviderClass documents, and I cannot tell which one the pods mount`);
  if (ours.length === 0) {
    // Comments only, or other kinds (a Deployment next to it): the new document goes after them.
    const hasContent = docs.some((d) => d.contents !== null);
    const separator = hasContent ? '---\n' : '';
    return { change: 'created', text: `${current.replace(/\s*$/, '\n')}${separator}${fresh()}`, name, fileName: fileNameOf(mount) };
  }
  const index = docs.findIndex((d) => kindOf(d) === KIND);
  const doc = docs[index]!;
  const js = doc.toJS() as { apiVersion?: unknown; metadata?: { name?: unknown }; spec?: { provider?: unknown; parameters?: unknown } };
  const apiVersion = String(js.apiVersion ?? '');
  if (!apiVersion.startsWith(API_GROUP)) refuse('api-version', `its apiVersion is "${apiVersion}", not ${SECRET_PROVIDER_CLASS_API_VERSION}`);
  const existingName = typeof js.metadata?.name === 'string' ? js.metadata.name : '';
  if (!existingName) refuse('no-name', 'its SecretProviderClass has no metadata.name');
  const provider = String(js.spec?.provider ?? '');
  if (provider.toLowerCase() !== 'azure') refuse('provider', `its provider is "${provider || '(none)'}", not azure`);

  const params = doc.getIn(['spec', 'parameters'], true);
  if (params !== undefined && params !== null && !isMap(params)) refuse('objects', 'spec.parameters is not a map');
  const p = (isMap(params) ? (params.toJSON() as Record<string, unknown>) : {}) ?? {};
  const text = (key: string) => (p[key] === undefined || p[key] === null ? undefined : String(p[key]));
  if (text('usePodIdentity')?.toLowerCase() === 'true') refuse('identity-mode', 'it uses pod identity (usePodIdentity: "true"), not a workload identity');
  if (text('useVMManagedIdentity')?.toLowerCase() === 'true') refuse('identity-mode', "it uses the nodes' managed identity (useVMManagedIdentity: \"true\"), not a workload identity");
  const same = (key: string, wanted: string, kind: RefusalKind, what: string) => {
    const have = text(key);
    if (have !== undefined && have !== '' && have.toLowerCase() !== wanted.toLowerCase()) refuse(kind, `it reads ${what} ${have}, not ${wanted} (one SecretProviderClass holds one vault and identity)`);
  };
  same('keyvaultName', mount.keyvaultName, 'vault', 'the vault');
  same('clientID', mount.clientID, 'identity', 'with the identity');
  same('tenantId', mount.tenantId, 'tenant', 'in the tenant');

  const entries = readObjects(p.objects, refuse);
  const wantedName = mount.objectName.toLowerCase();
  const listed = entries.find((e) => e.objectName.toLowerCase() === wantedName && e.objectType === 'secret');
  if (listed) return { change: 'unchanged', name: existingName, fileName: listed.fileName };
  const taken = entries.find((e) => e.fileName === fileNameOf(mount));
  if (taken) refuse('file-name-taken', `the file name ${fileNameOf(mount)} in the mount is already that of ${taken.objectType} ${taken.objectName}; give the secret another alias`);

  // Fill what a workload-identity manifest needs and is missing; what is there stays as written.
  const set = (key: string, value: string) => {
    if (text(key) === undefined || text(key) === '') doc.setIn(['spec', 'parameters', key], value);
  };
  set('usePodIdentity', 'false');
  set('clientID', mount.clientID);
  set('keyvaultName', mount.keyvaultName);
  set('tenantId', mount.tenantId);
  setObjects(doc, p.objects, objectEntry(mount));

  const [start, , end] = doc.range;
  const edited = current.slice(0, index === 0 ? 0 : start) + doc.toString(TO_STRING) + current.slice(end);
  return { change: 'added', text: edited, name: existingName, fileName: fileNameOf(mount) };
}

interface ObjectEntry {
  objectName: string;
  objectType: string;
  fileName: string;
}

function kindOf(doc: { toJS(): unknown }): string | undefined {
  const js = doc.toJS() as { kind?: unknown } | null;
  return js && typeof js === 'object' && typeof js.kind === 'string' ? js.kind : undefined;
}

function readObjects(objects: unknown, refuse: (kind: RefusalKind, reason: string) => never): ObjectEntry[] {
  if (objects === undefined || objects === null || objects === '') return [];
  if (typeof objects !== 'string') return refuse('objects', 'spec.parameters.objects is not a string (the provider reads it as YAML text)');
  const inner = parseDocument(objects);
  if (inner.errors.length) return refuse('objects', 'spec.parameters.objects is not valid YAML');
  const array = inner.get('array', true);
  if (array === undefined || array === null) return inner.contents === null ? [] : refuse('objects', 'spec.parameters.objects has no array');
  if (!isSeq(array)) return refuse('objects', 'spec.parameters.objects.array is not a list');
  return array.items.map((item, i) => {
    const raw = isScalar(item) ? item.value : undefined;
    const entry = typeof raw === 'string' ? (parseDocument(raw).toJS() as Record<string, unknown> | null) : null;
    if (!entry || typeof entry !== 'object' || typeof entry.objectName !== 'string') return refuse('objects', `object ${i + 1} of spec.parameters.objects has no objectName`);
    const alias = typeof entry.objectAlias === 'string' && entry.objectAlias !== '' ? entry.objectAlias : undefined;
    return { objectName: entry.objectName, objectType: String(entry.objectType ?? ''), fileName: alias ?? entry.objectName };
  });
}

/** Appends the entry to `objects`, keeping the other entries (and comments in the string) as they are. */
function setObjects(doc: Document, objects: unknown, entry: string): void {
  const inner = typeof objects === 'string' && objects.trim() !== '' ? parseDocument(objects) : new Document({ array: [] });
  if (!isSeq(inner.get('array', true))) inner.set('array', inner.createNode([]));
  (inner.get('array', true) as { add(n: unknown): void }).add(blockLiteral(entry));
  const node = doc.getIn(['spec', 'parameters', 'objects'], true);
  const value = inner.toString(TO_STRING);
  if (isScalar(node)) {
    node.value = value;
    node.type = Scalar.BLOCK_LITERAL;
  } else {
    const params = doc.getIn(['spec', 'parameters'], true) as YAMLMap | undefined;
    if (params) params.set('objects', blockLiteral(value));
    else doc.setIn(['spec', 'parameters'], doc.createNode({ objects: blockLiteral(value) }));
  }
}

/** What the deployment must reference for the files to appear: the CSI volume and its mount, as a Deployment fragment. */
export function podSpecHint(providerClassName: string, mountPath = DEFAULT_MOUNT_PATH): string {
  return stringify({
    spec: {
      template: {
        metadata: { labels: { 'azure.workload.identity/use': 'true' } },
        spec: {
          serviceAccountName: '<the service account annotated with azure.workload.identity/client-id>',
          containers: [{ name: '<your container>', volumeMounts: [{ name: VOLUME_NAME, mountPath, readOnly: true }] }],
          volumes: [{ name: VOLUME_NAME, csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: providerClassName } } }],
        },
      },
    },
  });
}

/** For a service without a repository: the manifest, the Deployment fragment and what to do, in words. */
export function mountSnippet(mount: SecretMount, mountPath = DEFAULT_MOUNT_PATH): { file: string; manifest: string; podSpec: string; instructions: string[] } {
  const manifest = newSecretProviderClass(mount);
  const name = secretProviderClassName(mount.service, mount.environment);
  const file = secretProviderClassPath(mount.environment).slice(1);
  return {
    file,
    manifest,
    podSpec: podSpecHint(name, mountPath),
    instructions: [
      `Save the manifest as ${file} next to the service's Kubernetes manifests and apply it in the namespace of its pods (if the service has a SecretProviderClass already, add the object entry to its objects instead).`,
      `Reference it from the Deployment: the CSI volume and its volumeMount below, on pods running as the service account of the workload identity ${mount.clientID}.`,
      `The secret then appears as the file ${mountPath}/${fileNameOf(mount)} in the container; a new version is picked up when the pod restarts (or with the driver's rotation enabled).`,
    ],
  };
}
