/**
 * The durable job behind a confirmed (or approved) rotation: a new version (a generated value is
 * made inside the step that writes it; a typed one was written by the dialog and is only found),
 * then the previous enabled versions recorded for disabling once the grace period is over (the
 * rotation grace schedule disables them, on one replica). Both steps are idempotent: the store step
 * finds the version tagged with this request, the pending record is keyed by the request.
 */
import type { AuditLog } from '../audit/audit.port';
import type { JobDefinition, JsonObject, StepContext } from '../jobs/jobs.types';
import { secretStep, storeRequestVersion } from './secret-step';
import type { PendingDisableStore } from './pending-disable-store.port';
import type { SecretStore } from './secret-store.port';
import type { SecretPlan } from './secrets.types';

export const ROTATE_SECRET_JOB = 'secret.rotate';

export const ROTATE_SECRET_STEPS = {
  store: 'Store a new version in Key Vault',
  'schedule-disable': 'Schedule the previous versions to be disabled after the grace period',
  finish: 'Finish',
} as const;

export interface RotateSecretJobInput {
  plan: SecretPlan;
  requestKey: string;
  target: string;
  graceHours: number;
  approvedBy?: { id: string; name: string };
}

export interface RotateSecretJobDeps {
  store: Pick<SecretStore, 'setSecret' | 'listVersions'>;
  pending: Pick<PendingDisableStore, 'add'>;
  audit: AuditLog;
  generator: { length: number; alphabet: string };
  botIdentity: string;
  tagsFor(plan: SecretPlan, requestKey: string): Record<string, string>;
  clock?: () => Date;
}

const HOUR_MS = 3_600_000;

export function rotateSecretJob(deps: RotateSecretJobDeps): JobDefinition<RotateSecretJobInput> {
  const clock = deps.clock ?? (() => new Date());
  const step = (def: { name: keyof typeof ROTATE_SECRET_STEPS; run(ctx: StepContext<RotateSecretJobInput>): Promise<JsonObject> }) => secretStep<RotateSecretJobInput>(deps, 'secret.rotate', def);

  return {
    type: ROTATE_SECRET_JOB,
    steps: [
      step({
        name: 'store',
        run: async ({ input }) => storeRequestVersion(deps, input.plan, input.requestKey, clock()),
      }),
      step({
        name: 'schedule-disable',
        run: async ({ input, outputs, requestedBy }) => {
          const { plan, requestKey, graceHours } = input;
          const keep = String(outputs.store?.version ?? '');
          const previous = (await deps.store.listVersions(plan.vault.url, plan.vaultName)).filter((v) => v.enabled && v.version !== keep).map((v) => v.version);
          if (!previous.length) return { versions: 0 };
          const now = clock();
          const dueAt = new Date(now.getTime() + graceHours * HOUR_MS);
          await deps.pending.add({ id: requestKey, vault: plan.vault.url, vaultName: plan.vault.name, name: plan.vaultName, versions: previous, keep, dueAt, service: plan.service.name, env: plan.env, requestedBy, createdAt: now });
          return { versions: previous.length, dueAt: dueAt.toISOString() };
        },
      }),
      step({ name: 'finish', run: async ({ outputs }) => ({ version: String(outputs.store?.version ?? ''), disableAt: String(outputs['schedule-disable']?.dueAt ?? '') }) }),
    ],
  };
}
