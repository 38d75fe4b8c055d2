import template from './catalog-digest.card.json';
import { renderTemplate, type AdaptiveCard } from './render';

/** The digest card's buttons, one set per listed check. */
export const CATALOG_DIGEST_VERBS = { fix: 'catalog-digest.fix', snooze: 'catalog-digest.snooze', notApplicable: 'catalog-digest.not-applicable', show: 'catalog-digest.show' } as const;

/** Teams refuses a message over ~28 KB; the card keeps a margin for the activity around it. */
export const DIGEST_CARD_MAX_BYTES = 26 * 1024;

export interface DigestCardItem {
  ref: string;
  rule: string;
  /** Markdown, escaped by the view. */
  text: string;
  fixTitle?: string;
  prText?: string;
}

export interface DigestCardGroup {
  heading: string;
  hint: string;
  items: DigestCardItem[];
  /** Checks of this rule not listed. */
  hidden: number;
}

export interface DigestCardView {
  team: string;
  heading: string;
  subheading: string;
  status?: { text: string; color: 'Good' | 'Attention' | 'Default' };
  changes?: string;
  allGood?: string;
  groups: DigestCardGroup[];
  fixed?: string;
}

const render = (view: DigestCardView): AdaptiveCard =>
  renderTemplate(template, {
    verbs: CATALOG_DIGEST_VERBS,
    team: view.team,
    heading: view.heading,
    subheading: view.subheading,
    hasStatus: Boolean(view.status),
    status: view.status?.text ?? '',
    statusColor: view.status?.color ?? 'Default',
    hasChanges: Boolean(view.changes),
    changes: view.changes ?? '',
    allGood: Boolean(view.allGood),
    allGoodText: view.allGood ?? '',
    groups: view.groups.map((g) => ({
      heading: g.heading,
      hint: g.hint,
      items: g.items.map((i) => ({ ref: i.ref, rule: i.rule, text: i.text, hasFix: Boolean(i.fixTitle), fixTitle: i.fixTitle ?? 'Fix', hasPr: Boolean(i.prText), prText: i.prText ?? '' })),
      hasMore: g.hidden > 0,
      more: `and ${g.hidden} more`,
    })),
    hasFixed: Boolean(view.fixed),
    fixed: view.fixed ?? '',
    fixedText: view.fixed ?? '',
  });

const bytes = (card: AdaptiveCard) => Buffer.byteLength(JSON.stringify(card), 'utf8');

/** Group i lists at most `caps[i]` checks; the rest are counted in "and N more". */
const capped = (view: DigestCardView, caps: number[]): DigestCardView => ({
  ...view,
  groups: view.groups.map((g, i) => {
    const cap = caps[i]!;
    return g.items.length <= cap ? g : { ...g, items: g.items.slice(0, cap), hidden: g.hidden + g.items.length - cap };
  }),
});

/**
 * The digest card, under DIGEST_CARD_MAX_BYTES. When it is larger, every group lists the same,
 * largest number of checks that fits (a binary search), then the worst groups one more each while
 * it still fits: a few dozen renders even for thousands of checks; every group keeps its heading and count.
 */
export function renderCatalogDigestCard(view: DigestCardView): AdaptiveCard {
  const full = render(view);
  if (bytes(full) <= DIGEST_CARD_MAX_BYTES) return full;
  const fits = (caps: number[]) => {
    const card = render(capped(view, caps));
    return bytes(card) <= DIGEST_CARD_MAX_BYTES ? card : null;
  };
  const uniform = (cap: number) => view.groups.map(() => cap);
  let best = { caps: uniform(0), card: render(capped(view, uniform(0))) };
  let low = 1;
  let high = Math.max(0, ...view.groups.map((g) => g.items.length)) - 1;
  while (low <= high) {
    const cap = Math.floor((low + high) / 2);
    const card = fits(uniform(cap));
    if (card) {
      best = { caps: uniform(cap), card };
      low = cap + 1;
    } else high = cap - 1;
  }
  // Groups come worst first: they get the room that is left.
  for (let i = 0; i < view.groups.length; i++) {
    if (view.groups[i]!.items.length <= best.caps[i]!) continue;
    const caps = best.caps.map((c, j) => (j === i ? c + 1 : c));
    const card = fits(caps);
    if (card) best = { caps, card };
  }
  return best.card;
}
