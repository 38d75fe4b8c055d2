/**
 * What a team or person owns, as card text: the count per kind over everything, then the first
 * entities by name. Team, user and "owns" cards share it so a count always means the same thing.
 * Names arrive escaped (the views escape what came from a descriptor).
 */

export interface OwnsView {
  total: number;
  byKind: { kind: string; count: number }[];
  /** The first entities, best kinds first; `total` may be more. */
  items: { name: string; kind: string }[];
}

const plural = (kind: string, n: number) => (n === 1 ? kind : kind.endsWith('s') ? `${kind}es` : `${kind}s`);

/** "3 Components · 1 API", or "nothing in the catalog". */
export function ownsCounts(owns: OwnsView): string {
  return owns.total ? owns.byKind.map((k) => `${k.count} ${plural(k.kind, k.count)}`).join(' · ') : 'nothing in the catalog';
}

/** One line per entity shown, then how many were left out and how to see them. */
export function ownsList(owns: OwnsView, seeMore: string): string {
  const lines = owns.items.map((i) => `- **${i.name}** (${i.kind})`);
  const more = owns.total - owns.items.length;
  if (more > 0) lines.push(`- …and ${more} more: ${seeMore}`);
  return lines.join('\n');
}
