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
import { ASK_INTENTS, parseOwnershipQuestion, type AskIntent } from '../../src/domain/catalog/ask-phrases';
import { named, type CatalogQueryService } from '../../src/domain/catalog/catalog-query.service';
import type { CatalogSummary } from '../../src/domain/catalog/catalog-search.port';
import { CatalogAnswers } from './catalog-answers';
import { catalogAnswerCard } from './catalog.views';

/** The message extension's command id in the Teams manifest. */
export const SEARCH_COMMAND_ID = 'searchServices';
const MAX_SEARCH_RESULTS = 25;
const MAX_QUERY_CHARS = 200;
const INTENTS = ASK_INTENTS as [AskIntent, ...AskIntent[]];

export interface CatalogFeatureDeps {
  query: CatalogQueryService;
  /** Moves whenever the index changes: cached answers older than it are dropped. */
  revision: () => number;
  /** Hosts the cards may link to (dashboards, logs, runbooks, Azure DevOps); any other URL is shown as text. */
  linkHosts: readonly string[];
}

export function catalogFeature(deps: CatalogFeatureDeps): Feature {
  const answers = new CatalogAnswers(deps.query, deps.revision, deps.linkHosts);
  return {
    name: 'catalog',
    commands: [
      {
        name: 'who owns',
        description: 'The owning team, who is on call now, deployments, dependencies and links for a service, API, repo, pipeline, secret name or URL; a team\'s members and what it owns.',
        examples: ['who owns payments-api?', 'who is on call for checkout', 'what does payments-api depend on', 'who depends on payments-api', 'who is in team-payments', 'what does team-payments own'],
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
      { name: 'composeExtension/queryLink', changesState: false, run: async ({ value }) => linkUnfurl(deps.query, value as AppBasedLinkQuery, deps.linkHosts) },
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
function linkUnfurl(query: CatalogQueryService, value: AppBasedLinkQuery, linkHosts: readonly string[]): MessagingExtensionResponse {
  const url = typeof value.url === 'string' ? value.url.slice(0, 2000) : '';
  const answer = url ? query.unfurl(url) : null;
  if (!answer || (answer.kind !== 'found' && answer.kind !== 'team' && answer.kind !== 'user')) return { composeExtension: { type: 'result', attachmentLayout: 'list', attachments: [] } };
  const card = catalogAnswerCard({ intent: 'owner', answer }, linkHosts);
  const { entity } = answer;
  const subtitle = answer.kind === 'found' ? ownedByText(answer.owner ? (answer.owner.displayName ?? answer.owner.name) : undefined, entity.owner) : `${entity.kind}${entity.description ? ` · ${entity.description}` : ''}`;
  const preview = CardFactory.thumbnailCard(entity.title ?? entity.displayName ?? entity.name, subtitle);
  return { composeExtension: { type: 'result', attachmentLayout: 'list', attachments: [{ ...cardAttachment(card), preview }] } };
}

function candidate(hit: CatalogSummary) {
  return { ref: hit.ref, name: hit.name, title: hit.title, kind: hit.kind, ownerRef: hit.owner, ownerName: hit.ownerName, matchedBy: hit.matchedBy };
}

/** "Owned by Payments Team", an owner the catalog does not hold as written with its kind, or "no owner" only when none is named. */
function ownedByText(ownerName: string | undefined, ownerRef: string | undefined): string {
  if (ownerName) return `Owned by ${ownerName}`;
  if (!ownerRef) return 'No owner named';
  const o = named(ownerRef);
  return `Owned by ${o.namespace === 'default' ? o.name : `${o.namespace}/${o.name}`} (${o.kind}, not in the catalog)`;
}

function previewCard(hit: CatalogSummary) {
  const subtitle = [hit.kind, ownedByText(hit.ownerName, hit.owner), hit.tier].filter(Boolean).join(' · ');
  return CardFactory.thumbnailCard(hit.title ?? hit.name, hit.description ?? '', undefined, undefined, {
    subtitle,
    tap: { type: 'invoke', title: hit.name, value: { ref: hit.ref } },
  });
}
