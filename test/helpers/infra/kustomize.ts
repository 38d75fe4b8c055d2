/**
 * Builds a kustomization the way `kustomize build` does, for the fields infra/k8s uses (resources,
 * namespace, images, patches by path). Patches are strategic merges on the object of the same
 * kind and name: maps merge, the built-in lists keyed by name (containers, env, volumes, ...) merge
 * item by item, other lists are replaced (kustomize does the same for custom resources). Any other
 * field is refused, so an overlay never relies on something this reader would silently skip; when
 * kubectl is installed, a test compares the result with `kubectl kustomize`.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; [key: string]: unknown };

const KNOWN = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'images', 'patches']);
const CLUSTER_SCOPED = new Set(['Namespace']);
/** Lists that strategic merge patches merge by a key field (Kubernetes' patchMergeKey). */
const MERGE_KEYS: Record<string, string> = { containers: 'name', initContainers: 'name', env: 'name', volumes: 'name', volumeMounts: 'name', ports: 'containerPort' };
const BUILT_IN_GROUPS = /^(v1|apps\/v1|batch\/v1|policy\/v1|autoscaling\/v2|networking\.k8s\.io\/v1)$/;

export function readYamlObjects(file: string): K8sObject[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((d) => {
    if (d.errors.length) throw new Error(`${file}: ${d.errors[0]!.message}`);
    return d.toJS() as K8sObject;
  }).filter(Boolean);
}

export function kustomize(dir: string): K8sObject[] {
  const k = readYamlObjects(path.join(dir, 'kustomization.yaml'))[0] as unknown as { resources?: string[]; namespace?: string; images?: { name: string; newName?: string; newTag?: string }[]; patches?: { path?: string }[] };
  const unknown = Object.keys(k).filter((key) => !KNOWN.has(key));
  if (unknown.length) throw new Error(`${dir}/kustomization.yaml: this reader does not apply ${unknown.join(', ')}`);
  let objects = (k.resources ?? []).flatMap((r) => {
    const full = path.join(dir, r);
    return statSync(full).isDirectory() ? kustomize(full) : readYamlObjects(full);
  });
  for (const patch of k.patches ?? []) {
    if (!patch.path || Object.keys(patch).length !== 1) throw new Error(`${dir}: only patches by path are applied`);
    for (const p of readYamlObjects(path.join(dir, patch.path))) {
      const i = objects.findIndex((o) => o.kind === p.kind && o.metadata.name === p.metadata.name);
      if (i < 0) throw new Error(`${dir}/${patch.path}: no ${p.kind} ${p.metadata.name} to patch`);
      objects[i] = merge(objects[i], p, BUILT_IN_GROUPS.test(p.apiVersion)) as K8sObject;
    }
  }
  if (k.namespace) objects = objects.map((o) => (CLUSTER_SCOPED.has(o.kind) ? o : { ...o, metadata: { ...o.metadata, namespace: k.namespace } }));
  for (const image of k.images ?? []) for (const o of objects) for (const c of containersOf(o)) {
    if (c.image === image.name || c.image.startsWith(`${image.name}:`)) c.image = `${image.newName ?? image.name}${image.newTag ? `:${image.newTag}` : ''}`;
  }
  return objects;
}

export function containersOf(o: K8sObject): { name: string; image: string; [key: string]: unknown }[] {
  const spec = o.spec as { template?: { spec?: { containers?: []; initContainers?: [] } } } | undefined;
  return [...(spec?.template?.spec?.containers ?? []), ...(spec?.template?.spec?.initContainers ?? [])];
}

function merge(base: unknown, patch: unknown, builtIn: boolean, key?: string): unknown {
  if (Array.isArray(base) && Array.isArray(patch)) {
    const by = builtIn && key ? MERGE_KEYS[key] : undefined;
    if (!by) return patch;
    const out = [...base] as Record<string, unknown>[];
    for (const item of patch as Record<string, unknown>[]) {
      const i = out.findIndex((b) => b[by] === item[by]);
      if (i < 0) out.push(item);
      else out[i] = merge(out[i], item, builtIn) as Record<string, unknown>;
    }
    return out;
  }
  if (isMap(base) && isMap(patch)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(patch)) out[k] = v === null ? undefined : k in base ? merge(base[k], v, builtIn, k) : v;
    return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
  }
  return patch;
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
