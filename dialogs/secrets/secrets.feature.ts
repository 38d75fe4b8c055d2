/** "create secret": the one-shot command and its preview, the Confirm / Cancel buttons, the value dialog, and how the job looks. */
import { MessageFactory } from 'botbuilder';
import { randomUUID } from 'node:crypto';
import { cardAttachment } from '../../cards/render';
import type { Feature } from '../../src/bot/feature';
import { verifiedActor } from '../../src/bot/identity';
import type { JobPresentation } from '../../src/bot/job-presentation';
import { DomainError, isDomainError } from '../../src/domain/domain-error';
import { parseSecretText } from '../../src/domain/secrets/secret-request';
import { secretCardActions, secretValueDialog, type SecretCardActionsDeps } from './secrets.card-actions';
import { secretPreviewCard } from './secrets.views';

export { createSecretJobPresentation, enterValueCard } from './secrets.views';

const COMMAND = /^\s*(?:create|new|add)\s+(?:a\s+)?secret\b/i;

export function secretsFeature(deps: SecretCardActionsDeps & { presentation?: JobPresentation }): Feature {
  return {
    name: 'secrets',
    commands: [
      {
        name: 'create secret',
        description: "A secret in the service's Key Vault, named by convention, readable by the service's pods, mounted by a pull request; the value is generated or typed in a private dialog, never shown. Production needs another owner's approval.",
        examples: ['create secret service=payments-api env=dev name=db-password expires=90d', 'create secret service=payments-api env=prod name=stripe-key value=type'],
        patterns: [/^(?:create|new|add)\s+(?:a\s+)?secret\b(?<text>.*)$/i],
        changesState: true,
        run: async ({ turn, text }) => {
          const actor = verifiedActor(turn);
          const { values, problems } = parseSecretText(text, COMMAND);
          try {
            if (problems.length) throw new DomainError('SECRETS.REQUEST_INVALID', 'unreadable secret request', { problems });
            const preview = await deps.secrets.preview(values, { id: actor.id, name: actor.name });
            await turn.sendActivity(MessageFactory.attachment(cardAttachment(secretPreviewCard(preview, values, randomUUID()))));
          } catch (e) {
            if (isDomainError(e) && e.code === 'SECRETS.REQUEST_INVALID') throw new DomainError(e.code, e.message, { problems: [...((e.details.problems as string[] | undefined) ?? []), 'for example: create secret service=payments-api env=dev name=db-password expires=90d'] });
            throw e;
          }
        },
      },
    ],
    cardActions: secretCardActions(deps),
    invokes: secretValueDialog(deps),
    ...(deps.presentation ? { jobs: [deps.presentation] } : {}),
  };
}
