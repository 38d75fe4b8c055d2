/**
 * Keeps a replica's index current with imports done anywhere: polls the store's cheap
 * `currentRevision()` and refreshes when it moved. Ticks never overlap (the next is scheduled
 * after the previous finished). Revisions are reserved before writes commit, so a write can land
 * behind the revision already read: a full rebuild every `resyncMs` (default 1 h) picks such
 * stragglers up.
 */
import type { Logger } from '../../logger';
import type { CatalogSearch } from './catalog-search.port';

export interface IndexRefreshOptions {
  index: Pick<CatalogSearch, 'build' | 'refresh' | 'revision' | 'storeRevision'>;
  intervalMs: number;
  logger?: Logger;
  /** Full rebuild period (0: never). */
  resyncMs?: number;
}

export interface IndexRefresh {
  stop(): Promise<void>;
}

export function startIndexRefresh({ index, intervalMs, logger, resyncMs = 3_600_000 }: IndexRefreshOptions): IndexRefresh {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let lastResync = Date.now();

  const tick = async () => {
    try {
      if (resyncMs > 0 && Date.now() - lastResync >= resyncMs) {
        lastResync = Date.now();
        await index.build();
        return;
      }
      const revision = await index.storeRevision();
      // Lower than ours: the store was reset or replaced; rebuild rather than trust our state.
      if (revision < index.revision) await index.build();
      else if (revision > index.revision) await index.refresh();
    } catch (err) {
      logger?.warn({ err }, 'catalog index refresh failed; retrying at the next tick');
    }
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().finally(schedule);
    }, intervalMs);
    timer.unref?.();
  };
  schedule();

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
