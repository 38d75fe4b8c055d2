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
  /** target ref -> [type, source, type, source, ...]: flat pairs, no object per edge. */
  private readonly incoming = new Map<string, string[]>();

  add(record: CatalogRecord): void {
    for (const r of record.relations) {
      const list = this.incoming.get(r.target);
      if (list) list.push(r.type, record.ref);
      else this.incoming.set(r.target, [r.type, record.ref]);
    }
  }

  remove(record: CatalogRecord): void {
    for (const r of record.relations) {
      const list = this.incoming.get(r.target);
      if (!list) continue;
      for (let i = 0; i < list.length; i += 2) {
        if (list[i] === r.type && list[i + 1] === record.ref) {
          list.splice(i, 2);
          break;
        }
      }
      if (list.length === 0) this.incoming.delete(r.target);
    }
  }

  /** Refs R such that "X type R" holds, declared by X or (as the inverse) by R. Sorted, unique. */
  related(x: CatalogRecord, type: RelationType): string[] {
    const out = new Set<string>();
    for (const r of x.relations) if (r.type === type) out.add(r.target);
    const inverse = INVERSE[type];
    const list = this.incoming.get(x.ref);
    if (inverse && list) for (let i = 0; i < list.length; i += 2) if (list[i] === inverse) out.add(list[i + 1]);
    out.delete(x.ref);
    return [...out].sort();
  }
}
