/**
 * The CatalogSearch port, in memory. Every active catalog entity, searchable without touching the store: the test store
 * never uses indexes (a lookup costs 5-20 ms at 50k documents) and "who owns" must answer in
 * microseconds. Built from one `streamAll` pass (or `changedSince(0)` pages), refreshed
 * incrementally from `changedSince(last revision)`: orphaned entities leave, changed ones replace their old keys. A large change set, or
 * too much dead weight from many small ones, rebuilds the structures from the records in memory
 * (in chunks, yielding to the event loop; queries keep using the old state until the swap).
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Logger } from '../../logger';
import { displayName, type EntityView } from '../../domain/catalog/catalog-entry';
import { CatalogMatcher, type Lookup } from '../../domain/catalog/catalog-matcher';
import type { CatalogSearch, CatalogSummary, IndexUpdate } from '../../domain/catalog/catalog-search.port';
import type { CatalogStore, IndexedEntity } from '../../domain/catalog/catalog-store.port';
import type { CatalogEntity, RelationType } from '../../domain/catalog/catalog.types';
import type { IndexSnapshotMeta, IndexSnapshotStore } from '../../domain/catalog/index-snapshot-store.port';
import { toRecord, toView, type CatalogRecord } from './catalog-record';
import { DetailsCodec } from './details-codec';
import { factsOf, IndexRebuild } from './index-rebuild';
import { decodeIndexSnapshot, encodeIndexSnapshot, SNAPSHOT_FORMAT } from './index-snapshot';
import { IndexState } from './index-state';

export type { CatalogRecord } from './catalog-record';

export interface InMemoryCatalogSearchOptions {
  /** Entities read per `changedSince` call. */
  pageSize?: number;
  /**
   * Entities per batch of the initial build's `streamAll` (default 1000): smaller batches leave less
   * of the store's documents alive long enough to reach the old generation (resident memory).
   */
  streamBatchSize?: number;
  /** Revisions re-read behind the last one seen, for writes that committed late (default 200). */
  overlap?: number;
  /** A refresh with more changes than this rebuilds instead of patching (default: 2000 or 10% of the index). */
  rebuildAbove?: number;
  /** Where start() loads the index from, and where each rebuild is saved for the next start. */
  snapshots?: IndexSnapshotStore;
  /**
   * A rebuild made by a refresh is saved as a snapshot once no other rebuild followed for this long
   * (default 30 s): a first import of 100k entities rebuilds the index 5-7 times as it grows, and
   * saving each (8-100 MB) slowed the import by a third. stop() saves one still waiting.
   */
  snapshotQuietMs?: number;
  logger?: Logger;
  /**
   * Runs a full GC, if the process allows it: called after the work that leaves ~100-200 MB of
   * garbage at once (a snapshot loaded or saved, a full build or rebuild), which a replica that
   * goes idle afterwards would otherwise keep resident for minutes.
   */
  collectGarbage?: () => void;
}

export class InMemoryCatalogSearch implements CatalogSearch {
  private state = sealed(new IndexState());
  private readonly matcher = new CatalogMatcher(() => this.state);
  private lastRevision = 0;
  /** Revision of the newest snapshot known to be stored (loaded or saved). */
  private snapshotRevision = 0;
  private built = false;
  private queue: Promise<unknown> = Promise.resolve();
  /** A snapshot save waiting for the index to be quiet (see snapshotQuietMs). */
  private pendingSave?: NodeJS.Timeout;
  private readonly pageSize: number;
  private readonly overlap: number;

  constructor(
    private readonly store: CatalogStore,
    private readonly options: InMemoryCatalogSearchOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 1000;
    this.overlap = options.overlap ?? 200;
  }

  /** Highest store revision the index has applied. */
  get revision(): number {
    return this.lastRevision;
  }

  get size(): number {
    return this.state.live;
  }

  get isBuilt(): boolean {
    return this.built;
  }

  /**
   * The first index of this replica: the newest snapshot, topped up with what changed since it was
   * made; without a usable one, a full build (then saved as a snapshot for the next start).
   */
  start(): Promise<IndexUpdate> {
    return this.exclusive(async () => {
      const started = performance.now();
      if (await this.restoreNow()) {
        // The snapshot answers already; a failed top-up is retried by the next refresh.
        const topUp = await this.refreshNow().catch((err: unknown) => {
          this.options.logger?.warn({ err }, 'catalog index top-up after the snapshot failed; the next refresh retries');
          return this.report(0, false, started);
        });
        return { ...topUp, restored: true, ms: Math.round(performance.now() - started) };
      }
      return this.buildNow('now');
    });
  }

  /** Reads every entity and swaps in a fresh index. Calls are serialised with refresh(). */
  build(): Promise<IndexUpdate> {
    return this.exclusive(() => this.buildNow('now'));
  }

  /** Loads the newest snapshot of this code's format; false (and the index untouched) when there is none or it is unusable. */
  private async restoreNow(): Promise<boolean> {
    const snapshots = this.options.snapshots;
    if (!snapshots) return false;
    const started = performance.now();
    let meta: IndexSnapshotMeta | undefined;
    try {
      meta = await snapshots.latest(SNAPSHOT_FORMAT);
      if (!meta) return false;
      const state = await decodeIndexSnapshot(snapshots.read(meta.id));
      this.state = state;
      this.lastRevision = meta.revision;
      this.snapshotRevision = meta.revision;
      this.built = true;
      this.options.logger?.info(
        { catalogIndex: { entities: state.live, revision: meta.revision, bytes: meta.bytes, ms: Math.round(performance.now() - started) } },
        'catalog index loaded from snapshot',
      );
      this.options.collectGarbage?.();
      return true;
    } catch (err) {
      this.options.logger?.warn({ err, snapshot: meta?.id }, 'catalog index snapshot unusable; building from the store');
      // Out of the way, so the build that follows is saved in its place and the next start uses that.
      if (meta) await snapshots.discard(meta.id).catch((e: unknown) => this.options.logger?.warn({ err: e }, 'catalog index snapshot not discarded'));
      return false;
    }
  }

  /** Saves the current state as the newest snapshot, unless the store holds one as recent (another replica's). */
  private async saveSnapshotNow(): Promise<void> {
    const snapshots = this.options.snapshots;
    const revision = this.lastRevision;
    if (!snapshots || revision <= this.snapshotRevision) return;
    const started = performance.now();
    const stored = await snapshots.latest(SNAPSHOT_FORMAT);
    if (stored && stored.revision >= revision) {
      this.snapshotRevision = stored.revision;
      return;
    }
    // A rebuilt state that small refreshes patched since holds deltas a snapshot cannot carry:
    // seal it again first (one rebuild from the state itself), or the saved rebuild is lost.
    if (!this.state.parts()) this.state = await new IndexRebuild(this.state.codec).finish(this.state);
    const data = encodeIndexSnapshot(this.state);
    if (!data) return;
    await snapshots.save({ format: SNAPSHOT_FORMAT, revision, entities: this.state.live, data });
    this.snapshotRevision = revision;
    this.options.collectGarbage?.();
    this.options.logger?.info({ catalogIndex: { revision, entities: this.state.live, bytes: data.length, ms: Math.round(performance.now() - started) } }, 'catalog index snapshot saved');
  }

  /**
   * Queues a snapshot save behind whatever the index is doing, now or once the index has been quiet
   * for snapshotQuietMs; a failure only costs the next start time.
   */
  private saveSnapshotSoon(when: 'now' | 'quiet'): void {
    if (!this.options.snapshots) return;
    clearTimeout(this.pendingSave);
    this.pendingSave = undefined;
    const quietMs = this.options.snapshotQuietMs ?? 30_000;
    if (when === 'now' || quietMs <= 0) {
      this.exclusive(() => this.saveSnapshotNow()).catch((err: unknown) => this.options.logger?.warn({ err }, 'catalog index snapshot not saved'));
      return;
    }
    this.pendingSave = setTimeout(() => this.saveSnapshotSoon('now'), quietMs);
    this.pendingSave.unref();
  }

  /** Saves a snapshot still waiting for a quiet moment now, then waits for everything queued (stop()). */
  async flush(): Promise<void> {
    if (this.pendingSave) this.saveSnapshotSoon('now');
    await this.idle();
  }

  private async buildNow(saveSnapshot: 'now' | 'quiet'): Promise<IndexUpdate> {
    const started = performance.now();
    // Every entity is a change against an empty state; orphans in the stream are applied at the
    // end (a later active version of the same ref cancels one).
    const rebuild = new IndexRebuild();
    let revision = 0;
    let read = 0;
    // One pass over the store when it can stream (an unsorted read: entities written meanwhile may
    // be missed, so the next refresh starts from the revision handed out before the pass, minus the
    // overlap); else pages of changedSince(0), each a full scan and sort on the embedded store.
    const streamed = this.store.streamAll !== undefined;
    const before = streamed ? await this.store.currentRevision() : Infinity;
    const source: AsyncIterable<IndexedEntity[]> = this.store.streamAll?.(this.options.streamBatchSize ?? 1000) ?? this.pages(0);
    for await (const page of source) {
      for (let k = 0; k < page.length; k++) {
        const e = page[k];
        read++;
        revision = Math.max(revision, e.revision);
        await rebuild.take(e);
        (page as unknown[])[k] = undefined; // let the store's copy go while the page is processed
      }
      await yieldToEventLoop();
    }
    const next = await rebuild.finish();
    // Dead slots from entities seen twice while paging: compact once more if it matters.
    this.state = next.churn > next.live * 0.1 ? await new IndexRebuild(next.codec).finish(next) : next;
    this.lastRevision = Math.min(revision, before);
    this.built = true;
    this.options.collectGarbage?.();
    this.saveSnapshotSoon(saveSnapshot);
    return this.report(read, true, started);
  }

  /** Resolves once everything queued (a build, a refresh, a snapshot being saved) has finished. */
  idle(): Promise<void> {
    return this.queue.then(() => undefined);
  }

  /** Applies what changed since the last build/refresh (a no-op when nothing did). */
  refresh(): Promise<IndexUpdate> {
    return this.exclusive(() => (this.built ? this.refreshNow() : this.buildNow('quiet')));
  }

  private async refreshNow(): Promise<IndexUpdate> {
    const started = performance.now();
    const live = this.state.live;
    // Past this many changes the state is rebuilt rather than patched: a large change set, or one
    // that would leave too many dead slots. The changes are then streamed into the rebuild.
    const rebuildAbove = Math.min(this.options.rebuildAbove ?? Math.max(2000, live * 0.1), Math.max(5000, live * 0.25) - this.state.churn);
    let changed: CatalogEntity[] = [];
    let rebuild: IndexRebuild | undefined;
    let count = 0;
    let revision = this.lastRevision;
    // Re-read a small overlap: revisions are reserved before the write commits, so a write can
    // land just behind what we read last time. Versions we already hold are skipped.
    for await (const page of this.pages(Math.max(0, this.lastRevision - this.overlap))) {
      for (const e of page) {
        revision = Math.max(revision, e.revision);
        const held = this.state.get(e.ref);
        if (held?.revision === e.revision || (e.status !== 'active' && !held)) continue;
        count++;
        if (rebuild) await rebuild.take(e);
        else if (changed.push(e) > rebuildAbove) {
          rebuild = new IndexRebuild(this.state.codec);
          for (const c of changed) await rebuild.take(c);
          changed = [];
        }
      }
    }
    if (!count) {
      this.lastRevision = revision;
      return this.report(0, false, started);
    }
    if (rebuild) this.state = await rebuild.finish(this.state);
    else {
      for (const e of changed) {
        if (e.status === 'active') this.state.add(toRecord(e, this.state.codec), factsOf(e));
        else this.state.remove(e.ref);
      }
    }
    this.lastRevision = revision;
    if (rebuild) {
      this.options.collectGarbage?.();
      this.saveSnapshotSoon('quiet');
    }
    return this.report(count, rebuild !== undefined, started);
  }

  lookup(text: string): Lookup {
    return this.matcher.lookup(text);
  }

  search(text: string, limit = 25): CatalogSummary[] {
    return this.matcher.search(text, limit).map(({ ref, score, matchedBy }) => {
      const r = this.get(ref) as CatalogRecord;
      const owner = r.owner ? this.get(r.owner) : undefined;
      return {
        ref, kind: r.kind, name: r.name, title: r.title, description: r.description, type: r.type, owner: r.owner,
        ownerName: owner ? displayName(owner) : undefined, tier: r.tier, lifecycle: r.lifecycle, score, matchedBy,
      };
    });
  }

  /** For link unfurling: the entity a repository or link URL belongs to, when exactly one does. */
  findByUrl(url: string): { ref: string; matchedBy: string } | undefined {
    return this.matcher.findByUrl(url);
  }

  get(ref: string): CatalogRecord | undefined {
    return this.state.get(ref);
  }

  async storeRevision(): Promise<number> {
    return this.store.currentRevision();
  }

  async entityFromStore(ref: string): Promise<EntityView | undefined> {
    const e = await this.store.get(ref);
    const codec = new DetailsCodec(); // not the index's: its tables need not grow for a one-off
    return e && e.status === 'active' ? toView(toRecord(e, codec), codec) : undefined;
  }

  /** The whole entity (hot fields + decoded details), for an answer card. */
  view(ref: string): EntityView | undefined {
    const r = this.state.get(ref);
    return r && toView(r, this.state.codec);
  }

  /** Refs R with "ref type R", declared by either end (A dependsOn B = B dependencyOf A); also for a ref not held. */
  related(ref: string, type: RelationType): string[] {
    return this.state.related(ref, type);
  }

  private async *pages(after: number): AsyncGenerator<CatalogEntity[]> {
    let revision = after;
    for (;;) {
      const page = await this.store.changedSince(revision, this.pageSize);
      if (!page.length) return;
      const last = page[page.length - 1].revision; // read before the consumer releases the page
      yield page;
      if (page.length < this.pageSize) return;
      revision = last;
    }
  }

  private report(read: number, rebuilt: boolean, started: number): IndexUpdate {
    const update = { read, size: this.state.live, revision: this.lastRevision, rebuilt, ms: Math.round(performance.now() - started) };
    if (read) this.options.logger?.info({ catalogIndex: update }, rebuilt ? 'catalog index built' : 'catalog index refreshed');
    return update;
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function sealed(s: IndexState): IndexState {
  s.seal();
  return s;
}
