/**
 * "create secret" domain objects -> card data: the preview, the value dialog's cards and how the
 * job shows progress. No value ever reaches these functions.
 */
import type { AdaptiveCard } from '../../cards/render';
import { renderSecretPreview, renderSecretValueCard, type SecretDialogRef, type SecretFormValues } from '../../cards/secret-preview.card';
import { cut, escapeMarkdown } from '../../cards/teams-markdown';
import type { JobPresentation } from '../../src/bot/job-presentation';
import { CREATE_SECRET_JOB, CREATE_SECRET_STEPS, type CreateSecretJobInput } from '../../src/domain/secrets/create-secret.job';
import type { SecretPreview } from '../../src/domain/secrets/create-secret.service';
import type { SecretInput } from '../../src/domain/secrets/secret-request';
import type { SecretPlan } from '../../src/domain/secrets/secrets.types';
import { linksFrom, tookSeconds } from '../common/job-progress.views';

const esc = (s: string, max = 300) => escapeMarkdown(cut(s, max));

export const formValues = (v: SecretInput): SecretFormValues => ({ service: v.service ?? '', env: v.env ?? '', name: v.name ?? '', expires: v.expires ?? '', rotate: v.rotate ?? '', value: v.value ?? '', pipeline: v.pipeline ?? '' });

export function secretPreviewCard(preview: SecretPreview, values: SecretInput, previewId: string): AdaptiveCard {
  const { plan } = preview;
  const button = plan.needsApproval ? 'Ask for approval' : plan.valueSource === 'type' ? 'Confirm and enter the value' : 'Create it';
  const what = plan.needsApproval ? `Nothing is created until another member of ${esc(plan.service.ownerName, 80)} approves; then` : `Nothing is created until you click ${button}; then`;
  const how = plan.valueSource === 'generate' ? 'I generate the value and store it; nobody, me included, shows it anywhere.' : 'you type the value in a private dialog that goes straight to Key Vault.';
  return renderSecretPreview({
    title: esc(preview.summary.title, 200),
    intro: `${what} ${how}`,
    facts: preview.summary.facts.map((f) => ({ label: esc(f.label, 60), value: esc(f.value, 400) })),
    ...(preview.softDeleted ? { warning: `A deleted secret still holds the name ${esc(plan.vaultName, 130)} in ${esc(plan.vault.name, 60)}: recover it (recover secret ${esc(plan.vaultName, 130)}) or ask the platform team to purge it.` } : {}),
    ...(preview.softDeleted ? {} : { confirm: { title: button, previewId, values: formValues(values) } }),
  });
}

/** The chat card whose button opens the value dialog. */
export const enterValueCard = (plan: SecretPlan, dialog: SecretDialogRef): AdaptiveCard =>
  renderSecretValueCard({
    title: `Enter the value of ${esc(plan.vaultName, 130)}`,
    intro: `It goes from the dialog straight to ${esc(plan.vault.name, 60)}; it is not kept in this chat, in my state or in any log.`,
    mode: 'opening',
    dialog,
  });

/** The dialog's card: one password input. */
export const valueDialogCard = (vaultName: string, dialog: SecretDialogRef): AdaptiveCard =>
  renderSecretValueCard({ title: `Value of ${esc(vaultName, 130)}`, intro: 'Paste or type it. Submitting stores it as a new secret version; Close discards it.', mode: 'asking', dialog });

export const discardedCard = (): AdaptiveCard => ({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Cancelled: nothing was created. Type **create secret** to start again.', wrap: true }] });

export function createSecretJobPresentation(retry: JobPresentation['retry']): JobPresentation {
  return {
    type: CREATE_SECRET_JOB,
    stepLabels: CREATE_SECRET_STEPS,
    facts: (raw) => {
      const { plan } = raw as CreateSecretJobInput;
      return { where: `${plan.vaultName} in ${plan.vault.name}`, subheading: `${plan.service.name} · ${plan.env} · asked by ${plan.requester.name}`, verb: { running: 'Creating', done: 'Created' } };
    },
    links: (outputs) => linksFrom([['Open the pull request', outputs.mount?.pullRequestUrl], ['Open the pipeline pull request', outputs['link-pipeline']?.pullRequestUrl]]),
    success: (job, outputs) => {
      const { plan } = job.input as unknown as CreateSecretJobInput;
      const access = outputs['grant-access']?.skipped ? 'No workload reads it yet: the service has no workload identity in the catalog.' : `Its workload identity can read it (Key Vault Secrets User).`;
      const mount = outputs.mount?.pullRequestUrl ? 'The pull request mounts it in the pods.' : outputs.mount?.unchanged ? 'The SecretProviderClass already lists it.' : `Add it to the deployment: ${esc(String(outputs.mount?.instructions ?? 'see the snippet'), 400)}`;
      const link = outputs['link-pipeline'];
      const pipeline = !plan.link || !link ? '' : ` Pipelines read it as $(${esc(plan.link.variable, 130)}) from ${esc(plan.link.group, 130)}${link.pullRequestUrl ? '; a pull request makes the stage read that group' : link.instructions ? `; ${esc(String(link.instructions), 400)}` : ''}.`;
      return { status: `Stored${tookSeconds(job)} as ${esc(plan.vaultName, 130)}, version ${esc(String(outputs.store?.version ?? '?'), 40)}. ${access}`, detail: `${mount}${pipeline}`, question: { title: 'Who owns it', text: `who owns ${plan.vaultName}` } };
    },
    retry,
  };
}
