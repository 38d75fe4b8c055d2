/**
 * CatalogSyncService with the real Scheduler and JobRunner on the in-memory job store: the import
 * on one replica per period, start() resolving after the first attempt, and the index poll loop.
 * The test owns the clock and the timers (see manual-time.ts).
 */
import { CATALOG_IMPORT_SCHEDULE, CatalogSyncService, type SyncedIndex } from '../../src/domain/catalog/catalog-sync.service';
import { JOB_LEASE_MS, JobRunner } from '../../src/domain/jobs/job-runner';
import { occurrenceKey, scheduledJobType, Scheduler } from '../../src/domain/jobs/scheduler';
import { InMemoryJobStore } from '../fakes/in-memory-job-store';
import { gate, ManualTimers, waitFor } from '../helpers/manual-time';

const IMPORT_MS = 30 * 60_000;
const INDEX_MS = 5_000;
const SLOT = 1_000_000;

let now: number;
let store: InMemoryJobStore;
const stops: (() => Promise<void>)[] = [];

beforeEach(() => {
  now = SLOT * IMPORT_MS + 777;
  store = new InMemoryJobStore();
});
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

function logger() {
  const lines: { level: string; msg?: string; obj: object }[] = [];
  const at = (level: string) => (obj: object, msg?: string) => void lines.push({ level, msg, obj });
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

/** A replica: its runner, scheduler (timers fired by the test) and sync service. */
function replica(options: { import?: (signal: AbortSignal) => Promise<void>; index?: SyncedIndex; owner?: string; resyncMs?: number; leaseMs?: number }) {
  const clock = () => now;
  const log = logger();
  const runner = new JobRunner({ store, clock, owner: options.owner ?? 'runner-A', logger: log });
  const schedulerTimers = new ManualTimers();
  const indexTimers = new ManualTimers();
  const scheduler = new Scheduler({ runner, clock, setTimer: schedulerTimers.set, logger: log, settlePollMs: 10 });
  const sync = new CatalogSyncService({
    ...(options.import ? { import: options.import } : {}),
    index: options.index ?? { refresh: async () => undefined },
    scheduler,
    intervals: { importMs: IMPORT_MS, indexRefreshMs: INDEX_MS, ...(options.resyncMs !== undefined ? { resyncMs: options.resyncMs } : {}) },
    logger: log,
    clock,
    setTimer: indexTimers.set,
  });
  runner.start({ pollIntervalMs: 20, leaseMs: options.leaseMs ?? 500, concurrency: 2 });
  void scheduler.start();
  let stopped = false;
  /** What the bot's stop() does (main.ts): the runner first (grace, then hand back), then the sync. */
  const stop = async (graceMs = 1000) => {
    if (stopped) return;
    stopped = true;
    await runner.stop({ graceMs });
    await sync.stop();
    scheduler.stop();
  };
  stops.push(() => stop());
  return { runner, scheduler, sync, schedulerTimers, indexTimers, log, stop };
}

const importJob = (slot: number) => store.findByKey(scheduledJobType(CATALOG_IMPORT_SCHEDULE), occurrenceKey(CATALOG_IMPORT_SCHEDULE, slot));

describe('CatalogSyncService: the import', () => {
  it('start() resolves after the first import attempt, not before', async () => {
    const importing = gate();
    let imports = 0;
    const a = replica({
      import: async () => {
        imports++;
        await importing.opened;
      },
    });
    let ready = false;
    const started = a.sync.start().then(() => (ready = true));
    await waitFor(() => imports === 1, 'the first import to start');
    expect(ready).toBe(false);
    importing.open();
    await started;
    await expect(importJob(SLOT)).resolves.toMatchObject({ status: 'succeeded' });
    expect(a.log.lines.some((l) => l.msg === 'catalog import done')).toBe(true);
  });

  it('a failed first import: start() still resolves, the failure is logged, the next period imports again', async () => {
    let imports = 0;
    const a = replica({
      import: async () => {
        imports++;
        if (imports === 1) throw new Error('catalog location unreadable');
      },
    });
    await a.sync.start();
    expect(a.log.lines.find((l) => l.level === 'error')?.msg).toMatch(/catalog import failed/);
    await expect(importJob(SLOT)).resolves.toMatchObject({ status: 'failed' });
    now = (SLOT + 1) * IMPORT_MS;
    a.schedulerTimers.fireAll();
    await waitFor(async () => (await importJob(SLOT + 1))?.status === 'succeeded', 'the next period to import');
    expect(imports).toBe(2);
  });

  it('two replicas: one import per period, and both start() calls resolve after it', async () => {
    const runs: string[] = [];
    const importing = gate();
    const importAs = (who: string) => async () => {
      runs.push(who);
      await importing.opened;
    };
    const a = replica({ import: importAs('A'), owner: 'runner-A' });
    const b = replica({ import: importAs('B'), owner: 'runner-B' });
    const ready: string[] = [];
    const both = Promise.all([a.sync.start().then(() => ready.push('A')), b.sync.start().then(() => ready.push('B'))]);
    await waitFor(() => runs.length === 1, 'the first import');
    expect(ready).toEqual([]);
    importing.open();
    await both;
    expect(runs).toHaveLength(1);

    now = (SLOT + 1) * IMPORT_MS;
    a.schedulerTimers.fireAll();
    b.schedulerTimers.fireAll();
    await waitFor(async () => (await importJob(SLOT + 1))?.status === 'succeeded', 'the second period');
    expect(runs).toHaveLength(2);
  });

  it('without locations nothing is scheduled and start() resolves at once; the index loop still runs', async () => {
    let refreshes = 0;
    const a = replica({ index: { refresh: async () => void refreshes++ } });
    await a.sync.start();
    expect(a.schedulerTimers.armed).toHaveLength(0);
    a.indexTimers.fireAll();
    await waitFor(() => refreshes === 1, 'an index refresh');
  });

  it('stop() during a first import that another replica holds: start() resolves, so shutdown never waits on it', async () => {
    // Replica B (not started here) holds this slot's import: its job is running under B's lease.
    const { job } = await store.insertIfAbsent({
      type: scheduledJobType(CATALOG_IMPORT_SCHEDULE),
      idempotencyKey: occurrenceKey(CATALOG_IMPORT_SCHEDULE, SLOT),
      status: 'running',
      steps: [{ name: 'run', status: 'running', attempts: 1 }],
      input: { name: CATALOG_IMPORT_SCHEDULE, slot: SLOT },
      context: {},
      requestedBy: 'scheduler',
      lease: { owner: 'runner-B', token: 'b', until: new Date(now + 60_000) },
      nextRunAt: new Date(now),
      createdAt: new Date(now),
      updatedAt: new Date(now),
      version: 1,
    });
    let imports = 0;
    const a = replica({ import: async () => void imports++ });
    let ready = false;
    const started = a.sync.start().then(() => (ready = true));
    await waitFor(() => a.schedulerTimers.armed.length === 1, 'the import to be scheduled');
    expect(ready).toBe(false); // waiting for B's import
    await a.sync.stop();
    await started;
    expect(imports).toBe(0);
    await expect(store.get(job.id)).resolves.toMatchObject({ status: 'running' });
  });

  it('a replica stopped mid-import hands the import back: the next start runs it at once (no lease to wait for)', async () => {
    const heard: unknown[] = [];
    const a = replica({
      owner: 'runner-A',
      // An import that stops when told (import-run checks the signal between chunks).
      import: (signal) => new Promise<void>((_, reject) => signal.addEventListener('abort', () => (heard.push(signal.reason), reject(signal.reason)))),
    });
    void a.sync.start();
    await waitFor(async () => (await importJob(SLOT))?.status === 'running', 'the import to run on A');
    await a.stop(1); // the import outlives the grace
    expect(heard).toHaveLength(1);
    await expect(importJob(SLOT)).resolves.toMatchObject({ status: 'pending' });

    let imports = 0;
    const b = replica({ owner: 'runner-B', import: async () => void imports++ });
    await b.sync.start(); // the clock has not moved: no lease expired, the job was handed back
    expect(imports).toBe(1);
    await expect(importJob(SLOT)).resolves.toMatchObject({ status: 'succeeded' });
  });

  it(`a crashed replica's import lease (${JOB_LEASE_MS / 1000} s) expires within a minute; the next start, a period later, runs the import`, async () => {
    expect(JOB_LEASE_MS).toBeLessThanOrEqual(60_000);
    const hang = gate();
    const a = replica({ owner: 'runner-A', leaseMs: JOB_LEASE_MS, import: () => hang.opened });
    void a.sync.start();
    await waitFor(async () => (await importJob(SLOT))?.status === 'running', 'the import to run on A');
    a.runner.halt(); // killed: no hand-back, the lease stays until it expires
    a.scheduler.stop();

    now = (SLOT + 1) * IMPORT_MS + JOB_LEASE_MS; // the next period, the dead lease just expired
    let imports = 0;
    const b = replica({ owner: 'runner-B', leaseMs: JOB_LEASE_MS, import: async () => void imports++ });
    await b.sync.start();
    expect(imports).toBe(1); // ran, and start() waited for it (not "skipped: the previous one has not finished")
    expect(b.log.lines.some((l) => l.msg?.includes('skipped'))).toBe(false);
    hang.open();
  });

  it('stop() stops scheduling the import on this replica', async () => {
    const a = replica({ import: async () => undefined });
    await a.sync.start();
    await a.sync.stop();
    expect(a.schedulerTimers.live()).toBe(0);
    expect(a.indexTimers.live()).toBe(0);
  });
});

describe('CatalogSyncService: the index loop', () => {
  /** An index whose store revision the test sets; counts what the loop asked for. */
  function fakeIndex() {
    const calls: string[] = [];
    const state = { storeRevision: 5, revision: 5, failNext: false, hold: undefined as Promise<void> | undefined };
    const index: SyncedIndex = {
      get revision() {
        return state.revision;
      },
      storeRevision: async () => {
        if (state.failNext) {
          state.failNext = false;
          throw new Error('store unavailable');
        }
        return state.storeRevision;
      },
      refresh: async () => {
        calls.push('refresh');
        await state.hold;
        state.revision = state.storeRevision;
      },
      build: async () => {
        calls.push('build');
        state.revision = state.storeRevision;
      },
    };
    return { index, calls, state };
  }

  /** Fires the loop's timer and waits until it armed the next one (the tick finished). */
  async function tick(timers: ManualTimers) {
    const armed = timers.armed.length;
    timers.fireAll();
    await waitFor(() => timers.armed.length > armed, 'the tick to finish');
  }

  it('refreshes when the store moved, not otherwise; rebuilds when it went back, and every resyncMs', async () => {
    const { index, calls, state } = fakeIndex();
    const a = replica({ index, resyncMs: 60 * 60_000 });
    await a.sync.start();
    expect(a.indexTimers.armed.map((t) => t.delayMs)).toEqual([INDEX_MS]);
    await tick(a.indexTimers);
    expect(calls).toEqual([]);
    state.storeRevision = 9;
    await tick(a.indexTimers);
    expect(calls).toEqual(['refresh']);
    state.storeRevision = 2; // the store was reset
    await tick(a.indexTimers);
    expect(calls).toEqual(['refresh', 'build']);
    now += 60 * 60_000;
    await tick(a.indexTimers);
    expect(calls).toEqual(['refresh', 'build', 'build']);
  });

  it('a failing tick is logged and the loop goes on; ticks never overlap; stop() waits for the one in flight', async () => {
    const { index, calls, state } = fakeIndex();
    const a = replica({ index });
    await a.sync.start();
    state.failNext = true;
    await tick(a.indexTimers);
    expect(a.log.lines.some((l) => l.level === 'warn' && l.msg?.includes('catalog index refresh failed'))).toBe(true);

    const slow = gate();
    state.hold = slow.opened;
    state.storeRevision = 6;
    a.indexTimers.fireAll();
    await waitFor(() => calls.length === 1, 'the slow refresh to start');
    expect(a.indexTimers.live()).toBe(0); // the next tick is armed only when this one is done
    let stopped = false;
    const stopping = a.sync.stop().then(() => (stopped = true));
    await new Promise((r) => setImmediate(r));
    expect(stopped).toBe(false);
    slow.open();
    await stopping;
    expect(a.indexTimers.live()).toBe(0);
  });
});
