/**
 * The Scheduler on two replicas (a JobRunner + Scheduler each) sharing one JobStore: run on the
 * in-memory fake (test/unit/scheduler.test.ts) and on MongoJobStore over the run's store
 * (test/integration/scheduler.int.test.ts). The test owns the clock and the schedulers' timers:
 * a slot starts when the test moves the clock and fires them, so no sleep decides a result.
 * Runners poll on real timers (20 ms) but judge due times and leases by the test's clock.
 */
import { randomUUID } from 'node:crypto';
import type { ClaimRequest, JobStore } from '../../src/domain/jobs/job-store.port';
import { JobRunner } from '../../src/domain/jobs/job-runner';
import type { Job } from '../../src/domain/jobs/jobs.types';
import { DomainError } from '../../src/domain/domain-error';
import { occurrenceKey, scheduledJobType, Scheduler, type Occurrence, type ScheduledWork } from '../../src/domain/jobs/scheduler';
import { gate, ManualTimers, waitFor } from './manual-time';

export interface StoreFixture {
  store: JobStore;
  close(): Promise<void>;
}

const EVERY_MS = 60_000;
const LEASE_MS = 300;
const START_SLOT = 1_000_000;
const RUNNER = { pollIntervalMs: 20, leaseMs: LEASE_MS, concurrency: 2 };

/** The store, counting one owner's claims (to see a runner polled and got nothing). */
function countingClaims(store: JobStore, owner: string, claims: (Job | null)[]): JobStore {
  return {
    insertIfAbsent: (j) => store.insertIfAbsent(j),
    get: (id) => store.get(id),
    findByKey: (t, k) => store.findByKey(t, k),
    claimNext: async (c: ClaimRequest) => {
      const job = await store.claimNext(c);
      if (c.owner === owner) claims.push(job);
      return job;
    },
    renewLease: (id, t, u) => store.renewLease(id, t, u),
    updateLeased: (id, t, p) => store.updateLeased(id, t, p),
    updateIf: (id, e, p) => store.updateIf(id, e, p),
    countByStatus: (s) => store.countByStatus(s),
  };
}

/** The store, keeping the new expiry of every lease renewal that held. */
function countingRenewals(store: JobStore, renewals: number[]): JobStore {
  return {
    insertIfAbsent: (j) => store.insertIfAbsent(j),
    get: (id) => store.get(id),
    findByKey: (t, k) => store.findByKey(t, k),
    claimNext: (c) => store.claimNext(c),
    renewLease: async (id, t, until) => {
      const held = await store.renewLease(id, t, until);
      if (held) renewals.push(until.getTime());
      return held;
    },
    updateLeased: (id, t, p) => store.updateLeased(id, t, p),
    updateIf: (id, e, p) => store.updateIf(id, e, p),
    countByStatus: (s) => store.countByStatus(s),
  };
}

export function schedulerSuite(name: string, open: () => Promise<StoreFixture>): void {
  describe(`Scheduler: ${name}`, () => {
    let fixture: StoreFixture;
    let now: number;
    const replicas: Replica[] = [];
    beforeAll(async () => {
      fixture = await open();
    });
    afterAll(async () => {
      await fixture?.close();
    });
    beforeEach(() => {
      now = START_SLOT * EVERY_MS + 1234; // inside slot START_SLOT
    });
    afterEach(async () => {
      for (const r of replicas.splice(0)) {
        r.scheduler.stop();
        await r.runner.stop({ graceMs: 1000 });
      }
    });

    interface Replica {
      runner: JobRunner;
      scheduler: Scheduler;
      timers: ManualTimers;
      logs: { obj: object; msg?: string }[];
    }

    function replica(owner: string, store: JobStore = fixture.store): Replica {
      const clock = () => now;
      const logs: Replica['logs'] = [];
      const logger = { info: (obj: object, msg?: string) => void logs.push({ obj, msg }), warn: (obj: object, msg?: string) => void logs.push({ obj, msg }), error: () => undefined };
      const runner = new JobRunner({ store, owner, clock, logger });
      const timers = new ManualTimers();
      const scheduler = new Scheduler({ runner, clock, setTimer: timers.set, logger, settlePollMs: 10 });
      const r = { runner, scheduler, timers, logs };
      replicas.push(r);
      return r;
    }

    const uniqueName = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;
    const jobOf = (work: string, slot: number) => fixture.store.findByKey(scheduledJobType(work), occurrenceKey(work, slot));
    const finished = (work: string, slot: number) => waitFor(async () => {
      const job = await jobOf(work, slot);
      return job && ['succeeded', 'failed'].includes(job.status) ? job : null;
    }, `slot ${slot} of ${work} to finish`);
    const toSlot = (slot: number) => (now = slot * EVERY_MS);

    it('N slots on two replicas: N runs, one per slot, never two of one slot', async () => {
      const work = uniqueName('digest');
      const runs = new Map<number, string[]>();
      const inFlight = new Set<number>();
      const overlaps: number[] = [];
      const define = (who: string): ScheduledWork => ({
        name: work,
        everyMs: EVERY_MS,
        run: async ({ slot }: Occurrence) => {
          if (inFlight.has(slot)) overlaps.push(slot);
          inFlight.add(slot);
          runs.set(slot, [...(runs.get(slot) ?? []), who]);
          await new Promise((r) => setImmediate(r));
          inFlight.delete(slot);
        },
      });
      const a = replica('runner-A');
      const b = replica('runner-B');
      a.scheduler.schedule(define('A'));
      b.scheduler.schedule(define('B'));
      a.runner.start(RUNNER);
      b.runner.start(RUNNER);
      await Promise.all([a.scheduler.start(), b.scheduler.start()]);
      expect(runs.size).toBe(0); // no runAtStart: the first run is at the next slot

      const N = 12;
      for (let i = 1; i <= N; i++) {
        toSlot(START_SLOT + i);
        // Both replicas' timers fire at the slot's start, in either order.
        const [first, second] = i % 2 ? [a, b] : [b, a];
        first.timers.fireAll();
        second.timers.fireAll();
        await finished(work, START_SLOT + i);
      }

      const slots = Array.from({ length: N }, (_, i) => START_SLOT + 1 + i);
      expect([...runs.keys()].sort((x, y) => x - y)).toEqual(slots);
      expect([...runs.values()].every((who) => who.length === 1)).toBe(true);
      expect(overlaps).toEqual([]);
      for (const slot of slots) await expect(jobOf(work, slot)).resolves.toMatchObject({ status: 'succeeded', idempotencyKey: `${work}:${slot}` });
    });

    it('a replica that crashes mid-run: another runs the occurrence once the lease expired, not before', async () => {
      const work = uniqueName('import');
      const hang = gate();
      const started: { who: string; signal: AbortSignal }[] = [];
      const define = (who: string): ScheduledWork => ({
        name: work,
        everyMs: EVERY_MS,
        run: async ({ signal }) => {
          started.push({ who, signal });
          if (who === 'A') await hang.opened;
        },
      });
      const bClaims: (Job | null)[] = [];
      const a = replica('runner-A');
      const b = replica('runner-B', countingClaims(fixture.store, 'runner-B', bClaims));
      a.scheduler.schedule(define('A'));
      b.scheduler.schedule(define('B'));
      a.runner.start(RUNNER);
      await Promise.all([a.scheduler.start(), b.scheduler.start()]);
      toSlot(START_SLOT + 1);
      a.timers.fireAll();
      await waitFor(() => started.length === 1, 'the run to start on A');

      a.runner.halt(); // the process dies mid-run
      expect(started[0]!.signal.aborted).toBe(true);
      b.timers.fireAll(); // B's timer fires too: the occurrence exists, nothing new
      b.runner.start(RUNNER);
      // B polls while A's lease (by the clock, which has not moved) still holds: nothing to claim.
      await waitFor(() => bClaims.length >= 3, 'B to poll a few times');
      expect(bClaims.every((j) => j === null)).toBe(true);
      expect(started).toHaveLength(1);

      now += LEASE_MS + 1;
      const done = await finished(work, START_SLOT + 1);
      expect(done.status).toBe('succeeded');
      expect(started.map((s) => s.who)).toEqual(['A', 'B']);
      hang.open();
    });

    it('a graceful stop mid-run hands the occurrence back: another replica runs it at once, before any lease could expire', async () => {
      const work = uniqueName('stopping');
      const started: { who: string; signal: AbortSignal }[] = [];
      const define = (who: string): ScheduledWork => ({
        name: work,
        everyMs: EVERY_MS,
        // Work that stops when told (the catalog import checks its signal between chunks).
        run: ({ signal }) => {
          started.push({ who, signal });
          if (who === 'B') return Promise.resolve();
          return new Promise<void>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
        },
      });
      const a = replica('runner-A');
      const b = replica('runner-B');
      a.scheduler.schedule(define('A'));
      b.scheduler.schedule(define('B'));
      a.runner.start(RUNNER);
      await Promise.all([a.scheduler.start(), b.scheduler.start()]);
      toSlot(START_SLOT + 1);
      a.timers.fireAll();
      await waitFor(() => started.length === 1, 'the run to start on A');

      a.scheduler.stop();
      await a.runner.stop({ graceMs: 1 }); // the run outlives the grace: signalled and handed back
      expect(started[0]!.signal.aborted).toBe(true);
      const handedBack = await jobOf(work, START_SLOT + 1);
      expect(handedBack).toMatchObject({ status: 'pending' });
      expect(handedBack!.lease).toBeUndefined();

      b.runner.start(RUNNER); // the clock has not moved: no lease expired, the job was released
      const done = await finished(work, START_SLOT + 1);
      expect(done.status).toBe('succeeded');
      expect(started.map((s) => s.who)).toEqual(['A', 'B']);
    });

    it('the first start after a crash, in a later slot, runs the unfinished occurrence once its lease expired, and start() waits for it', async () => {
      const work = uniqueName('crashed');
      const hang = gate();
      const resumed = gate();
      const runs: { who: string; slot: number }[] = [];
      const define = (who: string): ScheduledWork => ({
        name: work,
        everyMs: EVERY_MS,
        runAtStart: true,
        run: async ({ slot }) => {
          runs.push({ who, slot });
          await (who === 'A' ? hang.opened : resumed.opened);
        },
      });
      const a = replica('runner-A');
      a.scheduler.schedule(define('A'));
      a.runner.start(RUNNER);
      void a.scheduler.start();
      await waitFor(() => runs.length === 1, 'the run to start on A');
      a.runner.halt(); // killed mid-run: the lease stays until it expires
      a.scheduler.stop();

      toSlot(START_SLOT + 1);
      now += LEASE_MS + 1; // the dead runner's lease has expired by the time the next process starts
      const next = replica('runner-A2');
      next.scheduler.schedule(define('A2'));
      next.runner.start(RUNNER);
      let ready = false;
      const starting = next.scheduler.start().then(() => (ready = true));
      await waitFor(() => runs.length === 2, 'the crashed occurrence to run again');
      expect(runs).toEqual([
        { who: 'A', slot: START_SLOT },
        { who: 'A2', slot: START_SLOT },
      ]);
      expect(ready).toBe(false); // start() waits for that run (the bot's readiness waits for its first import)
      resumed.open();
      await starting;
      await expect(jobOf(work, START_SLOT)).resolves.toMatchObject({ status: 'succeeded' });
      expect(next.logs.some((l) => l.msg?.includes('skipped'))).toBe(false);
      await expect(jobOf(work, START_SLOT + 1)).resolves.toBeNull(); // never two runs at once
      hang.open();
    });

    it('the heartbeat renews the lease while the work runs: a long run is not taken over', async () => {
      const work = uniqueName('long-import');
      const hang = gate();
      const started: string[] = [];
      const renewals: number[] = [];
      const counting = countingRenewals(fixture.store, renewals);
      const define = (who: string): ScheduledWork => ({
        name: work,
        everyMs: EVERY_MS,
        run: async () => {
          started.push(who);
          if (who === 'A') await hang.opened;
        },
      });
      const bClaims: (Job | null)[] = [];
      const a = replica('runner-A', counting);
      const b = replica('runner-B', countingClaims(fixture.store, 'runner-B', bClaims));
      a.scheduler.schedule(define('A'));
      b.scheduler.schedule(define('B'));
      a.runner.start(RUNNER);
      b.runner.start(RUNNER);
      await Promise.all([a.scheduler.start(), b.scheduler.start()]);
      toSlot(START_SLOT + 1);
      a.timers.fireAll();
      await waitFor(() => started.length === 1, 'the run to start on A');
      // Four times two thirds of a lease: without renewals the lease would have expired twice over.
      for (let i = 0; i < 4; i++) {
        now += Math.floor((LEASE_MS * 2) / 3);
        const seen = renewals.length;
        await waitFor(() => renewals.length > seen && renewals.at(-1)! > now, 'a renewal after the clock moved');
        const polled = bClaims.length;
        await waitFor(() => bClaims.length > polled, 'B to poll');
      }
      expect(bClaims.every((j) => j === null)).toBe(true);
      expect(started).toEqual(['A']);
      hang.open();
      await expect(finished(work, START_SLOT + 1)).resolves.toMatchObject({ status: 'succeeded' });
      expect(started).toEqual(['A']);
    });

    it('runAtStart runs the current slot and start() resolves after it; a replica started later in the slot does not run it again', async () => {
      const work = uniqueName('catalog');
      const runs: { who: string; slot: number }[] = [];
      const hang = gate();
      const define = (who: string): ScheduledWork => ({
        name: work,
        everyMs: EVERY_MS,
        runAtStart: true,
        run: async ({ slot }) => {
          runs.push({ who, slot });
          await hang.opened;
        },
      });
      const a = replica('runner-A');
      const b = replica('runner-B');
      a.scheduler.schedule(define('A'));
      b.scheduler.schedule(define('B'));
      a.runner.start(RUNNER);
      b.runner.start(RUNNER);
      let aReady = false;
      let bReady = false;
      const aStart = a.scheduler.start().then(() => (aReady = true));
      await waitFor(() => runs.length === 1, 'the first run');
      // B starts while the run is in flight (on either replica): it waits for that run, runs nothing.
      const bStart = b.scheduler.start().then(() => (bReady = true));
      await waitFor(async () => (await jobOf(work, START_SLOT))?.status === 'running', 'the run to be recorded');
      expect([aReady, bReady]).toEqual([false, false]);
      hang.open();
      await Promise.all([aStart, bStart]);
      expect(runs).toEqual([{ who: expect.any(String), slot: START_SLOT }]);
      // Every replica armed its timer for the next slot.
      expect([a.timers.live(), b.timers.live()]).toEqual([1, 1]);
    });

    it('runCurrent runs the current slot now, once for two replicas asking at once, and not again once it ran', async () => {
      const work = uniqueName('health');
      const runs: { who: string; slot: number }[] = [];
      const define = (who: string): ScheduledWork => ({ name: work, everyMs: EVERY_MS, run: async ({ slot }) => void runs.push({ who, slot }) });
      const a = replica('runner-A');
      const b = replica('runner-B');
      void a.scheduler.schedule(define('A'));
      void b.scheduler.schedule(define('B'));
      a.runner.start(RUNNER);
      b.runner.start(RUNNER);
      await Promise.all([a.scheduler.start(), b.scheduler.start()]);
      expect(runs).toEqual([]); // no runAtStart: nothing ran at start
      await Promise.all([a.scheduler.runCurrent(work), b.scheduler.runCurrent(work)]);
      expect(runs).toEqual([{ who: expect.any(String), slot: START_SLOT }]);
      expect((await jobOf(work, START_SLOT))?.status).toBe('succeeded');
      await a.scheduler.runCurrent(work);
      expect(runs).toHaveLength(1);
      await a.scheduler.runCurrent('not-scheduled'); // unknown work: nothing, no error
    });

    it('skips an occurrence while the previous one still runs (runs never overlap), and runs the next', async () => {
      const work = uniqueName('long');
      const hang = gate();
      const runs: number[] = [];
      const a = replica('runner-A');
      a.scheduler.schedule({
        name: work,
        everyMs: EVERY_MS,
        run: async ({ slot }) => {
          runs.push(slot);
          if (slot === START_SLOT + 1) await hang.opened;
        },
      });
      a.runner.start(RUNNER);
      await a.scheduler.start();
      toSlot(START_SLOT + 1);
      a.timers.fireAll();
      await waitFor(() => runs.length === 1, 'the long run to start');
      toSlot(START_SLOT + 2);
      a.timers.fireAll();
      await waitFor(() => a.logs.some((l) => l.msg?.includes('skipped')), 'the skip to be logged');
      await expect(jobOf(work, START_SLOT + 2)).resolves.toBeNull();
      hang.open();
      await finished(work, START_SLOT + 1);
      toSlot(START_SLOT + 3);
      a.timers.fireAll();
      await finished(work, START_SLOT + 3);
      expect(runs).toEqual([START_SLOT + 1, START_SLOT + 3]);
    });

    it('a timer that fires before the slot starts arms again and enqueues nothing', async () => {
      const work = uniqueName('early');
      const runs: number[] = [];
      const a = replica('runner-A');
      a.scheduler.schedule({ name: work, everyMs: EVERY_MS, run: async ({ slot }) => void runs.push(slot) });
      a.runner.start(RUNNER);
      await a.scheduler.start();
      expect(a.timers.armed.map((t) => t.delayMs)).toEqual([EVERY_MS - 1234]);
      now = (START_SLOT + 1) * EVERY_MS - 3; // 3 ms short of the slot's start
      a.timers.fireAll();
      expect(a.timers.live()).toBe(1);
      expect(a.timers.armed.at(-1)!.delayMs).toBe(3);
      toSlot(START_SLOT + 1);
      a.timers.fireAll();
      await finished(work, START_SLOT + 1);
      await expect(jobOf(work, START_SLOT)).resolves.toBeNull();
      expect(runs).toEqual([START_SLOT + 1]);
    });

    it('schedule() after start() arms at once and resolves after its first run; unschedule() stops arming it', async () => {
      const work = uniqueName('late');
      const runs: number[] = [];
      const a = replica('runner-A');
      a.runner.start(RUNNER);
      await a.scheduler.start();
      await a.scheduler.schedule({ name: work, everyMs: EVERY_MS, runAtStart: true, run: async ({ slot }) => void runs.push(slot) });
      expect(runs).toEqual([START_SLOT]);
      expect(a.timers.live()).toBe(1);
      a.scheduler.unschedule(work);
      toSlot(START_SLOT + 1);
      a.timers.fireAll();
      expect(a.timers.live()).toBe(0);
      await expect(jobOf(work, START_SLOT + 1)).resolves.toBeNull();
    });

    it('a failure the work calls final fails the occurrence at once; the next slot runs again', async () => {
      const work = uniqueName('failing');
      const attempts: number[] = [];
      const a = replica('runner-A');
      a.runner.start(RUNNER);
      await a.scheduler.start();
      await a.scheduler.schedule({
        name: work,
        everyMs: EVERY_MS,
        runAtStart: true,
        isTransient: () => false,
        run: async ({ slot }) => {
          attempts.push(slot);
          if (slot === START_SLOT) throw new DomainError('UPSTREAM.UNAVAILABLE', 'Azure DevOps is down');
        },
      });
      await expect(jobOf(work, START_SLOT)).resolves.toMatchObject({ status: 'failed', steps: [{ attempts: 1, error: { code: 'UPSTREAM.UNAVAILABLE' } }] });
      toSlot(START_SLOT + 1);
      a.timers.fireAll();
      await finished(work, START_SLOT + 1);
      expect(attempts).toEqual([START_SLOT, START_SLOT + 1]);
    });

    it('a period longer than setTimeout allows is armed in steps of at most its limit', async () => {
      const work = uniqueName('monthly');
      const a = replica('runner-A');
      const monthMs = 31 * 24 * 3600_000;
      now = 1000 * monthMs + 5; // the start of a slot: a whole period (more than the limit) to wait
      a.scheduler.schedule({ name: work, everyMs: monthMs, run: async () => undefined }).catch(() => undefined);
      a.runner.start(RUNNER);
      await a.scheduler.start();
      expect(a.timers.armed[0]!.delayMs).toBe(2 ** 31 - 1);
      now += 2 ** 31 - 1;
      a.timers.fireAll(); // still before the slot: armed again for the rest
      expect(a.timers.live()).toBe(1);
      await expect(fixture.store.findByKey(scheduledJobType(work), occurrenceKey(work, Math.floor(now / monthMs)))).resolves.toBeNull();
    });

    it('an offset moves where slots start: a weekly slot starts on its day and time, not at the epoch\'s', async () => {
      const work = uniqueName('weekly');
      const weekMs = 7 * 24 * 3600_000;
      const offsetMs = 4 * 24 * 3600_000 + 9 * 3600_000; // the epoch is a Thursday 00:00 UTC: Monday 09:00
      const ran: number[] = [];
      const a = replica('runner-A');
      now = Date.UTC(2026, 11, 7, 8, 59); // Monday 7 Dec 2026, one minute before 09:00 UTC
      a.scheduler.schedule({ name: work, everyMs: weekMs, offsetMs, run: async ({ slot }) => void ran.push(slot) });
      expect(() => a.scheduler.schedule({ name: uniqueName('bad'), everyMs: weekMs, offsetMs: weekMs, run: async () => undefined })).toThrow(/offsetMs/);
      a.runner.start(RUNNER);
      await a.scheduler.start();
      expect(a.timers.armed[0]!.delayMs).toBe(60_000); // at 09:00, not at the epoch-aligned Thursday
      now = Date.UTC(2026, 11, 7, 9, 0);
      a.timers.fireAll();
      const slot = Math.floor((now - offsetMs) / weekMs);
      await finished(work, slot);
      expect(ran).toEqual([slot]);
      expect(slot * weekMs + offsetMs).toBe(Date.UTC(2026, 11, 7, 9, 0)); // the slot starts at the configured moment
      expect(a.timers.armed.at(-1)!.delayMs).toBe(weekMs); // next Monday 09:00
    });
  });
}
