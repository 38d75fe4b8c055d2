/**
 * A fresh IndexState made from changed entities as they are read, then the unchanged records of
 * the current state (none for a full build from the store): a refresh with a large change set (a
 * first import of 100k entities arrives in waves of ~25k) rebuilds without holding the changed
 * entities in memory (holding them was ~500 MB of heap for 100k). Later versions of a ref win; an
 * orphaned entity leaves.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { IndexedEntity } from '../../domain/catalog/catalog-store.port';
import { indexedRelations, toRecord } from './catalog-record';
import { DetailsCodec } from './details-codec';
import { IndexState, type RecordFacts } from './index-state';

/** Records handled between two yields to the event loop (~20-40 ms of work). */
const REBUILD_CHUNK = 2000;

export const factsOf = (e: IndexedEntity): RecordFacts => ({ urls: [...e.links.map((l) => l.url), e.source.repository?.url], relations: indexedRelations(e) });

export class IndexRebuild {
  private readonly next: IndexState;
  /** Refs the changes named: their records in the current state are replaced or gone. */
  private readonly touched = new Set<string>();
  /** Refs whose latest change so far orphaned them, with that change's revision. */
  private readonly orphans = new Map<string, number>();
  private handled = 0;

  /** `codec`: the current state's, so its records (details encoded with it) move over as they are. */
  constructor(codec = new DetailsCodec()) {
    this.next = new IndexState(codec);
  }

  /** One changed entity, in the order read (a ref read twice keeps the later); yields to the event loop now and then. */
  async take(e: IndexedEntity): Promise<void> {
    this.touched.add(e.ref);
    if (e.status === 'active') {
      this.next.add(toRecord(e, this.next.codec), factsOf(e));
      this.orphans.delete(e.ref);
    } else this.orphans.set(e.ref, e.revision);
    await this.pace();
  }

  /** Adds the records of `from` (none: a build from scratch) that no change named, and seals: the state to swap in. */
  async finish(from?: IndexState): Promise<IndexState> {
    if (from) await this.carryOver(from);
    // A ref changed twice: seal() keeps the later slot; an orphaning newer than what is left removes it.
    this.next.seal();
    for (const [ref, at] of this.orphans) if ((this.next.get(ref)?.revision ?? Infinity) < at) this.next.remove(ref);
    return this.next;
  }

  private async carryOver(from: IndexState): Promise<void> {
    for (let slot = 0; slot < from.slots; slot++) {
      const ref = from.refOf(slot);
      if (ref === undefined || this.touched.has(ref)) continue;
      this.next.add(from.readAt(slot)!);
      await this.pace();
    }
  }

  private async pace(): Promise<void> {
    if (++this.handled % REBUILD_CHUNK === 0) await yieldToEventLoop();
  }
}
