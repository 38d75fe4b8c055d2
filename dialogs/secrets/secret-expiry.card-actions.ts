/**
 * The expiry reminder's buttons: Rotate (handed to the rotation flow), Extend 90 days, Extend to a
 * date (the date picker's value arrives merged into the data), Snooze. Each is decided by the
 * service at click time (the owning team or platform groups) and answers with the reminder drawn
 * again from the vault with what happened on top; refusals are words for the clicker, the card stays.
 */
import { z } from 'zod';
import type { AdaptiveCard } from '../../cards/render';
import { SECRET_EXPIRY_VERBS } from '../../cards/secret-expiry.card';
import { escapeMarkdown } from '../../cards/teams-markdown';
import { cardAction, type CardAction, type CardActionContext } from '../../src/bot/card-action-router';
import type { Job } from '../../src/domain/jobs/jobs.types';
import { EXTEND_DAYS, type ExpiryRef, type SecretExpiryService } from '../../src/domain/secrets/secret-expiry.service';
import { secretExpiryCard, untilText } from './secret-expiry.views';

export interface SecretExpiryFeatureDeps {
  expiry: Pick<SecretExpiryService, 'extend' | 'snooze' | 'rotate' | 'rotationAvailable'>;
  /** The card of a rotation job the Rotate button started (the rotation flow's presentation). */
  jobCard?(job: Job): Promise<AdaptiveCard>;
}

const ref = z.object({
  vault: z.string().min(1).max(100),
  name: z.string().regex(/^[0-9A-Za-z-]{1,127}$/),
  version: z.string().regex(/^[0-9A-Za-z]{1,64}$/),
  expires: z.string().max(40).optional(),
});
const withDate = ref.extend({ until: z.string().max(40).optional() });

const refOf = (d: z.infer<typeof ref>): ExpiryRef => ({ vault: d.vault, name: d.name, version: d.version });
const actorOf = (c: CardActionContext<unknown>) => ({ id: c.actor.id, name: c.actor.name });

export function secretExpiryCardActions(deps: SecretExpiryFeatureDeps): CardAction[] {
  const canRotate = deps.expiry.rotationAvailable;
  const extended = (c: CardActionContext<unknown>, e: Parameters<typeof secretExpiryCard>[0]) => ({
    card: secretExpiryCard(e, { canRotate, status: { text: `✅ Extended by ${escapeMarkdown(c.actor.name)}: it now expires on ${e.expiresOn.toISOString().slice(0, 10)}.`, color: 'Good' } }),
  });
  return [
    cardAction({
      verb: SECRET_EXPIRY_VERBS.extend,
      data: ref,
      changesState: true,
      run: async (c) => extended(c, await deps.expiry.extend(actorOf(c), refOf(c.data), { days: EXTEND_DAYS }, c.data.expires)),
    }),
    cardAction({
      verb: SECRET_EXPIRY_VERBS.extendTo,
      data: withDate,
      changesState: true,
      run: async (c) => extended(c, await deps.expiry.extend(actorOf(c), refOf(c.data), { date: c.data.until ?? '' }, c.data.expires)),
    }),
    cardAction({
      verb: SECRET_EXPIRY_VERBS.snooze,
      data: ref,
      changesState: true,
      run: async (c) => {
        const e = await deps.expiry.snooze(actorOf(c), refOf(c.data));
        return { card: secretExpiryCard(e, { canRotate, status: { text: `😴 Snoozed by ${escapeMarkdown(c.actor.name)} ${untilText(e.snoozed!.until)}.`, color: 'Default' } }) };
      },
    }),
    cardAction({
      verb: SECRET_EXPIRY_VERBS.rotate,
      data: ref,
      changesState: true,
      run: async (c) => {
        const job = await deps.expiry.rotate(actorOf(c), refOf(c.data));
        if (job && deps.jobCard) return { card: await deps.jobCard(job) };
        return { message: `Rotation of ${c.data.name} started: a new version, the old one disabled after the grace period. The result comes in the chat.` };
      },
    }),
  ];
}
