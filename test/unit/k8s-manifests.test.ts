/**
 * infra/k8s, offline: every base and overlay object validated with kubernetes-models (and its
 * Gateway API models; the Secrets Store CSI SecretProviderClass has no model on the registry, so
 * its shape is checked here and by the bot's own SecretProviderClass reader), overlays built the
 * way kustomize does (compared with `kubectl kustomize` when kubectl is installed), and the
 * objects checked against the code: probes on routes src/server.ts serves, env names in
 * src/config.ts, one port from Service to container, the Dockerfile's command, the identity.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { parse } from 'yaml';
import { HTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { describeConfig, loadConfig } from '../../src/config';
import { addSecretToProviderClass } from '../../src/domain/secrets/secret-provider-class';
import { containersOf, kustomize, type K8sObject } from '../helpers/infra/kustomize';
import { ROOT, serverRoutes, startCommand } from '../helpers/infra/start-command';

const K8S = path.join(ROOT, 'infra', 'k8s');
const overlays = readdirSync(path.join(K8S, 'overlays'));
const builds: [string, K8sObject[]][] = [['base', kustomize(path.join(K8S, 'base'))], ...overlays.map((o): [string, K8sObject[]] => [o, kustomize(path.join(K8S, 'overlays', o))])];
const CONFIG_KEYS = new Set(describeConfig().map((d) => d.key));
const DEFAULTS = loadConfig({ BOT_MODE: 'test' });
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/Namespace': Namespace, 'v1/ServiceAccount': ServiceAccount, 'v1/ConfigMap': ConfigMap, 'v1/Service': Service,
  'apps/v1/Deployment': Deployment, 'batch/v1/Job': Job, 'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler, 'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'gateway.networking.k8s.io/v1/HTTPRoute': HTTPRoute,
};

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const find = (objects: K8sObject[], kind: string, name?: string): Any => {
  const found = objects.filter((o) => o.kind === kind && (!name || o.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}`);
  return found[0] as Any;
};
const dockerCmd = (() => {
  const d = DockerfileParser.parse(readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'));
  return JSON.parse(d.getCMDs().at(-1)!.getArgumentsContent()!) as string[];
})();

describe.each(builds)('infra/k8s %s', (_name, objects) => {
  const deployment = find(objects, 'Deployment');
  const pod = deployment.spec.template;
  const bot = pod.spec.containers[0];
  const config = find(objects, 'ConfigMap', 'idp-bot-config').data as Record<string, string>;
  const spc = find(objects, 'SecretProviderClass');
  const job = find(objects, 'Job');

  test('every object validates against its Kubernetes (or Gateway API) schema', () => {
    for (const o of objects.filter((x) => x.kind !== 'SecretProviderClass')) {
      const Model = MODELS[`${o.apiVersion}/${o.kind}`];
      expect([o.kind, Boolean(Model)]).toEqual([o.kind, true]);
      expect(() => new Model!(o as never).validate()).not.toThrow();
    }
  });

  test('the SecretProviderClass is a valid Azure provider class the bot\'s own reader accepts for every object', () => {
    expect(spc.apiVersion).toBe('secrets-store.csi.x-k8s.io/v1');
    expect(spc.spec.provider).toBe('azure');
    const params = spc.spec.parameters as Record<string, string>;
    for (const key of ['clientID', 'keyvaultName', 'tenantId', 'objects']) expect(typeof params[key]).toBe('string');
    expect(params.usePodIdentity).toBe('false');
    const listed = (parse(params.objects!).array as string[]).map((o) => parse(o) as { objectName: string; objectType: string });
    expect(listed.every((o) => o.objectType === 'secret')).toBe(true);
    const text = JSON.stringify(spc);
    for (const { objectName } of listed) {
      const edit = addSecretToProviderClass(text, { service: 'idp-bot', environment: 'prod', keyvaultName: params.keyvaultName!, tenantId: params.tenantId!, clientID: params.clientID!, objectName });
      expect([objectName, edit.change]).toEqual([objectName, 'unchanged']);
    }
    const synced = spc.spec.secretObjects as { secretName: string; type: string; data: { objectName: string; key: string }[] }[];
    expect(synced).toHaveLength(1);
    for (const d of synced[0]!.data) expect(listed.map((o) => o.objectName)).toContain(d.objectName);
  });

  test('3 replicas spread across nodes, a disruption budget and an autoscaler that keep at least 2 serving', () => {
    expect(deployment.spec.replicas).toBe(3);
    expect(pod.spec.topologySpreadConstraints).toContainEqual(expect.objectContaining({ topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', maxSkew: 1 }));
    const labels = pod.metadata.labels;
    for (const c of pod.spec.topologySpreadConstraints) expect(labels).toMatchObject(c.labelSelector.matchLabels);
    const pdb = find(objects, 'PodDisruptionBudget');
    expect(labels).toMatchObject(pdb.spec.selector.matchLabels);
    expect(pdb.spec.minAvailable).toBeGreaterThanOrEqual(2);
    expect(pdb.spec.minAvailable).toBeLessThan(deployment.spec.replicas);
    const hpa = find(objects, 'HorizontalPodAutoscaler');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name });
    expect(hpa.spec.minReplicas).toBe(deployment.spec.replicas);
    expect(hpa.spec.maxReplicas).toBeGreaterThanOrEqual(hpa.spec.minReplicas);
  });

  test('probes call routes src/server.ts serves: liveness and startup /healthz, readiness /readyz', () => {
    const gets = serverRoutes().filter((r) => r.method === 'GET').map((r) => r.path);
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) expect(gets).toContain(bot[probe].httpGet.path);
    expect(bot.livenessProbe.httpGet.path).toBe('/healthz');
    expect(bot.readinessProbe.httpGet.path).toBe('/readyz');
    expect(bot.startupProbe.httpGet.path).toBe('/healthz');
  });

  test('one port: PORT (config default) = containerPort = Service targetPort = route and probe ports; metrics scraped there', () => {
    const port = DEFAULTS.PORT;
    expect(Number(config.PORT ?? port)).toBe(port);
    const container = bot.ports.find((p: Any) => p.name === 'http');
    expect(container.containerPort).toBe(port);
    const service = find(objects, 'Service');
    expect(pod.metadata.labels).toMatchObject(service.spec.selector);
    const servicePort = service.spec.ports[0];
    const target = typeof servicePort.targetPort === 'string' ? bot.ports.find((p: Any) => p.name === servicePort.targetPort)?.containerPort : servicePort.targetPort;
    expect(target).toBe(port);
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) expect(['http', port]).toContain(bot[probe].httpGet.port);
    const route = find(objects, 'HTTPRoute');
    expect(route.spec.rules.flatMap((r: Any) => r.backendRefs)).toEqual([{ name: service.metadata.name, port: servicePort.port }]);
    expect(pod.metadata.annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(port), 'prometheus.io/path': '/metrics' });
  });

  test('the route publishes /api/messages only, on the host of PUBLIC_URL', () => {
    const route = find(objects, 'HTTPRoute');
    const matches = route.spec.rules.flatMap((r: Any) => r.matches);
    expect(matches).toEqual([{ path: { type: 'Exact', value: '/api/messages' } }]);
    expect(serverRoutes()).toContainEqual({ method: 'POST', path: '/api/messages' });
    expect(route.spec.hostnames).toEqual([new URL(config.PUBLIC_URL!).hostname]);
  });

  test('pods run non-root, without privilege escalation or capabilities, on a read-only root with RuntimeDefault seccomp', () => {
    for (const spec of [pod.spec, job.spec.template.spec]) {
      expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(spec.securityContext.runAsUser).toBeGreaterThan(0);
      for (const c of spec.containers) expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    }
  });

  test('every env name is a key of src/config.ts; secrets come from the Secret the SecretProviderClass syncs', () => {
    const synced = spc.spec.secretObjects[0];
    for (const container of [bot, job.spec.template.spec.containers[0]]) {
      for (const ref of container.envFrom) expect(ref.configMapRef.name).toBe('idp-bot-config');
      for (const e of container.env) {
        expect([e.name, CONFIG_KEYS.has(e.name)]).toEqual([e.name, true]);
        expect(e.valueFrom.secretKeyRef.name).toBe(synced.secretName);
        expect(synced.data.map((d: Any) => d.key)).toContain(e.valueFrom.secretKeyRef.key);
      }
    }
    for (const key of Object.keys(config)) expect([key, CONFIG_KEYS.has(key)]).toEqual([key, true]);
    for (const d of synced.data) expect([d.key, CONFIG_KEYS.has(d.key)]).toEqual([d.key, true]);
  });

  test('the configuration parses as a production configuration of src/config.ts', () => {
    const secrets = Object.fromEntries(spc.spec.secretObjects[0].data.map((d: Any) => [d.key, 'placeholder']));
    secrets.MONGODB_URI = 'mongodb://db.example.com:27017';
    const parsed = loadConfig({ ...config, ...secrets });
    expect(parsed.mode).toBe('production');
    expect(parsed.MicrosoftAppType).toBe('UserAssignedMSI');
  });

  test('one identity: the service account\'s client id is the bot\'s app id, AZURE_CLIENT_ID and the CSI driver\'s clientID', () => {
    const sa = find(objects, 'ServiceAccount');
    const clientId = sa.metadata.annotations['azure.workload.identity/client-id'];
    expect(clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(config.AZURE_CLIENT_ID).toBe(clientId);
    expect(config.MicrosoftAppId).toBe(clientId);
    expect(spc.spec.parameters.clientID).toBe(clientId);
    expect(spc.spec.parameters.tenantId).toBe(config.AZURE_TENANT_ID);
    expect(config.MicrosoftAppTenantId).toBe(config.AZURE_TENANT_ID);
    for (const spec of [pod, job.spec.template]) {
      expect(spec.spec.serviceAccountName).toBe(sa.metadata.name);
      expect(spec.metadata.labels['azure.workload.identity/use']).toBe('true');
    }
  });

  test('the container runs the Dockerfile\'s command; the migration Job runs node dist/src/db-migrate.js from the same image', () => {
    expect(bot.command === undefined || JSON.stringify([...bot.command, ...(bot.args ?? [])]) === JSON.stringify(dockerCmd)).toBe(true);
    expect(dockerCmd).toEqual(startCommand().argv);
    const migrate = job.spec.template.spec.containers[0];
    expect(migrate.command).toEqual(['node', 'dist/src/db-migrate.js']);
    expect(existsSync(path.join(ROOT, 'src', 'db-migrate.ts'))).toBe(true);
    expect(migrate.image).toBe(bot.image);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    expect(job.spec.backoffLimit).toBeGreaterThan(0);
  });

  test('`kubectl apply -l idp.dev/migration=needed` selects the Job and everything it needs, not the bot', () => {
    const selected = objects.filter((o) => o.metadata.labels?.['idp.dev/migration'] === 'needed').map((o) => o.kind).sort();
    const expected = ['ConfigMap', 'Job', 'SecretProviderClass', 'ServiceAccount', ...(objects.some((o) => o.kind === 'Namespace') ? ['Namespace'] : [])].sort();
    expect(selected).toEqual(expected);
  });

  test('memory sized from the measured 340-375 MB of a 100,000-entity replica; no write outside /tmp', () => {
    const mib = (q: string) => Number(/^(\d+)Mi$/.exec(q)![1]);
    expect(mib(bot.resources.requests.memory)).toBeGreaterThanOrEqual(375);
    expect(mib(bot.resources.limits.memory)).toBeGreaterThan(mib(bot.resources.requests.memory));
    const writable = bot.volumeMounts.filter((m: Any) => !m.readOnly).map((m: Any) => m.mountPath);
    expect(writable).toEqual(['/tmp']);
    expect(pod.spec.volumes.find((v: Any) => v.name === 'tmp').emptyDir).toBeDefined();
  });

  test('the grace period covers preStop, draining turns and handing jobs back (each up to SHUTDOWN_GRACE_MS)', () => {
    const graceMs = Number(config.SHUTDOWN_GRACE_MS ?? DEFAULTS.SHUTDOWN_GRACE_MS);
    const preStop = Number(bot.lifecycle.preStop.exec.command.at(-1));
    expect(pod.spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(preStop + (2 * graceMs) / 1000 + 5);
  });

  test('network policy: in on the bot\'s port, out to DNS, HTTPS and the store only', () => {
    const policy = find(objects, 'NetworkPolicy');
    expect(pod.metadata.labels).toMatchObject(policy.spec.podSelector.matchLabels);
    expect([...policy.spec.policyTypes].sort()).toEqual(['Egress', 'Ingress']);
    expect(policy.spec.ingress.flatMap((r: Any) => r.ports.map((p: Any) => p.port))).toEqual([DEFAULTS.PORT]);
    const out = policy.spec.egress.flatMap((r: Any) => r.ports.map((p: Any) => `${p.protocol}/${p.port}`)).sort();
    expect(out).toEqual(['TCP/10260', 'TCP/27017', 'TCP/443', 'TCP/53', 'UDP/53']);
  });
});

describe('overlays', () => {
  test('each overlay sets the namespace and an image from a registry', () => {
    expect(overlays.length).toBeGreaterThanOrEqual(2);
    for (const [name, objects] of builds.slice(1)) {
      for (const o of objects.filter((x) => x.kind !== 'Namespace')) expect([name, o.kind, o.metadata.namespace]).toEqual([name, o.kind, 'idp-bot']);
      for (const c of objects.flatMap(containersOf)) expect(c.image).toMatch(/^[a-z0-9.-]+\/idp-bot:[\w.-]+$/);
    }
  });

  const kubectl = (() => {
    try {
      execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  if (!kubectl) console.warn('infra/k8s: kubectl is not installed here, so the overlays are built by the test\'s own reader only (not compared with kubectl kustomize).');
  (kubectl ? test : test.skip).each(overlays)('kubectl kustomize %s gives the same objects as the test\'s reader', (overlay) => {
    const out = execFileSync('kubectl', ['kustomize', path.join(K8S, 'overlays', overlay)], { encoding: 'utf8' });
    const key = (o: K8sObject) => `${o.kind}/${o.metadata.name}`;
    const real = Object.fromEntries(out.split(/^---$/m).map((d) => parse(d) as K8sObject).filter(Boolean).map((o) => [key(o), o]));
    const ours = Object.fromEntries(builds.find(([n]) => n === overlay)![1].map((o) => [key(o), o]));
    expect(ours).toEqual(real);
  });
});
