/** "list secrets", "rotate secret", "delete secret", "recover secret": the commands, their cards and buttons, and how a rotation job looks. */
import { MessageFactory, type TurnContext } from 'botbuilder';
import { randomUUID } from 'node:crypto';
import { cardAttachment } from '../../cards/render';
import { escapeMarkdown } from '../../cards/teams-markdown';
import type { Feature } from '../../src/bot/feature';
import { verifiedActor } from '../../src/bot/identity';
import type { JobPresentation } from '../../src/bot/job-presentation';
import { userMessageFor } from '../../src/bot/messages';
import { DomainError } from '../../src/domain/domain-error';
import { parseSecretRef, type SecretRefInput } from '../../src/domain/secrets/secret-ref';
import { secretLifecycleActions, type SecretLifecycleActionsDeps } from './secret-lifecycle.card-actions';
import { deletePreviewCard, rotationPreviewCard, secretListCard } from './secret-lifecycle.views';

export { rotateSecretJobPresentation } from './secret-lifecycle.views';

const LIST = /^\s*(?:list|show)\s+(?:the\s+|my\s+)?secrets(?:\s+(?:for|of))?\b/i;
const ROTATE = /^\s*rotate\s+(?:the\s+)?secret\b/i;
const DELETE = /^\s*(?:delete|remove)\s+(?:the\s+)?secret\b/i;
const RECOVER = /^\s*(?:recover|restore|undelete)\s+(?:the\s+)?secret\b/i;

/** Parsed, or SECRETS.REF_INVALID with the problems and an example. */
function refOf(text: string, command: RegExp, allowed: readonly (keyof SecretRefInput)[], example: string): SecretRefInput {
  const { values, problems } = parseSecretRef(text, command, allowed);
  if (problems.length) throw new DomainError('SECRETS.REF_INVALID', 'unreadable secret reference', { problems: [...problems, `for example: ${example}`] });
  return values;
}

const who = (c: { turn: TurnContext }) => {
  const actor = verifiedActor(c.turn);
  return { id: actor.id, name: actor.name };
};

const failureWords = (code: string, params: Record<string, unknown>) => userMessageFor(new DomainError(code, code, params), '').text;

export function secretLifecycleFeature(deps: SecretLifecycleActionsDeps & { presentation?: JobPresentation }): Feature {
  return {
    name: 'secret-lifecycle',
    commands: [
      {
        name: 'list secrets',
        description: "A service's secrets in every environment: names, versions, expiry, who created them. Never values. For its owning team and the platform groups.",
        examples: ['list secrets for payments-api', 'list secrets payments-api env=prod'],
        patterns: [/^(?:list|show)\s+(?:the\s+|my\s+)?secrets\b(?<text>.*)$/i],
        changesState: false,
        run: async (c) => {
          const { values, problems } = parseSecretRef(c.text, LIST, ['service', 'env']);
          const service = values.vaultName ?? values.service;
          if (problems.length || !service) throw new DomainError('SECRETS.REF_INVALID', 'unreadable list request', { problems: [...problems, ...(service ? [] : ['which service? for example: list secrets for payments-api'])] });
          const listing = await deps.lifecycle.list(service, values.env, who(c));
          await c.turn.sendActivity(MessageFactory.attachment(cardAttachment(secretListCard(listing, values.env, failureWords))));
        },
      },
      {
        name: 'rotate secret',
        description: "A new, generated version of a secret, with the same expiry period; the previous versions are disabled after a grace period. Production needs another owner's approval.",
        examples: ['rotate secret payments-api--dev--db-password', 'rotate secret service=payments-api env=prod name=stripe-key expires=90d', 'rotate secret payments-api--dev--db-password value=type'],
        patterns: [/^rotate\s+(?:the\s+)?secret\b(?<text>.*)$/i],
        changesState: true,
        run: async (c) => {
          const ref = refOf(c.text, ROTATE, ['service', 'env', 'name', 'expires', 'value'], 'rotate secret payments-api--dev--db-password');
          const preview = await deps.lifecycle.previewRotation(ref, who(c));
          await c.turn.sendActivity(MessageFactory.attachment(cardAttachment(rotationPreviewCard(preview, { previewId: randomUUID(), vaultName: preview.plan.vaultName, expires: ref.expires ?? '', value: ref.value ?? '' }))));
        },
      },
      {
        name: 'delete secret',
        description: 'Deletes a secret after you confirm (a soft delete: it can be recovered until the vault purges it).',
        examples: ['delete secret payments-api--dev--old-token'],
        patterns: [/^(?:delete|remove)\s+(?:the\s+)?secret\b(?<text>.*)$/i],
        changesState: true,
        run: async (c) => {
          const ref = refOf(c.text, DELETE, ['service', 'env', 'name'], 'delete secret payments-api--dev--old-token');
          await c.turn.sendActivity(MessageFactory.attachment(cardAttachment(deletePreviewCard(await deps.lifecycle.previewDelete(ref, who(c))))));
        },
      },
      {
        name: 'recover secret',
        description: 'Brings back a deleted secret with all its versions.',
        examples: ['recover secret payments-api--dev--old-token'],
        patterns: [/^(?:recover|restore|undelete)\s+(?:the\s+)?secret\b(?<text>.*)$/i],
        changesState: true,
        run: async (c) => {
          const ref = refOf(c.text, RECOVER, ['service', 'env', 'name'], 'recover secret payments-api--dev--old-token');
          const { target } = await deps.lifecycle.recover(ref, who(c));
          await c.turn.sendActivity(`Recovered ${escapeMarkdown(target.vaultName)} in ${escapeMarkdown(target.vault.name)}, with all its versions. Its workload reads it again as before.`);
        },
      },
    ],
    cardActions: secretLifecycleActions(deps),
    ...(deps.presentation ? { jobs: [deps.presentation] } : {}),
  };
}
