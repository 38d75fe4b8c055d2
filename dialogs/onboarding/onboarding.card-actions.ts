/**
 * The onboard / offboard cards' buttons, stateless so any replica answers any click: Preview (the
 * form's inputs, checked; the form again with the problems, or the preview), Ask (checked again
 * now, then one approval request: the preview id makes a double click or a Teams retry meet the
 * same one; the requester gets their own view of the approval card) and Cancel.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ONBOARDING_VERBS, type OnboardingMode } from '../../cards/onboarding-form.card';
import type { AdaptiveCard } from '../../cards/render';
import { cardAction, type CardAction, type CardActionContext } from '../../src/bot/card-action-router';
import type { TurnActor } from '../../src/bot/identity';
import type { ApprovalRequest } from '../../src/domain/approvals/approval.types';
import { isDomainError } from '../../src/domain/domain-error';
import type { OffboardingService } from '../../src/domain/onboarding/offboarding.service';
import type { OnboardInput } from '../../src/domain/onboarding/onboarding-input';
import type { OnboardingRequestService } from '../../src/domain/onboarding/onboarding-request.service';
import { formCard, previewCard, type FormChoices } from './onboarding.views';

export interface OnboardingCardActionsDeps {
  onboarding: Pick<OnboardingRequestService, 'preview' | 'ask'>;
  offboarding: Pick<OffboardingService, 'preview' | 'ask'>;
  /** Teams and roles the form offers. */
  choices(): FormChoices;
  /** The approval card as this person sees it (the approvals feature draws it). */
  approvalCard(request: ApprovalRequest, viewer: TurnActor): Promise<AdaptiveCard>;
}

const text = z.string().max(300).optional();
const mode = z.enum(['onboard', 'offboard']);
const formData = z.object({ mode, person: text, team: text, role: text, start: text, buddy: text });
const askData = formData.extend({ previewId: z.string().min(1).max(100) });

const valuesOf = (d: z.infer<typeof formData>): OnboardInput => {
  const v: OnboardInput = {};
  for (const k of ['person', 'team', 'role', 'start', 'buddy'] as const) if (d[k]?.trim()) v[k] = d[k]!.trim();
  return v;
};
const requesterOf = (c: CardActionContext<unknown>) => ({ id: c.actor.id, name: c.actor.name });

/** The preview, or the form again with what is wrong (a refusal that is not about the input stays a refusal). */
export async function previewOrForm(deps: OnboardingCardActionsDeps, m: OnboardingMode, values: OnboardInput, actor: TurnActor): Promise<AdaptiveCard> {
  try {
    const preview = m === 'onboard' ? await deps.onboarding.preview(values, actor) : await deps.offboarding.preview(values, actor);
    return previewCard(m, preview, values, randomUUID());
  } catch (e) {
    if (isDomainError(e) && e.code === 'ONBOARDING.REQUEST_INVALID') return formCard(m, values, (e.details.problems as string[] | undefined) ?? [], deps.choices());
    throw e;
  }
}

export const nothingRequestedCard = (m: OnboardingMode): AdaptiveCard => ({
  type: 'AdaptiveCard',
  version: '1.5',
  body: [{ type: 'TextBlock', text: `Cancelled: nothing was requested. Type **${m}** to start again.`, wrap: true }],
});

export function onboardingCardActions(deps: OnboardingCardActionsDeps): CardAction[] {
  return [
    cardAction({
      verb: ONBOARDING_VERBS.preview,
      data: formData,
      changesState: false,
      run: async (c) => ({ card: await previewOrForm(deps, c.data.mode, valuesOf(c.data), c.actor) }),
    }),
    cardAction({
      verb: ONBOARDING_VERBS.ask,
      data: askData,
      changesState: true,
      run: async (c) => {
        const values = valuesOf(c.data);
        const service = c.data.mode === 'onboard' ? deps.onboarding : deps.offboarding;
        const { request } = await service.ask(values, requesterOf(c), c.data.previewId, c.turn.activity.id);
        return { card: await deps.approvalCard(request, c.actor) };
      },
    }),
    cardAction({ verb: ONBOARDING_VERBS.discard, data: z.object({ mode }), changesState: false, run: async (c) => ({ card: nothingRequestedCard(c.data.mode) }) }),
  ];
}
