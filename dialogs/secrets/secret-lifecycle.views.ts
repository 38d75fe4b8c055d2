/** Secret lifecycle domain objects -> card data: the list, the rotate and delete confirmations, the rotation job. Never a value. */
import type { AdaptiveCard } from '../../cards/render';
import { renderSecretAction, renderSecretList, SECRET_LIFECYCLE_VERBS } from '../../cards/secret-lifecycle.card';
import { cut, escapeMarkdown } from '../../cards/teams-markdown';
import type { JobPresentation } from '../../src/bot/job-presentation';
import { ROTATE_SECRET_JOB, ROTATE_SECRET_STEPS, type RotateSecretJobInput } from '../../src/domain/secrets/rotate-secret.job';
import type { DeletePreview, RotationPreview, SecretListing } from '../../src/domain/secrets/secret-lifecycle.service';
import { linksFrom, tookSeconds } from '../common/job-progress.views';

const esc = (s: string, max = 300) => escapeMarkdown(cut(s, max));
const day = (d?: Date | string) => (d ? new Date(d).toISOString().slice(0, 10) : 'never');

/** `failure` turns a vault's error code into words (the bot's message table). */
export function secretListCard(listing: SecretListing, env: string | undefined, failure: (code: string, params: Record<string, unknown>) => string): AdaptiveCard {
  return renderSecretList({
    title: `Secrets of ${esc(listing.service.name, 80)}${env ? ` in ${esc(env, 20)}` : ''}`,
    intro: `Owned by ${esc(listing.service.ownerName, 80)}. Names, versions and expiry only: values are never shown.`,
    rows: listing.rows.map((r) => ({
      name: esc(r.vaultName, 130),
      facts: [
        { label: 'Environment', value: `${esc(r.env, 20)} (${esc(r.vault, 60)})` },
        { label: 'Versions', value: `${r.versions} (${r.enabledVersions} enabled); latest ${esc(r.latest.version, 40)}${r.latest.enabled ? '' : ', disabled'}` },
        { label: 'Expires', value: day(r.latest.expiresOn) },
        ...(r.rotationDays ? [{ label: 'Rotate every', value: `${r.rotationDays} days` }] : []),
        { label: 'Created', value: `${r.createdBy ? `by ${esc(r.createdBy, 80)} ` : ''}${r.createdAt ? `on ${esc(r.createdAt.slice(0, 10), 10)}` : r.latest.createdOn ? `on ${day(r.latest.createdOn)}` : ''}`.trim() || 'unknown' },
      ],
    })),
    ...(listing.rows.length ? {} : { empty: `No secrets yet. Type **create secret service=${esc(listing.service.name, 80)} env=dev name=...** to add one.` }),
    warnings: [...listing.failures.map((f) => `${esc(f.env, 20)}: ${failure(f.code, { ...f.params, vault: f.vault })}`), ...listing.skipped.filter(() => !env).map((s) => `${esc(s.env, 20)}: ${esc(s.reason, 200)}`)],
  });
}

export function rotationPreviewCard(preview: RotationPreview, data: { previewId: string; vaultName: string; expires: string; value: string }): AdaptiveCard {
  const { plan } = preview;
  return renderSecretAction({
    title: esc(preview.summary.title, 200),
    intro:
      plan.valueSource === 'type'
        ? `${plan.needsApproval ? `Another member of ${esc(plan.service.ownerName, 80)} approves first; then y` : 'Y'}ou type the new value in a private dialog that goes straight to Key Vault.`
        : plan.needsApproval
          ? `Another member of ${esc(plan.service.ownerName, 80)} approves first; then I generate and store the new version.`
          : 'On Rotate I generate and store a new version; nobody, me included, shows it anywhere.',
    facts: preview.summary.facts.map((f) => ({ label: esc(f.label, 60), value: esc(f.value, 400) })),
    confirm: { title: plan.needsApproval ? 'Ask for approval' : 'Rotate it', verb: SECRET_LIFECYCLE_VERBS.rotate, data },
  });
}

export function deletePreviewCard(preview: DeletePreview): AdaptiveCard {
  const { target, latest, versions } = preview;
  return renderSecretAction({
    title: `Delete secret ${esc(target.vaultName, 130)}?`,
    intro: `A soft delete: every version goes, and it can be recovered (**recover secret ${esc(target.vaultName, 130)}**) until the vault's retention ends. Pods that read it fail at their next read.`,
    facts: [
      { label: 'Service', value: `${esc(target.service.name, 80)}, owned by ${esc(target.service.ownerName, 80)}` },
      { label: 'Vault', value: esc(target.vault.name, 60) },
      { label: 'Versions', value: `${versions}; latest ${esc(latest.version, 40)}` },
      { label: 'Expires', value: day(latest.expiresOn) },
    ],
    confirm: { title: 'Delete', verb: SECRET_LIFECYCLE_VERBS.delete, destructive: true, data: { vaultName: target.vaultName } },
  });
}

export const lifecycleNoticeCard = (text: string): AdaptiveCard => ({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text, wrap: true }] });

export function rotateSecretJobPresentation(retry: JobPresentation['retry']): JobPresentation {
  return {
    type: ROTATE_SECRET_JOB,
    stepLabels: ROTATE_SECRET_STEPS,
    facts: (raw) => {
      const { plan } = raw as RotateSecretJobInput;
      return { where: `${plan.vaultName} in ${plan.vault.name}`, subheading: `${plan.service.name} · ${plan.env} · asked by ${plan.requester.name}`, verb: { running: 'Rotating', done: 'Rotated' } };
    },
    links: () => linksFrom([]),
    success: (job, outputs) => {
      const { plan, graceHours } = job.input as unknown as RotateSecretJobInput;
      const disable = Number(outputs['schedule-disable']?.versions ?? 0);
      return {
        status: `Stored${tookSeconds(job)} a new version of ${esc(plan.vaultName, 130)}: ${esc(String(outputs.store?.version ?? '?'), 40)}.`,
        detail: disable ? `The ${disable} previous version${disable === 1 ? '' : 's'} stay enabled for ${graceHours} hours, then I disable them.` : 'No previous version was enabled.',
        question: { title: 'List its secrets', text: `list secrets for ${plan.service.name}` },
      };
    },
    retry,
  };
}
