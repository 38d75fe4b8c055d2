/**
 * The durable job behind a confirmed (or approved) secret: store it (a generated value is made
 * here, inside the step that writes it, so it is never stored waiting; a typed one was written by
 * the dialog and is only checked), then side by side give the workload read access (Key Vault
 * Secrets User through ARM) and open the pull request that mounts it, finish. Each step is idempotent: the store step finds
 * the version tagged with this request, the role assignment's name is derived from its contents,
 * the pull request's branch from the secret. Outputs and audit records name versions, never values.
 */
import type { AuditLog } from '../audit/audit.port';
import { DomainError } from '../domain-error';
import type { JobDefinition, JobStepDefinition, JsonObject, StepContext } from '../jobs/jobs.types';
import { secretStep, storeRequestVersion } from './secret-step';
import { KEY_VAULT_SECRETS_USER, type RoleAssignments, type WorkloadIdentities } from './role-assignments.port';
import type { SecretStore } from './secret-store.port';
import type { SecretPlan } from './secrets.types';

export const CREATE_SECRET_JOB = 'secret.create';
export { REQUEST_TAG } from './secret-step';

export const CREATE_SECRET_STEPS = {
  store: 'Store the secret in Key Vault',
  'grant-access': "Let the service's workload identity read it (Key Vault Secrets User)",
  mount: 'Open the pull request that mounts it (SecretProviderClass)',
  'link-pipeline': "Link it into the pipeline's Key Vault variable group (pipeline variables only)",
  finish: 'Finish',
} as const;

export interface CreateSecretJobInput {
  plan: SecretPlan;
  requestKey: string;
  target: string;
  approvedBy?: { id: string; name: string };
}

/** Mounting: a pull request on the service's repository, or the snippet when it has none. */
export type MountSecret = (plan: SecretPlan, tenantId: string) => Promise<{ pullRequestUrl?: string; pullRequestId?: number; unchanged?: boolean; snippet?: string; instructions?: string }>;

export interface CreateSecretJobDeps {
  store: Pick<SecretStore, 'setSecret' | 'listVersions'>;
  roles: RoleAssignments;
  identities: WorkloadIdentities;
  mount: MountSecret;
  audit: AuditLog;
  tenantId: string;
  generator: { length: number; alphabet: string };
  /** How the bot appears in audit records. */
  botIdentity: string;
  tagsFor(plan: SecretPlan, requestKey: string): Record<string, string>;
  /** A plan with `link` (a secret variable): the Key Vault-linked group and the pipeline pull request (PipelineSecretLinking.link). */
  linkPipeline?(plan: SecretPlan): Promise<JsonObject>;
}

export function createSecretJob(deps: CreateSecretJobDeps): JobDefinition<CreateSecretJobInput> {
  const step = (def: Omit<JobStepDefinition<CreateSecretJobInput>, 'run'> & { run(ctx: StepContext<CreateSecretJobInput>): Promise<JsonObject> }) => secretStep<CreateSecretJobInput>(deps, 'secret.create', def);

  return {
    type: CREATE_SECRET_JOB,
    steps: [
      step({
        name: 'store',
        run: async ({ input }) => {
          const stored = await storeRequestVersion(deps, input.plan, input.requestKey, new Date());
          return stored.already ? stored : { ...stored, vault: input.plan.vault.name };
        },
      }),
      // Access and mounting are independent of each other: they run side by side.
      step({
        name: 'grant-access',
        parallelGroup: 'after-store',
        run: async ({ input }) => {
          const { plan } = input;
          if (!plan.service.workloadClientId) return { skipped: 'the service has no workload identity in the catalog' };
          const principalId = await deps.identities.principalIdOf(plan.service.workloadClientId);
          if (!principalId) throw new DomainError('SECRETS.PRINCIPAL_NOT_FOUND', `no service principal for ${plan.service.workloadClientId}`, { clientId: plan.service.workloadClientId });
          const { assignment, created } = await deps.roles.ensure({ scope: plan.accessScope, roleDefinitionId: KEY_VAULT_SECRETS_USER, principalId, principalType: 'ServicePrincipal' });
          return { assignment: assignment.name, scope: plan.accessScope, principalId, created };
        },
      }),
      step({
        name: 'mount',
        parallelGroup: 'after-store',
        run: async ({ input }) => {
          const result = await deps.mount(input.plan, deps.tenantId);
          return { ...(result.pullRequestUrl ? { pullRequestUrl: result.pullRequestUrl } : {}), ...(result.pullRequestId ? { pullRequestId: result.pullRequestId } : {}), ...(result.unchanged ? { unchanged: true } : {}), ...(result.snippet ? { snippet: result.snippet } : {}), ...(result.instructions ? { instructions: result.instructions } : {}) };
        },
      }),
      step({
        name: 'link-pipeline',
        run: async ({ input }) => {
          if (!input.plan.link) return { skipped: 'not a pipeline variable' };
          if (!deps.linkPipeline) throw new DomainError('PIPELINES.LINK_UNAVAILABLE', 'secret variables need Azure DevOps, which is not configured', { group: input.plan.link.group });
          return deps.linkPipeline(input.plan);
        },
      }),
      step({ name: 'finish', run: async ({ outputs }) => ({ version: String(outputs.store?.version ?? '') }) }),
    ],
  };
}

/** The mount step over SecretMounting: the pull request, "already mounted", or the snippet to add by hand. */
export function mountWith(mounting: { mount(where: { project: string; repository: string } | null, mount: { service: string; environment: string; keyvaultName: string; tenantId: string; clientID: string; objectName: string }, requestedBy?: string): Promise<MountOutcomeLike> }): MountSecret {
  return async (plan, tenantId) => {
    if (!plan.service.workloadClientId) return { instructions: 'the service has no workload identity in the catalog (azure.workload.identity/client-id), so no pod can read it yet; add one and ask again to mount it' };
    const where = plan.service.repository ? { project: plan.service.repository.project, repository: plan.service.repository.name } : null;
    const outcome = await mounting.mount(where, { service: plan.service.name, environment: plan.env, keyvaultName: plan.vault.name, tenantId, clientID: plan.service.workloadClientId, objectName: plan.vaultName }, plan.requester.name);
    if (outcome.kind === 'pull-request') return { pullRequestUrl: outcome.url, pullRequestId: outcome.pullRequestId };
    if (outcome.kind === 'already-mounted') return { unchanged: true };
    return { snippet: outcome.manifest, instructions: outcome.instructions.join(' ') };
  };
}

type MountOutcomeLike = { kind: 'pull-request'; url: string; pullRequestId: number } | { kind: 'already-mounted' } | { kind: 'by-hand'; manifest: string; instructions: string[] };
