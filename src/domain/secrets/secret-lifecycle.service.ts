/**
 * A secret's life after "create secret": list a service's secrets (names, environments, versions,
 * expiry, who created them; never values), rotate one (a new version, generated or typed, tagged
 * like create secret, the same expiry period; production approved by another owner first; the
 * previous versions disabled after a grace period), delete one (soft delete) and recover it. Who
 * may: members of the owning team or platform groups, decided again at every step (reading too).
 * Every action audited, never a value.
 */
import { afterConfirm, approvedFollowUp, approvedPlan, checkTypedValue, storeTypedOnce, type SecretConfirmOutcome } from './secret-approval';
import type { Actor } from '../access/team-access.policy';
import type { ApprovalSummary } from '../approvals/approval.types';
import { sameId } from '../approvals/approval.types';
import type { CatalogEntity } from '../catalog/catalog.types';
import { DomainError, isDomainError } from '../domain-error';
import type { Job, JsonObject } from '../jobs/jobs.types';
import { secretTags, secretTarget, type SecretFlowDeps, type SecretSettings } from './create-secret.service';
import { ROTATE_SECRET_JOB, type RotateSecretJobInput } from './rotate-secret.job';
import { splitVaultName, type SecretRefInput } from './secret-ref';
import { vaultSecretName } from './secret-naming';
import { parseExpiry } from './secret-request';
import type { DeletedSecret, SecretProperties, SecretStore } from './secret-store.port';
import type { SecretValue } from './secret-value';
import { vaultFor } from './secret-vaults';
import type { SecretPlan, SecretServiceRef } from './secrets.types';

export const SECRET_ROTATION_FLOW = 'secret-rotation';
const DAY_MS = 86_400_000;

export interface LifecycleSettings extends SecretSettings {
  /** Hours the previous versions stay enabled after a rotation. */
  graceHours: number;
}

export interface SecretLifecycleDeps extends SecretFlowDeps {
  store: SecretStore;
  settings: LifecycleSettings;
}

/** One secret (its latest version) as listed. */
export interface SecretRow {
  env: string;
  vault: string;
  vaultName: string;
  versions: number;
  enabledVersions: number;
  latest: { version: string; enabled: boolean; createdOn?: Date; expiresOn?: Date };
  createdBy?: string;
  createdAt?: string;
  rotationDays?: number;
}

export interface SecretListing {
  service: { name: string; ownerName: string };
  rows: SecretRow[];
  /** Vaults that could not be read, with the reason as a domain error code and params. */
  failures: { env: string; vault: string; code: string; params: Record<string, unknown> }[];
  /** Environments that have no vault for this service. */
  skipped: { env: string; reason: string }[];
}

/** The secret a command is about, checked and authorized. */
export interface SecretTarget {
  service: SecretServiceRef;
  env: string;
  name: string;
  vaultName: string;
  vault: { url: string; name: string; resourceId: string };
  accessScope: string;
}

export interface RotationPreview {
  plan: SecretPlan;
  summary: ApprovalSummary;
  /** The versions that get disabled after the grace period. */
  enabledVersions: string[];
  graceHours: number;
}

export interface DeletePreview {
  target: SecretTarget;
  latest: SecretProperties;
  versions: number;
}

export type RotationOutcome = SecretConfirmOutcome;

export class SecretLifecycleService {
  private readonly clock: () => Date;

  constructor(private readonly deps: SecretLifecycleDeps) {
    this.clock = deps.clock ?? (() => new Date());
  }

  /** Every secret of a service (optionally one environment), latest versions and counts; never a value. */
  async list(serviceText: string, env: string | undefined, actor: Actor): Promise<SecretListing> {
    const entity = await this.findService(serviceText);
    const owner = await this.authorize(actor, entity, 'secret.list');
    const prefix = entity.source.secretPrefix ?? entity.name;
    const envs = env ? [env.trim().toLowerCase()] : [...this.deps.settings.vaults.environments];
    const listing: SecretListing = { service: { name: entity.name, ownerName: ownerNameOf(owner) }, rows: [], failures: [], skipped: [] };
    await Promise.all(
      envs.map(async (e) => {
        const vault = vaultFor(this.deps.settings.vaults, prefix, e);
        if ('reason' in vault) return void listing.skipped.push({ env: e, reason: vault.reason });
        const namePrefix = this.deps.settings.convention.split('{name}')[0]!.replace('{service}', prefix).replace('{env}', e);
        try {
          const secrets = (await this.deps.store.listSecrets(vault.url, namePrefix)).filter((s) => {
            const parts = splitVaultName(this.deps.settings.convention, s.name);
            return parts?.service.toLowerCase() === prefix.toLowerCase() && parts.env.toLowerCase() === e;
          });
          for (const s of secrets) {
            const versions = await this.deps.store.listVersions(vault.url, s.name);
            const latest = versions[0] ?? s;
            const rotation = Number(latest.tags['rotation-days']);
            listing.rows.push({
              env: e,
              vault: vault.name,
              vaultName: s.name,
              versions: versions.length,
              enabledVersions: versions.filter((v) => v.enabled).length,
              latest: { version: latest.version, enabled: latest.enabled, ...(latest.createdOn ? { createdOn: latest.createdOn } : {}), ...(latest.expiresOn ? { expiresOn: latest.expiresOn } : {}) },
              ...(latest.tags['created-by'] ? { createdBy: latest.tags['created-by'] } : {}),
              ...(latest.tags['created-at'] ? { createdAt: latest.tags['created-at'] } : {}),
              ...(rotation > 0 ? { rotationDays: rotation } : {}),
            });
          }
        } catch (error) {
          if (!isDomainError(error)) throw error;
          listing.failures.push({ env: e, vault: vault.name, code: error.code, params: error.details });
        }
      }),
    );
    const order = new Map(envs.map((e, i) => [e, i]));
    listing.rows.sort((a, b) => order.get(a.env)! - order.get(b.env)! || a.vaultName.localeCompare(b.vaultName));
    await this.deps.audit.record({ actor: actor.id, actorName: actor.name, action: 'secret.list', target: entity.ref, result: 'success', details: { service: entity.name, envs, secrets: listing.rows.length, unreadable: listing.failures.map((f) => `${f.vault}: ${f.code}`) } });
    return listing;
  }

  /** The rotation as it would run; changes nothing. */
  async previewRotation(input: SecretRefInput, actor: Actor): Promise<RotationPreview> {
    const target = await this.target(input, actor, 'secret.rotate');
    const latest = await this.live(target);
    const versions = await this.deps.store.listVersions(target.vault.url, target.vaultName);
    const now = this.clock();
    const rotationDays = Number(latest.tags['rotation-days']) > 0 ? Number(latest.tags['rotation-days']) : undefined;
    let expiresOn: Date | undefined;
    if (input.expires?.trim()) {
      const parsed = parseExpiry(input.expires, now);
      if (!parsed.ok) throw new DomainError('SECRETS.REF_INVALID', `rotation refused: ${parsed.reason}`, { problems: [`expires: ${parsed.reason}`] });
      expiresOn = parsed.at;
    } else if (rotationDays) expiresOn = new Date(now.getTime() + rotationDays * DAY_MS);
    else if (latest.expiresOn && latest.createdOn && latest.expiresOn > latest.createdOn) expiresOn = new Date(now.getTime() + (latest.expiresOn.getTime() - latest.createdOn.getTime())); // the same lifetime again
    else if (this.deps.settings.defaultExpiryDays) expiresOn = new Date(now.getTime() + this.deps.settings.defaultExpiryDays * DAY_MS);
    const plan: SecretPlan = {
      ...target,
      ...(expiresOn ? { expiresOn: expiresOn.toISOString() } : {}),
      ...(rotationDays ? { rotationDays } : {}),
      valueSource: input.value ?? 'generate',
      needsApproval: this.deps.settings.approvalEnvironments.includes(target.env),
      requester: { id: actor.id, name: actor.name },
    };
    const enabledVersions = versions.filter((v) => v.enabled).map((v) => v.version);
    return { plan, summary: rotationSummary(plan, enabledVersions.length, this.deps.settings.graceHours), enabledVersions, graceHours: this.deps.settings.graceHours };
  }

  /** Confirmed: checked again now; production asks another owner; a typed value asks for the dialog; otherwise the job. */
  async confirmRotation(input: SecretRefInput, actor: Actor, previewId: string, notify: JsonObject, activityId?: string): Promise<RotationOutcome> {
    const { plan, summary } = await this.previewRotation(input, actor);
    const requestKey = `rotate:${actor.id.toLowerCase()}:${previewId}`;
    await this.auditTarget(actor, 'secret.rotate.confirm', plan, 'success', { requestKey, source: plan.valueSource });
    return afterConfirm(this.deps.approvals, { flow: SECRET_ROTATION_FLOW, requestKey, subjectKey: secretTarget(plan), plan, summary, requester: actor, ...(activityId ? { activityId } : {}) }, notify, (...args) => this.startJob(...args));
  }

  /** The approvals follow-up: an approved production rotation runs now (generated), or waits for the requester's typed value. */
  readonly followUp = approvedFollowUp(SECRET_ROTATION_FLOW, (...args) => this.startJob(...args), (id, plan) => this.deps.askForValue?.(id, plan));

  /**
   * The new version typed in the Teams dialog, straight to Key Vault, then the job. The plan is
   * worked out again (or read from the approved request); only the requester may; a second
   * submit finds the version already written.
   */
  async storeTypedRotation(from: { input: SecretRefInput; previewId: string } | { approvalId: string }, value: SecretValue, actor: Actor, notify: JsonObject): Promise<Job> {
    checkTypedValue(value);
    let plan: SecretPlan;
    let requestKey: string;
    let approvedBy: { id: string; name: string } | undefined;
    if ('approvalId' in from) {
      ({ plan, requestKey, approvedBy } = await approvedPlan(this.deps.approvals, SECRET_ROTATION_FLOW, from.approvalId, actor));
      await this.target({ service: plan.service.name, env: plan.env, name: plan.name }, actor, 'secret.rotate');
    } else {
      ({ plan } = await this.previewRotation({ ...from.input, value: 'type' }, actor));
      if (plan.needsApproval) throw new DomainError('SECRETS.NOT_APPROVED', `${plan.vaultName} needs an approval first`, { name: plan.vaultName });
      requestKey = `rotate:${actor.id.toLowerCase()}:${from.previewId}`;
    }
    checkTypedValue(value, plan, requestKey);
    const stored = await storeTypedOnce(this.deps.store, plan, requestKey, value, secretTags(plan, requestKey, this.clock()), this.clock());
    if (stored) await this.auditTarget(actor, 'secret.rotate.store', plan, 'success', { version: stored.version, source: 'typed' });
    return this.startJob(plan, requestKey, notify, approvedBy, 'approvalId' in from ? from.approvalId : requestKey);
  }

  /** Retry of a failed rotation: the requester, policy decided again. */
  async retry(jobId: string, actor: Actor): Promise<Job> {
    const job = await this.deps.jobs.get(jobId);
    if (!job || job.type !== ROTATE_SECRET_JOB) throw new DomainError('JOB.NOT_FOUND', `no rotation job ${jobId}`, { jobId });
    const { plan } = job.input as unknown as RotateSecretJobInput;
    if (!sameId(plan.requester.id, actor.id)) throw new DomainError('SECRETS.NOT_REQUESTER', `${actor.id} may not retry ${jobId}`, { requester: plan.requester.name });
    await this.target({ service: plan.service.name, env: plan.env, name: plan.name }, actor, 'secret.rotate');
    return this.deps.jobs.retry(jobId, actor.id);
  }

  jobOf(key: string): Promise<Job | null> {
    return this.deps.jobs.findByKey(ROTATE_SECRET_JOB, key);
  }

  /** What Delete would remove; changes nothing. */
  async previewDelete(input: SecretRefInput, actor: Actor): Promise<DeletePreview> {
    const target = await this.target(input, actor, 'secret.delete');
    const latest = await this.live(target);
    const versions = await this.deps.store.listVersions(target.vault.url, target.vaultName);
    return { target, latest, versions: versions.length };
  }

  /** Soft delete (recoverable). A second click finds it deleted and says so. */
  async delete(input: SecretRefInput, actor: Actor): Promise<{ target: SecretTarget; deleted: DeletedSecret; already: boolean }> {
    const target = await this.target(input, actor, 'secret.delete');
    return this.audited(actor, 'secret.delete', target, async () => {
      const live = await this.deps.store.getProperties(target.vault.url, target.vaultName);
      const held = live ? null : await this.deps.store.getDeleted(target.vault.url, target.vaultName);
      if (held) return { target, deleted: held, already: true };
      if (!live) throw new DomainError('SECRETS.NOT_FOUND', `${target.vaultName} is not in ${target.vault.name}`, { vault: target.vault.name, name: target.vaultName });
      return { target, deleted: await this.deps.store.deleteSecret(target.vault.url, target.vaultName), already: false };
    });
  }

  /** Recovers a soft-deleted secret (every version comes back as it was). */
  async recover(input: SecretRefInput, actor: Actor): Promise<{ target: SecretTarget; recovered: SecretProperties }> {
    const target = await this.target(input, actor, 'secret.recover');
    return this.audited(actor, 'secret.recover', target, async () => {
      const held = await this.deps.store.getDeleted(target.vault.url, target.vaultName);
      if (!held) {
        if (await this.deps.store.getProperties(target.vault.url, target.vaultName)) throw new DomainError('SECRETS.NOT_DELETED', `${target.vaultName} is not deleted`, { vault: target.vault.name, name: target.vaultName });
        throw new DomainError('SECRETS.NOT_FOUND', `no deleted secret ${target.vaultName} in ${target.vault.name}`, { vault: target.vault.name, name: target.vaultName });
      }
      return { target, recovered: await this.deps.store.recoverSecret(target.vault.url, target.vaultName) };
    });
  }

  /** The stored name or service/env/name -> the secret, its service found and the actor allowed. */
  async target(input: SecretRefInput, actor: Actor, action: string): Promise<SecretTarget> {
    const problems: string[] = [];
    let parts: { service?: string; env?: string; name?: string } = { service: input.service, env: input.env, name: input.name };
    if (input.vaultName) {
      const split = splitVaultName(this.deps.settings.convention, input.vaultName);
      if (!split) problems.push(`"${input.vaultName.slice(0, 130)}" does not follow the naming convention ${this.deps.settings.convention}; name it as service=... env=... name=...`);
      else parts = split;
    }
    const missing = (['service', 'env', 'name'] as const).filter((f) => !parts[f]?.trim());
    if (!problems.length && missing.length) problems.push(`missing: ${missing.join(', ')} (or give the stored name, such as payments-api--dev--db-password)`);
    if (problems.length) throw new DomainError('SECRETS.REF_INVALID', `secret reference refused: ${problems.join('; ')}`, { problems });
    const entity = await this.findService(parts.service!);
    const prefix = entity.source.secretPrefix ?? entity.name;
    const env = parts.env!.trim().toLowerCase();
    const vault = vaultFor(this.deps.settings.vaults, prefix, env);
    if ('reason' in vault) throw new DomainError('SECRETS.REF_INVALID', `secret reference refused: ${vault.reason}`, { problems: [`env: ${vault.reason}`] });
    const named = vaultSecretName(this.deps.settings.convention, { service: prefix, env, name: parts.name!.trim() });
    if (!named.ok) throw new DomainError('SECRETS.REF_INVALID', 'secret reference refused: bad name', { problems: [`name "${parts.name!.trim().slice(0, 130)}": ${named.reasons.join(', ')}`] });
    const owner = await this.authorize(actor, entity, action);
    return {
      service: {
        ref: entity.ref,
        name: entity.name,
        ownerRef: owner.ref,
        ownerName: ownerNameOf(owner),
        ...(entity.source.repository ? { repository: { project: entity.source.repository.project, name: entity.source.repository.name } } : {}),
        ...(entity.source.workloadIdentity?.clientId ? { workloadClientId: entity.source.workloadIdentity.clientId } : {}),
      },
      env,
      name: parts.name!.trim(),
      vaultName: named.vaultName,
      vault: { url: vault.url, name: vault.name, resourceId: vault.resourceId },
      accessScope: vault.scopeFor(named.vaultName),
    };
  }

  /** The latest version, or the reason there is none in words (soft-deleted: offer recover). */
  private async live(target: SecretTarget): Promise<SecretProperties> {
    const latest = await this.deps.store.getProperties(target.vault.url, target.vaultName);
    if (latest) return latest;
    if (await this.deps.store.getDeleted(target.vault.url, target.vaultName)) throw new DomainError('SECRETS.SOFT_DELETED', `${target.vaultName} is soft-deleted in ${target.vault.name}`, { vault: target.vault.name, name: target.vaultName });
    throw new DomainError('SECRETS.NOT_FOUND', `${target.vaultName} is not in ${target.vault.name}`, { vault: target.vault.name, name: target.vaultName });
  }

  private async findService(text: string): Promise<CatalogEntity> {
    const entity = await this.deps.services.find(text);
    if (entity) return entity;
    const close = this.deps.services.suggest(text);
    throw new DomainError('SECRETS.REF_INVALID', `no service ${text}`, { problems: [`service: there is no service "${text.trim().slice(0, 80)}" in the catalog${close.length ? ` (did you mean ${close.join(', ')}?)` : ''}`] });
  }

  private async startJob(plan: SecretPlan, requestKey: string, notify: JsonObject, approvedBy?: { id: string; name: string }, jobKey = requestKey): Promise<Job> {
    const input: RotateSecretJobInput = { plan, requestKey, target: secretTarget(plan), graceHours: this.deps.settings.graceHours, ...(approvedBy ? { approvedBy } : {}) };
    const { job } = await this.deps.jobs.enqueue({ type: ROTATE_SECRET_JOB, idempotencyKey: jobKey, input: input as unknown as JsonObject, context: notify, requestedBy: plan.requester.id });
    return job;
  }

  private async authorize(actor: Actor, service: CatalogEntity, action: string): Promise<CatalogEntity> {
    const owner = service.owner ? await this.deps.catalog.get(service.owner) : null;
    if (!owner || owner.kind !== 'Group') throw new DomainError('SECRETS.NO_OWNER', `${service.ref} has no owning team`, { service: service.name });
    const decision = await this.deps.policy.canActFor(actor, owner);
    if (decision.allowed) return owner;
    await this.deps.audit.record({ actor: actor.id, actorName: actor.name, action, target: service.ref, result: 'denied', details: { reason: decision.reason } });
    throw new DomainError('SECRETS.NOT_ALLOWED', `${actor.id} may not manage secrets of ${service.ref}`, { reason: decision.reason });
  }

  private async audited<T>(actor: Actor, action: string, target: SecretTarget, run: () => Promise<T>): Promise<T> {
    try {
      const result = await run();
      await this.auditTarget(actor, action, target, 'success', {});
      return result;
    } catch (error) {
      await this.auditTarget(actor, action, target, 'failure', { code: isDomainError(error) ? error.code : 'UNEXPECTED' }).catch(() => undefined);
      throw error;
    }
  }

  private auditTarget(actor: Actor, action: string, target: Pick<SecretTarget, 'vault' | 'vaultName' | 'service' | 'env'>, result: 'success' | 'failure', details: Record<string, unknown>): Promise<void> {
    return this.deps.audit.record({ actor: actor.id, actorName: actor.name, action, target: secretTarget(target), result, details: { service: target.service.name, env: target.env, name: target.vaultName, ...details } });
  }
}

const ownerNameOf = (owner: CatalogEntity): string => owner.profile?.displayName ?? owner.title ?? owner.name;

export function rotationSummary(plan: SecretPlan, enabledVersions: number, graceHours: number): ApprovalSummary {
  return {
    title: `Rotate secret ${plan.vaultName} of ${plan.service.name} (${plan.env})`,
    facts: [
      { label: 'Service', value: `${plan.service.name}, owned by ${plan.service.ownerName}` },
      { label: 'Vault', value: `${plan.vault.name} (${plan.vault.url})` },
      { label: 'New value', value: plan.valueSource === 'generate' ? 'generated at random when it is stored; nobody sees it' : 'typed by the requester in a private dialog' },
      { label: 'Expires', value: plan.expiresOn ? plan.expiresOn.slice(0, 10) : 'never' },
      ...(plan.rotationDays ? [{ label: 'Rotate every', value: `${plan.rotationDays} days` }] : []),
      { label: 'Previous versions', value: enabledVersions ? `${enabledVersions} enabled; disabled ${graceHours} hours after the new one is stored` : 'none enabled' },
      ...(plan.needsApproval ? [{ label: 'Approval', value: `another member of ${plan.service.ownerName}` }] : []),
    ],
  };
}
