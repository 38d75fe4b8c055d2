/**
 * "Who owns X?" in chat, in the compose box (message extension search) and on pasted links
 * (link unfurling), and the catalog's card buttons. The catalog's background work (import,
 * index refresh) is not here: the composition root runs it.
 */
import { CardFactory, MessageFactory, type AppBasedLinkQuery, type MessagingExtensionQuery, type MessagingExtensionResponse } from 'botbuilder';
import { z } from 'zod';
import { CATALOG_PICK_VERB } from '../../cards/catalog-choices.card';
import { cardAttachment } from '../../cards/render';
import { cardAction } from '../../src/bot/card-action-router';
import type { Feature } from '../../src/bot/feature';
import { parseOwnershipQuestion, type AskIntent } from '../../src/domain/catalog/ask-phrases';
import type { CatalogQueryService } from '../../src/domain/catalog/catalog-query.service';
import type { CatalogSummary } from '../../src/domain/catalog/catalog-search-index';
import { CatalogAnswers } from './catalog-answers';
import { catalogAnswerCard } from './catalog.views';

/** The message extension's command id in the Teams manifest. */
export const SEARCH_COMMAND_ID = 'searchServices';
const MAX_SEARCH_RESULTS = 25;
const MAX_QUERY_CHARS = 200;
const INTENTS = ['owner', 'oncall', 'dependencies', 'dependents'] as const;

export interface CatalogFeatureDeps {
  query: CatalogQueryService;
  /** Moves whenever the index changes: cached answers older than it are dropped. */
  revision: () => number;
}

export function catalogFeature(deps: CatalogFeatureDeps): Feature {
  const answers = new CatalogAnswers(deps.query, deps.revision);
  return {
    name: 'catalog',
    commands: [
      {
        name: 'who owns',
        description: 'The owning team, who is on call now, deployments, dependencies and links for a service, API, repo, pipeline, secret name or URL.',
        examples: ['who owns payments-api?', 'who is on call for checkout', 'what does payments-api depend on', 'who depends on payments-api'],
        parse: (text) => {
          const question = parseOwnershipQuestion(text);
          return question ? { intent: question.intent, subject: question.subject } : null;
        },
        run: async ({ turn, args }) => {
          const card = await answers.card(args.intent as AskIntent, args.subject ?? '');
          await turn.sendActivity(MessageFactory.attachment(cardAttachment(card)));
        },
      },
      {
        name: 'search',
        description: 'Search the service catalog by any part of a name, title, tag, repository or URL.',
        examples: ['search payments', 'find grafana.contoso.example/d/payments'],
        patterns: [/^(?:search|find|look ?up)\s+(?<text>.+)$/i],
        interruptsDialogs: false,
        run: async ({ turn, args }) => {
          const text = args.text ?? '';
          const hits = deps.query.search(text, 5);
          const card = catalogAnswerCard({
            intent: 'owner',
            answer: hits.length ? { kind: 'ambiguous', text, candidates: hits.map(candidate) } : { kind: 'none', text, suggestions: [] },
          });
          await turn.sendActivity(MessageFactory.attachment(cardAttachment(card)));
        },
      },
    ],
    cardActions: [
      // "Did you mean" / search buttons: answer in place of the card that was clicked.
      cardAction({
        verb: CATALOG_PICK_VERB,
        data: z.object({ ref: z.string().min(1).max(300), intent: z.enum(INTENTS).optional() }),
        changesState: false,
        run: async ({ data }) => ({ card: await answers.card(data.intent ?? 'owner', data.ref) }),
      }),
    ],
    invokes: [
      { name: 'composeExtension/query', commandId: SEARCH_COMMAND_ID, changesState: false, run: async ({ value }) => messagingExtensionQuery(deps.query, value as MessagingExtensionQuery) },
      {
        name: 'composeExtension/selectItem',
        changesState: false,
        run: async ({ value }) => {
          const ref = typeof value.ref === 'string' ? value.ref.slice(0, 300) : '';
          const card = await answers.card('owner', ref);
          return { composeExtension: { type: 'result', attachmentLayout: 'list', attachments: [cardAttachment(card)] } } satisfies MessagingExtensionResponse;
        },
      },
      { name: 'composeExtension/queryLink', changesState: false, run: async ({ value }) => linkUnfurl(deps.query, value as AppBasedLinkQuery) },
    ],
  };
}

/** Compose box search: previews only; the full card is built when one is chosen (selectItem). */
function messagingExtensionQuery(query: CatalogQueryService, value: MessagingExtensionQuery): MessagingExtensionResponse {
  const parameters = Array.isArray(value.parameters) ? value.parameters : [];
  const raw = parameters.find((p) => p?.name === 'query')?.value;
  const text = (typeof raw === 'string' ? raw : '').trim().slice(0, MAX_QUERY_CHARS);
  const hits = text ? query.search(text, MAX_SEARCH_RESULTS) : [];
  return {
    composeExtension: {
      type: 'result',
      attachmentLayout: 'list',
      attachments: hits.map((hit) => {
        const preview = previewCard(hit);
        return { ...preview, preview };
      }),
    },
  };
}

/** A pasted repository or dashboard URL of a known service shows its card. */
function linkUnfurl(query: CatalogQueryService, value: AppBasedLinkQuery): MessagingExtensionResponse {
  const url = typeof value.url === 'string' ? value.url.slice(0, 2000) : '';
  const answer = url ? query.unfurl(url) : null;
  if (!answer || answer.kind !== 'found') return { composeExtension: { type: 'result', attachmentLayout: 'list', attachments: [] } };
  const card = catalogAnswerCard({ intent: 'owner', answer });
  const preview = CardFactory.thumbnailCard(answer.entity.title ?? answer.entity.name, `Owned by ${answer.owner?.displayName ?? answer.owner?.name ?? 'nobody'}`);
  return { composeExtension: { type: 'result', attachmentLayout: 'list', attachments: [{ ...cardAttachment(card), preview }] } };
}

function candidate(hit: CatalogSummary) {
  return { ref: hit.ref, name: hit.name, title: hit.title, kind: hit.kind, ownerRef: hit.owner, ownerName: hit.ownerName, matchedBy: hit.matchedBy };
}

function previewCard(hit: CatalogSummary) {
  const subtitle = [hit.kind, hit.ownerName ? `owned by ${hit.ownerName}` : 'no owner', hit.tier].filter(Boolean).join(' · ');
  return CardFactory.thumbnailCard(hit.title ?? hit.name, hit.description ?? '', undefined, undefined, {
    subtitle,
    tap: { type: 'invoke', title: hit.name, value: { ref: hit.ref } },
  });
}
