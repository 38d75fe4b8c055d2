/**
 * Facts recorded from outside the descriptors: deployments (a pipeline's deploy stage calls the
 * HTTP endpoint) and who is on call (a rota tool). Input is validated with clear reasons, the
 * service is found by name or ref, the change is written and audited. Descriptor imports never
 * overwrite these facts. Only entities of kinds that deploy take them (Component and Resource
 * unless configured): a deployment recorded on a System or an API would show on no card.
 */
import { z } from 'zod';
import type { AuditLog } from '../audit/audit.port';
import { DomainError } from '../domain-error';
import type { CatalogStore } from './catalog-store.port';
import { DEPLOYMENT_STATUSES, type CatalogEntity, type EntityKind } from './catalog.types';
import { normalizeRef, splitRef } from './entity-refs';

export interface FactsActor {
  /** Who called (e.g. `pipeline:payments-api-deploy`, an AAD object id). */
  id: string;
  name?: string;
}

const name = z.string().trim().min(1, 'is required').max(200, 'is longer than 200 characters');
const date = z.coerce.date({ error: 'must be a date (ISO 8601)' }).refine((d) => !Number.isNaN(d.getTime()), 'must be a date (ISO 8601)');
const person = z.object({
  name,
  email: z.email('must be an email address').optional(),
  aadObjectId: z.string().trim().min(1).max(100).optional(),
});

const deploymentInput = z.object({
  service: name.describe('Entity name (payments-api) or ref (component:default/payments-api).'),
  environment: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'must be a short name like "prod" or "staging" (letters, digits, . _ -)'),
  version: name,
  status: z.enum(DEPLOYMENT_STATUSES, { error: `must be one of ${DEPLOYMENT_STATUSES.join(', ')}` }),
  pipelineRunUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  deployedBy: name.optional(),
  deployedAt: date.optional(),
});
export type DeploymentInput = z.input<typeof deploymentInput>;

const onCallInput = z.object({
  service: name,
  current: person,
  until: date.optional(),
  rotation: name.optional(),
});
export type OnCallInput = z.input<typeof onCallInput>;

/** Kinds a bare name is looked up as, in this order. */
const NAME_KINDS = ['component', 'resource', 'api', 'system'];

/** Kinds that deploy and have someone on call (CATALOG_FACT_KINDS). */
const DEFAULT_FACT_KINDS: readonly EntityKind[] = ['Component', 'Resource'];

export interface CatalogFactsOptions {
  now?: () => Date;
  /** Kinds that accept facts; default DEFAULT_FACT_KINDS. */
  factKinds?: readonly EntityKind[];
}

export class CatalogFactsService {
  private readonly now: () => Date;
  private readonly factKinds: readonly EntityKind[];

  constructor(
    private readonly store: CatalogStore,
    private readonly audit: AuditLog,
    options: CatalogFactsOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.factKinds = options.factKinds?.length ? options.factKinds : DEFAULT_FACT_KINDS;
  }

  async recordDeployment(input: DeploymentInput, actor: FactsActor): Promise<CatalogEntity> {
    const d = parse(deploymentInput, input);
    const entity = await this.resolve(d.service);
    const updated = await this.store.recordDeployment(entity.ref, {
      environment: d.environment,
      version: d.version,
      status: d.status,
      deployedAt: d.deployedAt ?? this.now(),
      ...(d.pipelineRunUrl ? { pipelineRunUrl: d.pipelineRunUrl } : {}),
      ...(d.deployedBy ? { deployedBy: d.deployedBy } : {}),
    });
    if (!updated) throw notFound(d.service);
    await this.audit.record({
      actor: actor.id,
      ...(actor.name ? { actorName: actor.name } : {}),
      action: 'catalog.deployment.record',
      target: entity.ref,
      result: 'success',
      details: { environment: d.environment, version: d.version, status: d.status, ...(d.pipelineRunUrl ? { pipelineRunUrl: d.pipelineRunUrl } : {}) },
    });
    return updated;
  }

  async setOnCall(input: OnCallInput, actor: FactsActor): Promise<CatalogEntity> {
    const o = parse(onCallInput, input);
    const entity = await this.resolve(o.service);
    const current = { ...o.current, ...(o.until ? { until: o.until } : {}) };
    const updated = await this.store.setOnCall(entity.ref, {
      current,
      ...(o.rotation ? { rotation: o.rotation } : {}),
      escalation: [],
      updatedAt: this.now(),
    });
    if (!updated) throw notFound(o.service);
    await this.audit.record({
      actor: actor.id,
      ...(actor.name ? { actorName: actor.name } : {}),
      action: 'catalog.oncall.set',
      target: entity.ref,
      result: 'success',
      details: { current: o.current.name, ...(o.until ? { until: o.until.toISOString() } : {}), ...(o.rotation ? { rotation: o.rotation } : {}) },
    });
    return updated;
  }

  /** A full ref, `namespace/name`, `kind:name`, or a bare name (tried as component, resource, api, system). */
  private async resolve(service: string): Promise<CatalogEntity> {
    let candidates: string[];
    try {
      const hasKind = service.includes(':');
      candidates = hasKind ? [normalizeRef(service, 'component')] : NAME_KINDS.map((k) => normalizeRef(service, k));
    } catch {
      throw new DomainError('CATALOG.INVALID', `service: "${service}" is not an entity name or ref`, { field: 'service' });
    }
    const found = await this.store.getMany(candidates);
    // A name shared by a System and a Component means the Component: prefer kinds that take facts.
    const eligible = found.filter((e) => this.factKinds.includes(e.kind));
    const entity = eligible.find((e) => e.status === 'active') ?? eligible[0];
    if (entity) return entity;
    const other = found[0];
    if (!other) throw notFound(service);
    const problem = `service: ${other.name} (${other.kind}) is not a kind that deploys; facts are accepted for ${this.factKinds.join(', ')}`;
    throw new DomainError('CATALOG.INVALID', problem, { field: 'service', kind: other.kind, problems: [problem] });
  }
}

function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`);
  throw new DomainError('CATALOG.INVALID', `Invalid input: ${problems.join('; ')}`, { problems });
}

const notFound = (service: string) =>
  new DomainError('CATALOG.NOT_FOUND', `No catalog entity "${service}"`, { service, ...(splitRef(service) ? { ref: service } : {}) });
