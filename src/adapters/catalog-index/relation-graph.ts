/**
 * Relations seen from both ends, without a string-keyed Map (400k edges would cost ~15 MB and
 * ~0.4 s of Map probes at 100k entities). A relation may be declared by either entity ("A dependsOn
 * B" in A's file, or "B dependencyOf A" in B's), so each declared edge is also filed under a hash of
 * its target; the source keeps a second, independent hash of each target, which confirms an edge
 * found by the first hash (two refs colliding on both is not a practical concern).
 */
import type { RelationType } from '../../domain/catalog/catalog.types';
import type { CatalogRecord } from './catalog-record';
import { hashSkipping } from './fnv-hash';
import { HashMultiMap, type SealedArrays } from './hash-multimap';

/**
 * Relation types the index keeps, each with its inverse: dependencies and APIs, and (for "what does
 * team-a own", "who is in team-a") ownership, membership and the group tree. System membership is `system`.
 */
const GRAPH_RELATIONS = [
  'dependsOn', 'dependencyOf', 'providesApi', 'apiProvidedBy', 'consumesApi', 'apiConsumedBy',
  'ownedBy', 'ownerOf', 'memberOf', 'hasMember', 'childOf', 'parentOf',
] as const;
export type GraphRelation = (typeof GRAPH_RELATIONS)[number];

const INVERSE: Record<GraphRelation, GraphRelation> = {
  dependsOn: 'dependencyOf', dependencyOf: 'dependsOn',
  providesApi: 'apiProvidedBy', apiProvidedBy: 'providesApi',
  consumesApi: 'apiConsumedBy', apiConsumedBy: 'consumesApi',
  ownedBy: 'ownerOf', ownerOf: 'ownedBy',
  memberOf: 'hasMember', hasMember: 'memberOf',
  childOf: 'parentOf', parentOf: 'childOf',
};

/** Room for the type index in a packed edge (a power of two above GRAPH_RELATIONS.length). */
const TYPES = 16;

export const relationIndex = (type: string): number => (GRAPH_RELATIONS as readonly string[]).indexOf(type);

/** The first hash files an edge; the second (kept on the source record) confirms it. */
export const refHash = (ref: string): number => hashSkipping(ref, -1);
function refCheck(ref: string): number {
  let h = 7;
  for (let i = 0; i < ref.length; i++) h = (Math.imul(h, 31) + ref.charCodeAt(i)) | 0;
  return h >>> 0;
}

/**
 * A record's declared edges in the compact form records keep: one number per edge,
 * refCheck(target) * TYPES + typeIndex (exact in a double; an array of them stores raw doubles).
 */
export function packRelations(relations: readonly { type: string; target: string }[]): number[] {
  const out: number[] = [];
  for (const r of relations) {
    const t = relationIndex(r.type);
    if (t >= 0) out.push(refCheck(r.target) * TYPES + t);
  }
  return out;
}

export class RelationGraph {
  /** refHash(target) -> sourceSlot * TYPES + typeIndex. Append-only: dead slots are skipped. */
  constructor(private readonly incoming = new HashMultiMap()) {}

  static fromSealed(arrays: SealedArrays): RelationGraph {
    return new RelationGraph(HashMultiMap.fromSealed(arrays));
  }

  sealedArrays(): SealedArrays | undefined {
    return this.incoming.sealedArrays();
  }

  add(slot: number, relations: readonly { type: string; target: string }[]): void {
    for (const r of relations) {
      const t = relationIndex(r.type);
      if (t >= 0) this.incoming.add(refHash(r.target), slot * TYPES + t);
    }
  }

  seal(): void {
    this.incoming.seal();
  }

  /**
   * Refs R such that "X type R" holds: X's own declarations (`declared`, from its details) and the
   * inverse ones other live records made about X. Sorted, unique. X need not be held: an owner that
   * is not in the catalog still owns what names it (`x` is then just its ref, `declared` empty).
   */
  related(x: Pick<CatalogRecord, 'ref'>, type: RelationType, declared: readonly { type: string; target: string }[], recordAt: (slot: number) => CatalogRecord | undefined): string[] {
    const out = new Set<string>();
    for (const r of declared) if (r.type === type) out.add(r.target);
    const inverse = (GRAPH_RELATIONS as readonly string[]).includes(type) ? relationIndex(INVERSE[type as GraphRelation]) : -1;
    if (inverse >= 0) {
      const check = refCheck(x.ref);
      this.incoming.forEach(refHash(x.ref), (code) => {
        if (code % TYPES !== inverse) return;
        const source = recordAt(Math.floor(code / TYPES));
        if (!source) return;
        if (source.relations.includes(check * TYPES + inverse)) out.add(source.ref);
      });
    }
    out.delete(x.ref);
    return [...out].sort();
  }
}
