/**
 * "onboard" and "offboard": the commands (one-shot key=value, or the form), the form's and
 * preview's buttons, the people type-ahead, the welcome card's buttons, and how the provisioning
 * jobs look (main.ts hands those to the approvals feature: their steps show on the approval card).
 */
import { MessageFactory } from 'botbuilder';
import type { OnboardingMode } from '../../cards/onboarding-form.card';
import { cardAttachment } from '../../cards/render';
import type { CommandRoute } from '../../src/bot/command-router';
import type { Feature } from '../../src/bot/feature';
import { verifiedActor } from '../../src/bot/identity';
import { parseOnboardText } from '../../src/domain/onboarding/onboarding-input';
import { onboardingCardActions, previewOrForm, type OnboardingCardActionsDeps } from './onboarding.card-actions';
import { formCard } from './onboarding.views';
import { pickerSearchInvoke, type PickerSources } from './people-search';
import { welcomeCardActions, type WelcomeCardActionsDeps } from './welcome.card-actions';

export { onboardingJobPresentation, offboardingJobPresentation } from './onboarding.views';
export { OnboardingChatNotifier } from './onboarding.notifier';

export interface OnboardingFeatureDeps extends OnboardingCardActionsDeps {
  pickers: PickerSources;
  welcome: WelcomeCardActionsDeps;
}

export function onboardingFeature(deps: OnboardingFeatureDeps): Feature {
  const command = (mode: OnboardingMode, description: string, examples: string[]): CommandRoute => ({
    name: mode,
    description,
    examples,
    patterns: [new RegExp(`^${mode}\\b(?<text>.*)$`, 'i')],
    changesState: true,
    run: async ({ turn, args }) => {
      const actor = verifiedActor(turn);
      const { values, problems } = parseOnboardText(args.text ?? '');
      const required = mode === 'onboard' ? (['person', 'team', 'role', 'start'] as const) : (['person'] as const);
      const card = problems.length || required.some((f) => !values[f]) ? formCard(mode, values, problems, deps.choices()) : await previewOrForm(deps, mode, values, actor);
      await turn.sendActivity(MessageFactory.attachment(cardAttachment(card)));
    },
  });
  return {
    name: 'onboarding',
    commands: [
      command(
        'onboard',
        "A new joiner gets the team's Teams channels, groups, Azure DevOps access, a welcome with docs, a dev environment and a checklist, once their manager approves on a card.",
        ['onboard', 'onboard person=henry@contoso.example team=team-payments role=backend-java start=2026-12-07 buddy=alice@contoso.example'],
      ),
      command('offboard', 'Someone leaves a team: I remove what I granted and what the team lists (nothing else), once their manager approves.', ['offboard henry@contoso.example team=team-payments']),
    ],
    cardActions: [...onboardingCardActions(deps), ...welcomeCardActions(deps.welcome)],
    invokes: [pickerSearchInvoke(deps.pickers)],
  };
}
