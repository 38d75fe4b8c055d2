/**
 * The lifecycle cards' buttons, stateless so any replica answers: Rotate (checked again; the job
 * or the approval request), Delete (checked again; a soft delete), Cancel. The buttons' data names
 * the secret only; everything is worked out again on the server.
 */
import { z } from 'zod';
import { enterValueCard } from './secrets.views';
import type { AdaptiveCard } from '../../cards/render';
import { SECRET_LIFECYCLE_VERBS } from '../../cards/secret-lifecycle.card';
import { cardAction, type CardAction } from '../../src/bot/card-action-router';
import type { TurnActor } from '../../src/bot/identity';
import { notifyTargetOf } from '../../src/bot/notify-target';
import type { ApprovalRequest } from '../../src/domain/approvals/approval.types';
import type { Job, JsonObject } from '../../src/domain/jobs/jobs.types';
import type { SecretLifecycleService } from '../../src/domain/secrets/secret-lifecycle.service';
import { escapeMarkdown } from '../../cards/teams-markdown';
import { lifecycleNoticeCard } from './secret-lifecycle.views';

export interface SecretLifecycleActionsDeps {
  lifecycle: Pick<SecretLifecycleService, 'list' | 'previewRotation' | 'confirmRotation' | 'previewDelete' | 'delete' | 'recover'>;
  /** The approval card as this person sees it (the approvals feature draws it). */
  approvalCard(request: ApprovalRequest, viewer: TurnActor): Promise<AdaptiveCard>;
  /** A job's progress card (the generic one). */
  jobCard(job: Job): Promise<AdaptiveCard>;
}

const name = z.string().min(1).max(130);
const rotateData = z.object({ previewId: z.string().min(1).max(100), vaultName: name, expires: z.string().max(40).optional(), value: z.enum(['generate', 'type', '']).optional() });

export function secretLifecycleActions(deps: SecretLifecycleActionsDeps): CardAction[] {
  return [
    cardAction({
      verb: SECRET_LIFECYCLE_VERBS.rotate,
      data: rotateData,
      changesState: true,
      run: async (c) => {
        const notify = notifyTargetOf(c.turn.activity, c.turn.activity.replyToId) as unknown as JsonObject;
        const input = { vaultName: c.data.vaultName, ...(c.data.expires?.trim() ? { expires: c.data.expires.trim() } : {}), ...(c.data.value ? { value: c.data.value } : {}) };
        const outcome = await deps.lifecycle.confirmRotation(input, { id: c.actor.id, name: c.actor.name }, c.data.previewId, notify, c.turn.activity.id);
        if (outcome.kind === 'job') return { card: await deps.jobCard(outcome.job) };
        if (outcome.kind === 'approval') return { card: await deps.approvalCard(outcome.request, c.actor) };
        // A typed value: the button that opens the value dialog (the secrets feature's), naming this rotation.
        return { card: enterValueCard(outcome.plan, { rotation: { previewId: c.data.previewId, vaultName: c.data.vaultName, expires: c.data.expires ?? '' } }) };
      },
    }),
    cardAction({
      verb: SECRET_LIFECYCLE_VERBS.delete,
      data: z.object({ vaultName: name }),
      changesState: true,
      run: async (c) => {
        const { target, deleted, already } = await deps.lifecycle.delete({ vaultName: c.data.vaultName }, { id: c.actor.id, name: c.actor.name });
        const until = deleted.scheduledPurgeDate ? ` until ${deleted.scheduledPurgeDate.toISOString().slice(0, 10)}` : '';
        const n = escapeMarkdown(target.vaultName);
        return { card: lifecycleNoticeCard(`${already ? 'Already deleted' : 'Deleted'}: ${n} in ${escapeMarkdown(target.vault.name)} (soft delete). It can be recovered${until}: type **recover secret ${n}**.`) };
      },
    }),
    cardAction({ verb: SECRET_LIFECYCLE_VERBS.cancel, data: z.object({}).passthrough(), changesState: false, run: async () => ({ card: lifecycleNoticeCard('Cancelled: nothing was changed.') }) }),
  ];
}
