/**
 * "create secret": the request checked (service from the catalog, environment with a vault, name by
 * convention and Key Vault's rules, expiry), who may (members of the owning team or platform groups,
 * decided again at every step), and the plan. Then either the job at once, or, for production, an
 * approval by another member of the owning team first. A generated value is made inside the job's
 * step that writes it (never stored waiting); a typed value goes from the Teams dialog straight to
 * Key Vault (`storeTyped`), after which the job does the rest. Every action audited, never the value.
 */
import type { Actor, TeamAccessPolicy } from '../access/team-access.policy';
import type { ApprovalService } from '../approvals/approval.service';
import type { ApprovalSummary } from '../approvals/approval.types';
import { sameId } from '../approvals/approval.types';
import type { AuditLog } from '../audit/audit.port';
import type { CatalogStore } from '../catalog/catalog-store.port';
import type { CatalogEntity } from '../catalog/catalog.types';
import { DomainError } from '../domain-error';
import type { JobRunner } from '../jobs/job-runner';
import type { Job, JsonObject } from '../jobs/jobs.types';
import { CREATE_SECRET_JOB, REQUEST_TAG, type CreateSecretJobInput } from './create-secret.job';
import { pipelineLinkFor, type PipelineLinkSettings } from './pipeline-link';
import { vaultSecretName } from './secret-naming';
import { parseExpiry, parsePeriodDays, type SecretInput, type ValueSource } from './secret-request';
import type { SecretStore } from './secret-store.port';
import type { SecretValue } from './secret-value';
import { afterConfirm, approvedFollowUp, approvedPlan, checkTypedValue, storeTypedOnce, type SecretConfirmOutcome } from './secret-approval';
import { vaultFor, type VaultSettings } from './secret-vaults';
import { SECRET_FLOW, type SecretPlan, type SecretServiceRef } from './secrets.types';

export interface SecretSettings {
  vaults: VaultSettings;
  /** `{service}--{env}--{name}`. */
  convention: string;
  /** Environments whose secrets need another owner's approval. */
  approvalEnvironments: readonly string[];
  /** Days until a new secret expires when the request names none (null: no expiry). */
  defaultExpiryDays: number | null;
  /** Present when secret pipeline variables can be linked (Azure DevOps configured). */
  pipelineLinks?: PipelineLinkSettings;
}

/** Finds a service (catalog Component) by name or ref; suggests close names. */
export interface ServiceFinder {
  find(text: string): Promise<CatalogEntity | null>;
  suggest(text: string): string[];
}

/** What the secret flows' services (create, rotate and the rest) need besides their store and settings. */
export interface SecretFlowDeps {
  services: ServiceFinder;
  catalog: Pick<CatalogStore, 'get'>;
  policy: Pick<TeamAccessPolicy, 'canActFor'>;
  approvals?: Pick<ApprovalService, 'request' | 'get'>;
  jobs: Pick<JobRunner, 'enqueue' | 'findByKey' | 'get' | 'retry'>;
  audit: AuditLog;
  /** Tells an approved production request's requester to type the value (the chat edge sends the dialog button). */
  askForValue?(approvalId: string, plan: SecretPlan): Promise<void>;
  clock?: () => Date;
}

export interface CreateSecretDeps extends SecretFlowDeps {
  store: Pick<SecretStore, 'setSecret' | 'listVersions' | 'getDeleted'>;
  settings: SecretSettings;
}

export interface SecretPreview {
  plan: SecretPlan;
  summary: ApprovalSummary;
  /** A soft-deleted secret holds the name: offer recover instead. */
  softDeleted: boolean;
}

export type ConfirmOutcome = SecretConfirmOutcome;

export const secretTarget = (plan: Pick<SecretPlan, 'vault' | 'vaultName'>): string => `secret:${plan.vault.name}/${plan.vaultName}`;

export class CreateSecretService {
  private readonly clock: () => Date;

  constructor(private readonly deps: CreateSecretDeps) {
    this.clock = deps.clock ?? (() => new Date());
  }

  get environments(): string[] {
    return [...this.deps.settings.vaults.environments];
  }

  /** The plan, or DomainError SECRETS.REQUEST_INVALID with every problem in words. Changes nothing. */
  async preview(input: SecretInput, requester: Actor): Promise<SecretPreview> {
    const problems: string[] = [];
    const missing = (['service', 'env', 'name'] as const).filter((f) => !input[f]?.trim());
    if (missing.length) problems.push(`missing: ${missing.join(', ')}`);
    const entity = input.service?.trim() ? await this.deps.services.find(input.service) : null;
    if (input.service?.trim() && !entity) {
      const close = this.deps.services.suggest(input.service);
      problems.push(`service: there is no service "${input.service.trim()}" in the catalog${close.length ? ` (did you mean ${close.join(', ')}?)` : ''}`);
    }
    if (entity && !entity.owner) problems.push(`service: ${entity.name} has no owner in the catalog, so nobody may create its secrets`);
    const env = input.env?.trim().toLowerCase();
    const prefix = entity ? (entity.source.secretPrefix ?? entity.name) : 'service';
    const vault = env ? vaultFor(this.deps.settings.vaults, prefix, env) : null;
    if (vault && 'reason' in vault) problems.push(`env: ${vault.reason}`);
    const named = input.name?.trim() ? vaultSecretName(this.deps.settings.convention, { service: prefix, env: env ?? 'env', name: input.name }) : null;
    if (named && !named.ok) problems.push(`name "${input.name!.trim()}": ${named.reasons.join(', ')}${named.suggestion ? ` (try ${named.suggestion})` : ''}`);
    const now = this.clock();
    const expiry = input.expires?.trim() ? parseExpiry(input.expires, now) : null;
    if (expiry && !expiry.ok) problems.push(`expires: ${expiry.reason}`);
    const rotationDays = input.rotate?.trim() ? parsePeriodDays(input.rotate) : undefined;
    if (input.rotate?.trim() && (rotationDays === null || rotationDays! < 1)) problems.push(`rotate: "${input.rotate}" is not a period such as 90d or 6m`);
    const linked = input.pipeline?.trim() && entity && env && named?.ok ? pipelineLinkFor({ name: entity.name, ...(entity.source.repository ? { repository: entity.source.repository } : {}) }, env, named.vaultName, this.deps.settings.pipelineLinks) : undefined;
    if (linked && 'reason' in linked) problems.push(`pipeline: ${linked.reason}`);
    if (problems.length || !entity || !env || !named?.ok || !vault || 'reason' in vault) throw new DomainError('SECRETS.REQUEST_INVALID', `secret request refused: ${problems.join('; ')}`, { problems });

    const owner = await this.authorize(requester, entity, 'secret.create');
    const defaultExpiry = this.deps.settings.defaultExpiryDays;
    const expiresOn = expiry?.ok ? expiry.at : defaultExpiry ? new Date(now.getTime() + defaultExpiry * 86_400_000) : undefined;
    const service: SecretServiceRef = {
      ref: entity.ref,
      name: entity.name,
      ownerRef: owner.ref,
      ownerName: owner.profile?.displayName ?? owner.title ?? owner.name,
      ...(entity.source.repository ? { repository: { project: entity.source.repository.project, name: entity.source.repository.name } } : {}),
      ...(entity.source.workloadIdentity?.clientId ? { workloadClientId: entity.source.workloadIdentity.clientId } : {}),
    };
    const plan: SecretPlan = {
      service,
      env,
      name: input.name!.trim(),
      vaultName: named.vaultName,
      vault: { url: vault.url, name: vault.name, resourceId: vault.resourceId },
      accessScope: vault.scopeFor(named.vaultName),
      ...(expiresOn ? { expiresOn: expiresOn.toISOString() } : {}),
      ...(rotationDays ? { rotationDays } : {}),
      valueSource: (input.value as ValueSource | undefined) ?? 'generate',
      needsApproval: this.deps.settings.approvalEnvironments.includes(env),
      requester: { id: requester.id, name: requester.name },
      ...(linked && 'link' in linked ? { link: linked.link } : {}),
    };
    const softDeleted = Boolean(await this.deps.store.getDeleted(vault.url, named.vaultName));
    return { plan, summary: secretSummary(plan), softDeleted };
  }

  /**
   * The requester confirmed: checked again now; production asks another owner first; a typed value
   * asks for the dialog; otherwise the job starts. `previewId` makes a double click meet the same.
   */
  async confirm(input: SecretInput, requester: Actor, previewId: string, notify: JsonObject, activityId?: string): Promise<ConfirmOutcome> {
    const { plan, summary, softDeleted } = await this.preview(input, requester);
    if (softDeleted) throw new DomainError('SECRETS.SOFT_DELETED', `${plan.vaultName} is soft-deleted in ${plan.vault.name}`, { vault: plan.vault.name, name: plan.vaultName });
    const requestKey = `${requester.id.toLowerCase()}:${previewId}`;
    await this.auditPlan(requester, 'secret.create.confirm', plan, 'success', { requestKey });
    return afterConfirm(this.deps.approvals, { flow: SECRET_FLOW, requestKey, subjectKey: secretTarget(plan), plan, summary, requester, ...(activityId ? { activityId } : {}) }, notify, (...args) => this.startJob(...args));
  }

  /** The approvals follow-up: an approved production secret is generated by its job now, or waits for the requester's typed value. */
  readonly followUp = approvedFollowUp(SECRET_FLOW, (...args) => this.startJob(...args), (id, plan) => this.deps.askForValue?.(id, plan));

  /**
   * The value typed in the Teams dialog, straight to Key Vault, then the job for the rest. The plan
   * is never taken from the client: it is worked out again from the request (and policy checked
   * again now), or, for production, read from the approved request. Only the requester may; a
   * second submit finds the version already written and writes nothing.
   */
  async storeTyped(from: { input: SecretInput; previewId: string } | { approvalId: string }, value: SecretValue, actor: Actor, notify: JsonObject): Promise<Job> {
    checkTypedValue(value);
    const { plan, requestKey, approvedBy } = 'approvalId' in from ? await this.approvedPlan(from.approvalId, actor) : await this.directPlan(from.input, from.previewId, actor);
    checkTypedValue(value, plan, requestKey);
    const stored = await storeTypedOnce(this.deps.store, plan, requestKey, value, secretTags(plan, requestKey, this.clock()), this.clock());
    if (stored) await this.auditPlan(actor, 'secret.create.store', plan, 'success', { version: stored.version, source: 'typed' });
    return this.startJob(plan, requestKey, notify, approvedBy, 'approvalId' in from ? from.approvalId : requestKey);
  }

  /** A non-production request with a typed value: the plan again, from what the requester asked. */
  private async directPlan(input: SecretInput, previewId: string, actor: Actor): Promise<{ plan: SecretPlan; requestKey: string; approvedBy?: { id: string; name: string } }> {
    const { plan } = await this.preview(input, actor);
    if (plan.needsApproval) throw new DomainError('SECRETS.NOT_APPROVED', `${plan.vaultName} needs an approval first`, { name: plan.vaultName });
    return { plan, requestKey: `${actor.id.toLowerCase()}:${previewId}` };
  }

  /** A production request: the plan stored with its approval, which must be approved, by someone else, and asked by this actor. */
  private async approvedPlan(approvalId: string, actor: Actor): Promise<{ plan: SecretPlan; requestKey: string; approvedBy?: { id: string; name: string } }> {
    const approved = await approvedPlan(this.deps.approvals, SECRET_FLOW, approvalId, actor);
    const entity = await this.deps.catalog.get(approved.plan.service.ref);
    if (!entity) throw new DomainError('SECRETS.SERVICE_GONE', `${approved.plan.service.ref} left the catalog`, { service: approved.plan.service.name });
    await this.authorize(actor, entity, 'secret.create');
    return approved;
  }

  jobOf(requestKey: string): Promise<Job | null> {
    return this.deps.jobs.findByKey(CREATE_SECRET_JOB, requestKey);
  }

  /** Retry of a failed job: the requester, policy decided again. */
  async retry(jobId: string, actor: Actor): Promise<Job> {
    const job = await this.deps.jobs.get(jobId);
    if (!job || job.type !== CREATE_SECRET_JOB) throw new DomainError('JOB.NOT_FOUND', `no secret job ${jobId}`, { jobId });
    const { plan } = job.input as unknown as CreateSecretJobInput;
    if (!sameId(plan.requester.id, actor.id)) throw new DomainError('SECRETS.NOT_REQUESTER', `${actor.id} may not retry ${jobId}`, { requester: plan.requester.name });
    return this.deps.jobs.retry(jobId, actor.id);
  }

  /** `jobKey`: the request key, or the approval's id for an approved one (its card shows the steps). */
  private async startJob(plan: SecretPlan, requestKey: string, notify: JsonObject, approvedBy?: { id: string; name: string }, jobKey = requestKey): Promise<Job> {
    const input: CreateSecretJobInput = { plan, requestKey, target: secretTarget(plan), ...(approvedBy ? { approvedBy } : {}) };
    const { job } = await this.deps.jobs.enqueue({ type: CREATE_SECRET_JOB, idempotencyKey: jobKey, input, context: notify, requestedBy: plan.requester.id });
    return job;
  }

  /** The owning team of the service, if the actor may act for it; refusal audited otherwise. */
  private async authorize(actor: Actor, service: CatalogEntity, action: string): Promise<CatalogEntity> {
    const owner = service.owner ? await this.deps.catalog.get(service.owner) : null;
    if (!owner || owner.kind !== 'Group') throw new DomainError('SECRETS.NO_OWNER', `${service.ref} has no owning team`, { service: service.name });
    const decision = await this.deps.policy.canActFor(actor, owner);
    if (decision.allowed) return owner;
    await this.deps.audit.record({ actor: actor.id, actorName: actor.name, action, target: service.ref, result: 'denied', details: { reason: decision.reason } });
    throw new DomainError('SECRETS.NOT_ALLOWED', `${actor.id} may not manage secrets of ${service.ref}`, { reason: decision.reason });
  }

  private auditPlan(actor: Actor, action: string, plan: SecretPlan, result: 'success' | 'failure' | 'denied', details: Record<string, unknown>): Promise<void> {
    return this.deps.audit.record({ actor: actor.id, actorName: actor.name, action, target: secretTarget(plan), result, details: { service: plan.service.name, env: plan.env, name: plan.vaultName, ...details } });
  }
}

/** The tags every version carries (the request tag makes a re-run find what it wrote). */
export function secretTags(plan: SecretPlan, requestKey: string, now: Date): Record<string, string> {
  return {
    service: plan.service.name,
    environment: plan.env,
    'owner-team': plan.service.ownerName,
    'created-by': plan.requester.name,
    'created-at': now.toISOString(),
    ...(plan.expiresOn ? { expires: plan.expiresOn.slice(0, 10) } : {}),
    ...(plan.rotationDays ? { 'rotation-days': String(plan.rotationDays) } : {}),
    [REQUEST_TAG]: requestKey,
  };
}

export function secretSummary(plan: SecretPlan): ApprovalSummary {
  return {
    title: `Create secret ${plan.vaultName} for ${plan.service.name} (${plan.env})`,
    facts: [
      { label: 'Service', value: `${plan.service.name}, owned by ${plan.service.ownerName}` },
      { label: 'Vault', value: `${plan.vault.name} (${plan.vault.url})` },
      { label: 'Stored as', value: plan.vaultName },
      { label: 'Value', value: plan.valueSource === 'generate' ? 'generated at random when it is created; nobody sees it' : 'typed by the requester in a private dialog, after approval' },
      { label: 'Expires', value: plan.expiresOn ? plan.expiresOn.slice(0, 10) : 'never' },
      ...(plan.rotationDays ? [{ label: 'Rotate every', value: `${plan.rotationDays} days` }] : []),
      { label: 'Read by', value: plan.service.workloadClientId ? `the workload identity ${plan.service.workloadClientId} (Key Vault Secrets User at ${plan.accessScope.includes('/secrets/') ? 'this secret' : 'the vault'})` : 'nobody yet: the service has no workload identity in the catalog' },
      { label: 'Mounted by', value: plan.service.repository ? `a pull request on ${plan.service.repository.project}/${plan.service.repository.name} (SecretProviderClass)` : 'a snippet to add to the deployment (no repository in the catalog)' },
      ...(plan.link ? [{ label: 'Pipelines', value: `read it as $(${plan.link.variable}) from the Key Vault variable group ${plan.link.group} (${plan.link.project}), and a pull request makes the ${plan.link.stage} stage read that group` }] : []),
      ...(plan.needsApproval ? [{ label: 'Approval', value: `another member of ${plan.service.ownerName}` }] : []),
    ],
  };
}
