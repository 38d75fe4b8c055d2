/**
 * The secret cards' buttons and the value dialog, stateless so any replica answers: Confirm (checked
 * again; the job, the approval request, or the button that opens the value dialog), Cancel, and the
 * Teams dialog (task/fetch draws the password input; task/submit wraps what was typed in a
 * SecretValue at once and hands it to the service, which writes it to Key Vault). The dialog's data
 * names the request only; the plan is always worked out again on the server.
 */
import { z } from 'zod';
import { cardAttachment, type AdaptiveCard } from '../../cards/render';
import { SECRET_VERBS } from '../../cards/secret-preview.card';
import { cardAction, type CardAction } from '../../src/bot/card-action-router';
import type { TurnActor } from '../../src/bot/identity';
import type { InvokeRoute } from '../../src/bot/invoke-router';
import { notifyTargetOf } from '../../src/bot/notify-target';
import type { ApprovalRequest } from '../../src/domain/approvals/approval.types';
import { DomainError } from '../../src/domain/domain-error';
import type { Job, JsonObject } from '../../src/domain/jobs/jobs.types';
import type { CreateSecretService } from '../../src/domain/secrets/create-secret.service';
import { SECRET_ROTATION_FLOW, type SecretLifecycleService } from '../../src/domain/secrets/secret-lifecycle.service';
import type { SecretInput } from '../../src/domain/secrets/secret-request';
import { SecretValue } from '../../src/domain/secrets/secret-value';
import type { SecretPlan } from '../../src/domain/secrets/secrets.types';
import { discardedCard, enterValueCard, formValues, valueDialogCard } from './secrets.views';

export interface SecretCardActionsDeps {
  secrets: Pick<CreateSecretService, 'preview' | 'confirm' | 'storeTyped'>;
  /** Rotations whose new value is typed use the same dialog. */
  rotations?: Pick<SecretLifecycleService, 'previewRotation' | 'storeTypedRotation'>;
  approvals?: { get(id: string): Promise<ApprovalRequest | null> };
  /** The approval card as this person sees it (the approvals feature draws it). */
  approvalCard(request: ApprovalRequest, viewer: TurnActor): Promise<AdaptiveCard>;
  /** A job's progress card (the generic one). */
  jobCard(job: Job): Promise<AdaptiveCard>;
}

const text = z.string().max(300).optional();
const fields = { service: text, env: text, name: text, expires: text, rotate: text, value: z.enum(['generate', 'type', '']).optional(), pipeline: z.enum(['yes', '']).optional() };
const confirmData = z.object({ previewId: z.string().min(1).max(100), ...fields });
const rotationRef = z.object({ previewId: z.string().min(1).max(100), vaultName: z.string().min(1).max(130), expires: z.string().max(40).optional() });
const dialogRef = z.object({ previewId: z.string().max(100).optional(), approvalId: z.string().max(100).optional(), values: z.object(fields).optional(), rotation: rotationRef.optional() });
const dialogData = z.object({ secretDialog: dialogRef }).passthrough();

const inputOf = (d: Partial<Record<keyof typeof fields, string | undefined>>): SecretInput => {
  const v: SecretInput = {};
  for (const k of ['service', 'env', 'name', 'expires', 'rotate', 'value', 'pipeline'] as const) if (d[k]?.trim()) v[k] = d[k]!.trim();
  return v;
};

export function secretCardActions(deps: SecretCardActionsDeps): CardAction[] {
  return [
    cardAction({
      verb: SECRET_VERBS.confirm,
      data: confirmData,
      changesState: true,
      run: async (c) => {
        const input = inputOf(c.data);
        const notify = notifyTargetOf(c.turn.activity, c.turn.activity.replyToId) as unknown as JsonObject;
        const outcome = await deps.secrets.confirm(input, { id: c.actor.id, name: c.actor.name }, c.data.previewId, notify, c.turn.activity.id);
        if (outcome.kind === 'job') return { card: await deps.jobCard(outcome.job) };
        if (outcome.kind === 'approval') return { card: await deps.approvalCard(outcome.request, c.actor) };
        return { card: enterValueCard(outcome.plan, { previewId: c.data.previewId, values: formValues(input) }) };
      },
    }),
    cardAction({ verb: SECRET_VERBS.discard, data: z.object({}).passthrough(), changesState: false, run: async () => ({ card: discardedCard() }) }),
  ];
}

/** The Teams dialog that collects a typed value. */
export function secretValueDialog(deps: SecretCardActionsDeps): InvokeRoute[] {
  const refOf = (value: Record<string, unknown>) => {
    const parsed = dialogData.safeParse(value.data);
    if (!parsed.success) throw new DomainError('INVOKE.INVALID', 'not a secret dialog', { problem: 'it is not the secret value dialog' });
    return parsed.data;
  };
  const rotationInput = (r: z.infer<typeof rotationRef>) => ({ vaultName: r.vaultName, value: 'type' as const, ...(r.expires?.trim() ? { expires: r.expires.trim() } : {}) });
  const rotations = () => {
    if (!deps.rotations) throw new DomainError('INVOKE.INVALID', 'rotations are not configured', { problem: 'secret rotation is not configured here' });
    return deps.rotations;
  };
  const planOf = async (ref: z.infer<typeof dialogRef>, actor: TurnActor): Promise<SecretPlan> => {
    if (ref.rotation) return (await rotations().previewRotation(rotationInput(ref.rotation), { id: actor.id, name: actor.name })).plan;
    if (ref.approvalId) {
      const approval = await deps.approvals?.get(ref.approvalId);
      if (!approval) throw new DomainError('SECRETS.NOT_APPROVED', 'no such approval', { name: '' });
      return (approval.payload as unknown as { plan: SecretPlan }).plan;
    }
    return (await deps.secrets.preview(inputOf(ref.values ?? {}), { id: actor.id, name: actor.name })).plan;
  };
  return [
    {
      name: 'task/fetch',
      changesState: false,
      run: async ({ value, actor }) => {
        const ref = refOf(value).secretDialog;
        const plan = await planOf(ref, actor);
        return { task: { type: 'continue', value: { title: 'Secret value', height: 'small', width: 'medium', card: cardAttachment(valueDialogCard(plan.vaultName, { ...(ref.previewId ? { previewId: ref.previewId } : {}), ...(ref.approvalId ? { approvalId: ref.approvalId } : {}), ...(ref.values ? { values: formValues(inputOf(ref.values)) } : {}), ...(ref.rotation ? { rotation: { previewId: ref.rotation.previewId, vaultName: ref.rotation.vaultName, expires: ref.rotation.expires ?? '' } } : {}) })) } } };
      },
    },
    {
      name: 'task/submit',
      changesState: true,
      run: async ({ turn, value, actor }) => {
        const data = refOf(value);
        const typed = (value.data as Record<string, unknown>).secretValue;
        // Wrapped at once: from here on it prints as [secret] wherever it goes.
        const secret = new SecretValue(typeof typed === 'string' ? typed : '');
        delete (value.data as Record<string, unknown>).secretValue;
        const ref = data.secretDialog;
        const who = { id: actor.id, name: actor.name };
        const notify = notifyTargetOf(turn.activity, undefined) as unknown as JsonObject;
        // A rotation (by its preview, or an approved rotation request), else a new secret.
        const approvalFlow = ref.approvalId ? (await deps.approvals?.get(ref.approvalId))?.flow : undefined;
        const job = ref.rotation
          ? await rotations().storeTypedRotation({ input: rotationInput(ref.rotation), previewId: ref.rotation.previewId }, secret, who, notify)
          : ref.approvalId && approvalFlow === SECRET_ROTATION_FLOW
            ? await rotations().storeTypedRotation({ approvalId: ref.approvalId }, secret, who, notify)
            : await deps.secrets.storeTyped(ref.approvalId ? { approvalId: ref.approvalId } : { input: inputOf(ref.values ?? {}), previewId: ref.previewId ?? '' }, secret, who, notify);
        const { plan } = job.input as unknown as { plan: SecretPlan };
        return { task: { type: 'message', value: `Stored ${plan.vaultName} in ${plan.vault.name}. I give its workload read access and open the pull request now; the result comes in the chat.` } };
      },
    },
  ];
}
