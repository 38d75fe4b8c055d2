/**
 * During an incident many people ask about the same few services: answer cards are cached per
 * question for a minute (the card shows relative times) and dropped as soon as the index moves.
 */
import type { AdaptiveCard } from '../../cards/render';
import { BoundedMap } from '../../src/bot/bounded-map';
import type { AskIntent } from '../../src/domain/catalog/ask-phrases';
import type { CatalogQueryService } from '../../src/domain/catalog/catalog-query.service';
import { catalogAnswerCard } from './catalog.views';

const ANSWER_CACHE_SIZE = 2000;
const ANSWER_CACHE_TTL_MS = 60_000;

export class CatalogAnswers {
  private readonly cache = new BoundedMap<string, { card: AdaptiveCard; revision: number; expires: number }>(ANSWER_CACHE_SIZE);

  constructor(
    private readonly query: CatalogQueryService,
    private readonly revision: () => number,
  ) {}

  async card(intent: AskIntent, subject: string): Promise<AdaptiveCard> {
    const key = `${intent}|${subject.trim().toLowerCase()}`;
    const revision = this.revision();
    const cached = this.cache.get(key);
    if (cached && cached.revision === revision && cached.expires > Date.now()) return cached.card;
    const card = catalogAnswerCard(await this.query.answer({ intent, subject }));
    this.cache.set(key, { card, revision, expires: Date.now() + ANSWER_CACHE_TTL_MS });
    return card;
  }
}
