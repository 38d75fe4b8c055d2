/**
 * "set variable", "set secret variable", "list variables": a service's Azure DevOps variable groups.
 * A plain value is set at once (who may: decided by the service); a secret variable never takes its
 * value in chat: it becomes a `create secret` preview with `pipeline=yes`, whose Confirm (the secrets
 * feature's) stores it in Key Vault and links it into `vg-<service>-<env>-secrets`.
 */
import { MessageFactory } from 'botbuilder';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { cardAttachment } from '../../cards/render';
import { VARIABLE_VERBS } from '../../cards/variable-list.card';
import { cardAction } from '../../src/bot/card-action-router';
import type { Feature } from '../../src/bot/feature';
import { verifiedActor } from '../../src/bot/identity';
import { DomainError } from '../../src/domain/domain-error';
import type { CreateSecretService } from '../../src/domain/secrets/create-secret.service';
import type { PipelineVariablesService } from '../../src/domain/secrets/pipeline-variables.service';
import { parseSecretText, type SecretInput } from '../../src/domain/secrets/secret-request';
import { parseListVariables, parseVariableCommand, secretPartOf } from '../../src/domain/secrets/variable-request';
import { setVariableText, variableListCard } from './pipeline-variables.views';
import { secretPreviewCard } from './secrets.views';

export interface PipelineVariablesFeatureDeps {
  variables: Pick<PipelineVariablesService, 'set' | 'list'>;
  secrets: Pick<CreateSecretService, 'preview'>;
}

const NEVER = /^(?!)/;

export function pipelineVariablesFeature(deps: PipelineVariablesFeatureDeps): Feature {
  return {
    name: 'pipeline-variables',
    commands: [
      {
        name: 'set variable',
        description: "A plain variable in the service's variable group vg-<service>-<env>, which its pipeline's deployment stage reads. For a secret, use set secret variable.",
        examples: ['set variable LOG_LEVEL=debug for payments-api in dev', 'set variable FEATURE_FLAGS="a b" for payments-api in staging'],
        patterns: [/^set\s+(?:a\s+)?(?:pipeline\s+)?variable\b(?<text>.*)$/is],
        changesState: true,
        run: async ({ turn, text }) => {
          const actor = verifiedActor(turn);
          const command = parseVariableCommand(text);
          if (command.kind === 'unreadable') throw new DomainError('PIPELINES.VARIABLE_REQUEST_INVALID', 'unreadable variable request', { problems: command.problems });
          if (command.kind === 'secret-with-value') throw new DomainError('PIPELINES.SECRET_VALUE_IN_CHAT', 'a value was typed for a secret variable (dropped)', { name: command.name.slice(0, 80), service: command.service.slice(0, 80), env: command.env.slice(0, 20) });
          if (command.kind === 'secret') return void (await previewSecret(turn, deps, command, actor));
          const outcome = await deps.variables.set(command, { id: actor.id, name: actor.name });
          await turn.sendActivity(setVariableText(outcome));
        },
      },
      {
        name: 'set secret variable',
        description: "A secret pipeline variable: stored in Key Vault (the value generated, or typed in a private dialog with value=type, never in chat) and linked into the Key Vault variable group vg-<service>-<env>-secrets, with a pull request that makes the stage read it.",
        examples: ['set secret variable DB_PASSWORD for payments-api in dev', 'set secret variable STRIPE_KEY for payments-api in prod value=type'],
        patterns: [/^set\s+(?:a\s+)?secret\s+(?:pipeline\s+)?variable\b(?<text>.*)$/is],
        changesState: true,
        run: async ({ turn, text }) => {
          const actor = verifiedActor(turn);
          const command = parseVariableCommand(text);
          if (command.kind !== 'secret') throw new DomainError('PIPELINES.VARIABLE_REQUEST_INVALID', 'unreadable secret variable request', { problems: command.kind === 'unreadable' ? command.problems : ['set secret variable NAME for <service> in <env>'] });
          await previewSecret(turn, deps, command, actor);
        },
      },
      {
        name: 'list variables',
        description: "The variables of a service's variable groups, per environment: plain values, and secret ones as (secret).",
        examples: ['list variables for payments-api', 'list variables for payments-api in prod'],
        parse: (text) => parseListVariables(text),
        changesState: true,
        run: async ({ turn, args }) => {
          const actor = verifiedActor(turn);
          const listing = await deps.variables.list({ service: args.service ?? '', ...(args.env ? { env: args.env } : {}) }, { id: actor.id, name: actor.name });
          await turn.sendActivity(MessageFactory.attachment(cardAttachment(variableListCard(listing, args.env))));
        },
      },
    ],
    cardActions: [
      cardAction({
        verb: VARIABLE_VERBS.refresh,
        data: z.object({ service: z.string().min(1).max(200), env: z.string().max(40).optional() }),
        changesState: true,
        run: async (c) => {
          const listing = await deps.variables.list({ service: c.data.service, ...(c.data.env ? { env: c.data.env } : {}) }, { id: c.actor.id, name: c.actor.name });
          return { card: variableListCard(listing, c.data.env || undefined) };
        },
      }),
    ],
  };
}

/** The create-secret preview of a secret variable (its Confirm is the secrets feature's). */
async function previewSecret(turn: Parameters<typeof verifiedActor>[0], deps: PipelineVariablesFeatureDeps, command: { name: string; service: string; env: string; options: string }, actor: { id: string; name: string }): Promise<void> {
  const { values: options, problems } = parseSecretText(command.options, NEVER);
  const stray = (['service', 'env', 'name', 'pipeline'] as const).filter((k) => options[k] !== undefined);
  if (stray.length) problems.push(`${stray.join(', ')} come from the command itself (NAME for <service> in <env>)`);
  if (problems.length) throw new DomainError('PIPELINES.VARIABLE_REQUEST_INVALID', 'unreadable secret variable options', { problems });
  const input: SecretInput = { ...options, service: command.service, env: command.env, name: secretPartOf(command.name), pipeline: 'yes' };
  const preview = await deps.secrets.preview(input, actor);
  await turn.sendActivity(MessageFactory.attachment(cardAttachment(secretPreviewCard(preview, input, randomUUID()))));
}
