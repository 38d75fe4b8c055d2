/**
 * "Who owns X?" in chat, in the compose box (message extension search) and on pasted links
 * (link unfurling), plus the catalog's background work: import from CATALOG_LOCATIONS and Azure
 * DevOps on a schedule (one replica at a time, by lease) and the in-memory index refresh on
 * every replica.
 */
import {
  CardFactory,
  MessageFactory,
  type AppBasedLinkQuery,
  type MessagingExtensionQuery,
  type MessagingExtensionResponse,
} from 'botbuilder';
import { cardAttachment, ADAPTIVE_CARD_CONTENT_TYPE, type AdaptiveCard } from '../../../cards/render';
import { CARD_VERBS } from '../../../cards/verbs';
import { parseOwnershipQuestion, type AskIntent } from '../../domain/catalog/ask-phrases';
import type { CatalogImportService } from '../../domain/catalog/catalog-import.service';
import { startIndexRefresh, type IndexRefresh } from '../../domain/catalog/catalog-index-refresher';
import { CatalogQueryService } from '../../domain/catalog/catalog-query.service';
import { startCatalogRefresh, type CatalogRefresh } from '../../domain/catalog/catalog-refresh';
import type { CatalogSearch, CatalogSummary } from '../../domain/catalog/catalog-search.port';
import type { Lease } from '../../domain/catalog/lease.port';
import type { Logger } from '../../logger';
import { cardActionError, type CardActionRouter } from '../card-action-router';
import { BoundedMap } from '../bounded-map';
import type { CommandRoute } from '../command-router';
import { catalogAnswerCard } from './catalog-cards';

export interface CatalogFeatureSettings {
  locations: string[];
  azureDevOpsProjects: string[];
  refreshMinutes: number;
  indexRefreshMs: number;
}

export interface CatalogFeatureDeps {
  index: CatalogSearch;
  importer: CatalogImportService;
  lease?: Lease;
  logger: Logger;
  /**
   * Runs a full GC, if the process allows it: called after the first import, which leaves ~100 MB
   * of garbage (the files read) that an idle replica would otherwise keep resident for minutes.
   * (The index does the same after loading, building or saving itself.)
   */
  collectGarbage?: () => void;
}

export const SEARCH_COMMAND_ID = 'searchServices';
const MAX_SEARCH_RESULTS = 25;
const ANSWER_CACHE_SIZE = 2000;
const ANSWER_CACHE_TTL_MS = 60_000;
const INTENTS: AskIntent[] = ['owner', 'oncall', 'dependencies', 'dependents'];

export class CatalogFeature {
  readonly query: CatalogQueryService;
  private importLoop?: CatalogRefresh;
  private indexLoop?: IndexRefresh;

  constructor(
    private readonly settings: CatalogFeatureSettings,
    private readonly deps: CatalogFeatureDeps,
  ) {
    this.query = new CatalogQueryService({ index: deps.index });
  }

  /** Ready once the index is built and the first import attempt (if this replica runs one) is done. */
  get ready(): boolean {
    return this.deps.index.isBuilt && this.firstImportSettled;
  }

  private firstImportSettled = false;

  /**
   * Loads (or builds) the index and runs the first import (when this replica has locations), then
   * keeps both fresh in the background. Resolves when the catalog is ready.
   */
  async start(): Promise<void> {
    const { index, logger } = this.deps;
    const started = Date.now();
    const { restored = false } = await index.start();
    logger.info({ entities: index.size, ms: Date.now() - started, restored }, 'catalog index ready');
    this.indexLoop = startIndexRefresh({ index, intervalMs: this.settings.indexRefreshMs, logger });
    if (this.settings.locations.length || this.settings.azureDevOpsProjects.length) {
      this.importLoop = startCatalogRefresh({
        intervalMinutes: this.settings.refreshMinutes,
        run: () => this.importAll(),
        logger,
        lease: this.deps.lease,
      });
      await this.importLoop.current.catch(() => undefined); // its own failures are logged by the loop
      this.deps.collectGarbage?.();
    }
    this.firstImportSettled = true;
  }

  /** Applies store changes to this replica's index now, instead of at the next poll. */
  async refreshIndex(): Promise<void> {
    await this.deps.index.refresh();
  }

  async stop(): Promise<void> {
    await Promise.all([this.importLoop?.stop(), this.indexLoop?.stop()]);
    await this.deps.index.flush(); // a snapshot waiting or being saved is saved before the store closes
  }

  async importAll(): Promise<void> {
    const { importer, logger, index } = this.deps;
    const results = [
      ...(this.settings.locations.length ? await importer.importLocations(this.settings.locations) : []),
      ...(this.settings.azureDevOpsProjects.length ? await importer.importAzureDevOps(this.settings.azureDevOpsProjects) : []),
    ];
    const totals = results.reduce(
      (t, r) => ({ created: t.created + r.created, updated: t.updated + r.updated, orphaned: t.orphaned + r.orphaned, problems: t.problems + r.problems.length }),
      { created: 0, updated: 0, orphaned: 0, problems: 0 },
    );
    for (const r of results) for (const p of r.problems) logger.warn({ location: p.location, entity: p.entity, reason: p.reason }, 'catalog entity rejected');
    logger.info({ locations: results.length, ...totals }, 'catalog import done');
    if (totals.created + totals.updated + totals.orphaned > 0) await index.refresh();
  }

  /** Chat commands: the ownership questions and a search. */
  routes(): CommandRoute[] {
    return [
      {
        name: 'who owns',
        description: 'The owning team, who is on call now, deployments, dependencies and links for a service, API, repo, pipeline, secret name or URL.',
        examples: ['who owns payments-api?', 'who is on call for checkout', 'what does payments-api depend on', 'who depends on payments-api'],
        parse: (text) => {
          const question = parseOwnershipQuestion(text);
          return question ? { intent: question.intent, subject: question.subject } : null;
        },
        run: async ({ turn, args }) => {
          const card = await this.answerCard(args.intent as AskIntent, args.subject ?? '');
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
          const hits = this.query.search(args.text ?? '', 5);
          const card = catalogAnswerCard({
            intent: 'owner',
            answer: hits.length ? { kind: 'ambiguous', text: args.text ?? '', candidates: hits.map(candidate) } : { kind: 'none', text: args.text ?? '', suggestions: [] },
          });
          await turn.sendActivity(MessageFactory.attachment(cardAttachment(card)));
        },
      },
    ];
  }

  /** "Did you mean" / search buttons: answer in place of the card that was clicked. */
  registerCardActions(router: CardActionRouter): void {
    router.on(CARD_VERBS.pickCatalogEntity, async (_turn, value) => {
      const data = (value.action?.data ?? {}) as { ref?: string; intent?: string };
      const intent = INTENTS.includes(data.intent as AskIntent) ? (data.intent as AskIntent) : 'owner';
      if (!data.ref) return cardActionError('No entity chosen.');
      return { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: await this.answerCard(intent, data.ref) };
    });
  }

  /**
   * During an incident many people ask about the same few services: answers are cached per
   * question for a minute (the card shows relative times) and dropped as soon as the index moves.
   */
  async answerCard(intent: AskIntent, subject: string): Promise<AdaptiveCard> {
    const key = `${intent}|${subject.trim().toLowerCase()}`;
    const revision = this.deps.index.revision;
    const cached = this.answers.get(key);
    if (cached && cached.revision === revision && cached.expires > Date.now()) return cached.card;
    const card = catalogAnswerCard(await this.query.answer({ intent, subject }));
    this.answers.set(key, { card, revision, expires: Date.now() + ANSWER_CACHE_TTL_MS });
    return card;
  }

  private readonly answers = new BoundedMap<string, { card: AdaptiveCard; revision: number; expires: number }>(ANSWER_CACHE_SIZE);

  /** Compose box search: previews only; the full card is built when one is chosen (selectItem). */
  messagingExtensionQuery(query: MessagingExtensionQuery): MessagingExtensionResponse {
    const text = String(query.parameters?.find((p) => p.name === 'query')?.value ?? '').trim();
    const hits = text ? this.query.search(text, MAX_SEARCH_RESULTS) : [];
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

  async messagingExtensionSelect(value: { ref?: string }): Promise<MessagingExtensionResponse> {
    const card = await this.answerCard('owner', value.ref ?? '');
    return { composeExtension: { type: 'result', attachmentLayout: 'list', attachments: [cardAttachment(card)] } };
  }

  /** A pasted repository or dashboard URL of a known service shows its card. */
  linkUnfurl(query: AppBasedLinkQuery): MessagingExtensionResponse {
    const answer = query.url ? this.query.unfurl(query.url) : null;
    if (!answer || answer.kind !== 'found') return { composeExtension: { type: 'result', attachmentLayout: 'list', attachments: [] } };
    const card = catalogAnswerCard({ intent: 'owner', answer });
    const preview = CardFactory.thumbnailCard(answer.entity.title ?? answer.entity.name, `Owned by ${answer.owner?.displayName ?? answer.owner?.name ?? 'nobody'}`);
    return { composeExtension: { type: 'result', attachmentLayout: 'list', attachments: [{ ...cardAttachment(card), preview }] } };
  }
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
