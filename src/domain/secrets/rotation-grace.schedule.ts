/**
 * After a rotation's grace period, its previous versions are disabled: periodic work on one
 * replica per slot (src/domain/jobs/scheduler.ts) over the pending records in MongoDB. Idempotent:
 * disabling a disabled version changes nothing, and a record is marked done after its versions, so
 * an occurrence run again after a crash repeats at most harmless writes. The version a rotation
 * wrote, and whatever is the latest now, stay enabled; a secret deleted meanwhile is noted as gone.
 */
import type { AuditLog } from '../audit/audit.port';
import { isDomainError } from '../domain-error';
import type { ScheduledWork } from '../jobs/scheduler';
import type { PendingDisableStore } from './pending-disable-store.port';
import type { SecretStore } from './secret-store.port';

export const ROTATION_GRACE_SCHEDULE = 'secret-rotation-grace';
const BATCH = 100;

export interface RotationGraceDeps {
  pending: PendingDisableStore;
  store: Pick<SecretStore, 'updateProperties' | 'getProperties'>;
  audit: AuditLog;
  botIdentity: string;
  clock?: () => Date;
}

/** Disables what is due now; returns the records it finished. */
export async function disableDueVersions(deps: RotationGraceDeps, signal?: AbortSignal): Promise<string[]> {
  const now = (deps.clock ?? (() => new Date()))();
  const finished: string[] = [];
  for (const due of await deps.pending.due(now, BATCH)) {
    if (signal?.aborted) break;
    const latest = await deps.store.getProperties(due.vault, due.name).catch((e: unknown) => (isDomainError(e) && e.code === 'SECRETS.NOT_FOUND' ? null : Promise.reject(e)));
    const disabled: string[] = [];
    const gone: string[] = [];
    for (const version of due.versions) {
      if (!latest || version === due.keep || version === latest.version) {
        if (!latest) gone.push(version);
        continue;
      }
      try {
        await deps.store.updateProperties(due.vault, due.name, version, { enabled: false });
        disabled.push(version);
      } catch (e) {
        if (!(isDomainError(e) && (e.code === 'SECRETS.NOT_FOUND' || e.code === 'SECRETS.SOFT_DELETED'))) throw e;
        gone.push(version);
      }
    }
    await deps.audit.record({ actor: deps.botIdentity, actorName: 'IDP bot', action: 'secret.rotate.disable-previous', target: `secret:${due.vaultName}/${due.name}`, result: 'success', details: { service: due.service, env: due.env, name: due.name, disabled, gone, kept: due.keep, requestedBy: due.requestedBy } });
    await deps.pending.markDone(due.id, { at: now, disabled, gone });
    finished.push(due.id);
  }
  return finished;
}

export function rotationGraceSchedule(deps: RotationGraceDeps, options: { everyMs: number; onRun?: (finished: string[]) => void }): ScheduledWork {
  return {
    name: ROTATION_GRACE_SCHEDULE,
    everyMs: options.everyMs,
    runAtStart: true,
    run: async ({ signal }) => {
      // Awaited first: an optional call would skip evaluating its argument when there is no onRun.
      const done = await disableDueVersions(deps, signal);
      options.onRun?.(done);
    },
  };
}
