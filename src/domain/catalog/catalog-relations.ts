/**
 * Relations seen from both ends. A relation may be declared by either entity ("A dependsOn B" in
 * A's file, or "B dependencyOf A" in B's), so each declared edge is also filed under its target;
 * `related(X, type)` merges X's own declarations with the inverse ones others made about X.
 */
import type { CatalogRecord } from './catalog-record';
import type { RelationType } from './catalog.types';

const INVERSE: Partial<Record<RelationType, RelationType>> = {
  dependsOn: 'dependencyOf', dependencyOf: 'dependsOn',
  providesApi: 'apiProvidedBy', apiProvidedBy: 'providesApi',
  consumesApi: 'apiConsumedBy', apiConsumedBy: 'consumesApi',
  partOf: 'hasPart', hasPart: 'partOf',
  childOf: 'parentOf', parentOf: 'childOf',
  memberOf: 'hasMember', hasMember: 'memberOf',
};

export class RelationGraph {
  /** target ref -> [target, type, source, type, source, ...]: flat pairs after the target itself. */
  private readonly incoming = new Map<string, string[]>();

  /** Files the record's relations under their targets, and makes its targets share the graph's strings. */
  add(record: CatalogRecord): void {
    const rel = record.relations;
    for (let k = 0; k < rel.length; k += 2) {
      const list = this.incoming.get(rel[k + 1]);
      if (list) {
        rel[k + 1] = list[0];
        list.push(rel[k], record.ref);
      } else this.incoming.set(rel[k + 1], [rel[k + 1], rel[k], record.ref]);
    }
  }

  remove(record: CatalogRecord): void {
    const rel = record.relations;
    for (let k = 0; k < rel.length; k += 2) {
      const list = this.incoming.get(rel[k + 1]);
      if (!list) continue;
      for (let i = 1; i < list.length; i += 2) {
        if (list[i] === rel[k] && list[i + 1] === record.ref) {
          list.splice(i, 2);
          break;
        }
      }
      if (list.length === 1) this.incoming.delete(rel[k + 1]);
    }
  }

  /** Refs R such that "X type R" holds, declared by X or (as the inverse) by R. Sorted, unique. */
  related(x: CatalogRecord, type: RelationType): string[] {
    const out = new Set<string>();
    for (let k = 0; k < x.relations.length; k += 2) if (x.relations[k] === type) out.add(x.relations[k + 1]);
    const inverse = INVERSE[type];
    const list = this.incoming.get(x.ref);
    if (inverse && list) for (let i = 1; i < list.length; i += 2) if (list[i] === inverse) out.add(list[i + 1]);
    out.delete(x.ref);
    return [...out].sort();
  }
}
