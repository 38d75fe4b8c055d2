/**
 * JobRunner on MongoJobStore over the run's store: order, progress, parallel groups, idempotent
 * enqueue, retries, failure + user retry, crash + resume, two runners sharing 50 jobs.
 * Short leases keep it fast; assertions wait for outcomes instead of timing them tightly.
 */
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { connectMongo } from '../../src/adapters/mongo/mongo-connection';
import { MongoJobStore } from '../../src/adapters/mongo/mongo-job-store.adapter';
import { JobRunner, type JobRunnerOptions } from '../../src/domain/jobs/job-runner';
import type { Job, JobChange, JobDefinition, JobStepDefinition, RunnerStartOptions } from '../../src/domain/jobs/jobs.types';
import { DomainError } from '../../src/domain/domain-error';

const FAST: RunnerStartOptions = { pollIntervalMs: 20, leaseMs: 300, concurrency: 4 };
const RETRY = { baseDelayMs: 10, maxDelayMs: 40, maxAttempts: 4 };

let conn: Connection;
let store: MongoJobStore;
const runners: JobRunner[] = [];

beforeAll(async () => {
  conn = await connectMongo(process.env.MONGODB_URI!, `t_runner_${randomUUID().replace(/-/g, '').slice(0, 12)}`);
  store = new MongoJobStore(conn);
});
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop({ graceMs: 2000 })));
});
afterAll(async () => {
  await conn.dropDatabase().catch(() => undefined);
  await conn.close();
});

const uniqueType = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function runner(definitions: JobDefinition<never>[], options: Partial<JobRunnerOptions> = {}): JobRunner {
  const r = new JobRunner({ store, retry: RETRY, ...options });
  definitions.forEach((d) => r.register(d));
  runners.push(r);
  return r;
}

async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(15);
  }
}

const finished = (id: string, status: Job['status'] = 'succeeded') =>
  waitFor(async () => {
    const job = await store.get(id);
    return job && ['succeeded', 'failed', 'cancelled'].includes(job.status) ? job : undefined;
  }, `job ${id} to finish`).then((job) => {
    expect(job.status).toBe(status);
    return job;
  });

/** A promise the test resolves by hand (a step that hangs until told). */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

/** Counts calls per step name. */
function counter() {
  const calls = new Map<string, number>();
  return {
    calls,
    hit: (name: string) => calls.set(name, (calls.get(name) ?? 0) + 1),
    of: (name: string) => calls.get(name) ?? 0,
  };
}

const step = (name: string, run: JobStepDefinition<never>['run'], extra: Partial<JobStepDefinition<never>> = {}): JobStepDefinition<never> => ({ name, run, ...extra });

const enqueueOne = (r: JobRunner, type: string, key: string = randomUUID()) => r.enqueue({ type, idempotencyKey: key, input: { name: 'payments-api' }, context: { cardActivityId: 'act-1' }, requestedBy: 'user-1' });

describe('JobRunner on MongoJobStore', () => {
  it('runs the steps in order, passes earlier outputs on, and reports every transition', async () => {
    const type = uniqueType('order');
    const order: string[] = [];
    const seen: Record<string, unknown>[] = [];
    const r = runner([
      {
        type,
        steps: [
          step('create-repo', async () => {
            order.push('create-repo');
            return { repoId: 'r-1' };
          }),
          step('push-commit', async (ctx) => {
            order.push('push-commit');
            seen.push({ ...ctx.outputs });
            return { commit: `c-for-${ctx.outputs['create-repo']!.repoId}` };
          }),
          step('register', async (ctx) => {
            order.push('register');
            seen.push({ ...ctx.outputs });
          }),
        ],
      },
    ]);
    const events: { kind: JobChange['kind']; steps?: string[]; version: number; statuses: string }[] = [];
    r.onProgress((job, change) => void events.push({ kind: change.kind, steps: change.steps, version: job.version, statuses: job.steps.map((s) => s.status).join(',') }));
    // Listeners that throw or reject never stop the job.
    r.onProgress(() => {
      throw new Error('card update failed');
    });
    r.onProgress(async () => Promise.reject(new Error('card update failed later')));
    r.start(FAST);

    const { job, created } = await enqueueOne(r, type);
    expect(created).toBe(true);
    expect(job).toMatchObject({ type, status: 'pending', input: { name: 'payments-api' }, context: { cardActivityId: 'act-1' }, requestedBy: 'user-1' });
    const done = await finished(job.id);

    expect(order).toEqual(['create-repo', 'push-commit', 'register']);
    expect(seen).toEqual([{ 'create-repo': { repoId: 'r-1' } }, { 'create-repo': { repoId: 'r-1' }, 'push-commit': { commit: 'c-for-r-1' } }]);
    expect(done.steps.map((s) => [s.name, s.status, s.attempts])).toEqual([
      ['create-repo', 'succeeded', 1],
      ['push-commit', 'succeeded', 1],
      ['register', 'succeeded', 1],
    ]);
    expect(done.lease).toBeUndefined();
    expect(done.finishedAt).toBeDefined();
    await waitFor(async () => events.at(-1)?.kind === 'succeeded', 'the last progress event');
    expect(events.map((e) => `${e.kind}:${e.steps?.join('+') ?? ''}`)).toEqual([
      'enqueued:',
      'step-started:create-repo',
      'step-succeeded:create-repo',
      'step-started:push-commit',
      'step-succeeded:push-commit',
      'step-started:register',
      'step-succeeded:register',
      'succeeded:',
    ]);
    expect(events[3]!.statuses).toBe('succeeded,running,pending');
    const versions = events.map((e) => e.version);
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
  });

  it('runs a parallel group together, after the steps before it and before the steps after it', async () => {
    const type = uniqueType('parallel');
    const spans: Record<string, { start: number; end: number }> = {};
    const timed = (name: string, group?: string) =>
      step(
        name,
        async () => {
          const start = Date.now();
          await sleep(150);
          spans[name] = { start, end: Date.now() };
          return { name };
        },
        group ? { parallelGroup: group } : {},
      );
    const r = runner([{ type, steps: [timed('create-repo'), timed('pipeline', 'setup'), timed('policies', 'setup'), timed('catalog', 'setup'), timed('final-card')] }]);
    r.start(FAST);
    const { job } = await enqueueOne(r, type);
    await finished(job.id);

    const group = ['pipeline', 'policies', 'catalog'].map((n) => spans[n]!);
    // Every group step started before any of them ended: they overlapped.
    expect(Math.max(...group.map((s) => s.start))).toBeLessThan(Math.min(...group.map((s) => s.end)));
    expect(Math.min(...group.map((s) => s.start))).toBeGreaterThanOrEqual(spans['create-repo']!.end);
    expect(spans['final-card']!.start).toBeGreaterThanOrEqual(Math.max(...group.map((s) => s.end)));
  });

  it('creates one job per idempotency key, whether the duplicates come one after another or at once', async () => {
    const type = uniqueType('idem');
    const count = counter();
    const r = runner([{ type, steps: [step('only', async () => void count.hit('only'))] }]);
    r.start(FAST);

    const first = await enqueueOne(r, type, 'confirm-activity-1');
    const again = await enqueueOne(r, type, 'confirm-activity-1');
    expect([first.created, again.created]).toEqual([true, false]);
    expect(again.job.id).toBe(first.job.id);

    const burst = await Promise.all(Array.from({ length: 10 }, () => enqueueOne(r, type, 'confirm-activity-2')));
    expect(burst.filter((b) => b.created)).toHaveLength(1);
    expect(new Set(burst.map((b) => b.job.id)).size).toBe(1);

    await finished(first.job.id);
    await finished(burst[0]!.job.id);
    expect(count.of('only')).toBe(2);
  });

  it('retries transient failures with backoff, honouring Retry-After, and then succeeds', async () => {
    const type = uniqueType('transient');
    const attempts: { at: number; attempt: number }[] = [];
    const r = runner([
      {
        type,
        steps: [
          step('create-repo', async (ctx) => {
            attempts.push({ at: Date.now(), attempt: ctx.attempt });
            if (ctx.attempt === 1) throw new DomainError('UPSTREAM.THROTTLED', 'Azure DevOps is throttling requests.', { retryAfterSeconds: 1 });
            if (ctx.attempt === 2) throw new DomainError('UPSTREAM.UNAVAILABLE', 'Azure DevOps is unavailable (HTTP 503).');
            return { repoId: 'r-1' };
          }),
        ],
      },
    ]);
    const kinds: string[] = [];
    r.onProgress((_job, change) => void kinds.push(change.kind));
    r.start(FAST);
    const { job } = await enqueueOne(r, type);
    const done = await finished(job.id);

    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    // Retry-After: 1 s, measured with some slack for timer granularity.
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(950);
    expect(done.steps[0]).toMatchObject({ status: 'succeeded', attempts: 3, output: { repoId: 'r-1' } });
    expect(done.steps[0]!.error).toBeUndefined();
    expect(kinds.filter((k) => k === 'step-retry-scheduled').length).toBeGreaterThanOrEqual(4); // per step + release, twice
  });

  it('starts a new job and its backoff retry without waiting for the poll, even when the wake-up fires early', async () => {
    const type = uniqueType('prompt');
    const attempts: number[] = [];
    // The test owns the clock and the wake-up timers: it fires them when it wants, early on purpose.
    let now = Date.now();
    const wakeUps: { fire: () => void; delayMs: number }[] = [];
    const r = runner(
      [
        {
          type,
          steps: [
            step('create-repo', async (ctx) => {
              attempts.push(ctx.attempt);
              if (ctx.attempt === 1) throw new DomainError('UPSTREAM.UNAVAILABLE', 'Azure DevOps is unavailable (HTTP 502).');
            }),
          ],
        },
      ],
      { clock: () => now, setWakeUp: (fire, delayMs) => (wakeUps.push({ fire, delayMs }), () => undefined) },
    );
    r.start({ ...FAST, pollIntervalMs: 600_000 }); // the poll never fires during this test
    const { job } = await enqueueOne(r, type);
    await waitFor(async () => wakeUps.length === 1, 'the wake-up for the retry');
    const due = (await store.get(job.id))!.nextRunAt.getTime();
    expect(due).toBeGreaterThan(now);
    expect(wakeUps[0]!.delayMs).toBeGreaterThanOrEqual(due - now);

    wakeUps[0]!.fire(); // before the clock reached the retry time: nothing is due yet
    expect(wakeUps).toHaveLength(2); // armed again instead of waiting for the poll
    expect(attempts).toEqual([1]);

    now = due + 1;
    wakeUps[1]!.fire();
    await finished(job.id);
    expect(attempts).toEqual([1, 2]);
  });

  it('gives up on a transient failure after maxAttempts and leaves the job failed', async () => {
    const type = uniqueType('exhausted');
    const count = counter();
    const r = runner([
      {
        type,
        steps: [
          step(
            'flaky',
            async () => {
              count.hit('flaky');
              throw new DomainError('UPSTREAM.UNAVAILABLE', 'still down');
            },
            { maxAttempts: 3 },
          ),
        ],
      },
    ]);
    r.start(FAST);
    const { job } = await enqueueOne(r, type);
    const done = await finished(job.id, 'failed');
    expect(count.of('flaky')).toBe(3);
    expect(done.steps[0]).toMatchObject({ status: 'failed', attempts: 3, error: { code: 'UPSTREAM.UNAVAILABLE', message: 'still down' } });
  });

  it('stops at a permanent failure keeping what was done; retry resumes at the failed step', async () => {
    const type = uniqueType('permanent');
    const count = counter();
    let permissionGranted = false;
    const r = runner([
      {
        type,
        steps: [
          step('create-repo', async () => {
            count.hit('create-repo');
            return { repoId: 'r-1' };
          }),
          step('create-pipeline', async (ctx) => {
            count.hit('create-pipeline');
            if (!permissionGranted) throw new DomainError('UPSTREAM.FORBIDDEN', 'the bot needs "Build (Read & execute)" in project "Payments".');
            return { pipelineId: 7, repoId: ctx.outputs['create-repo']!.repoId };
          }),
          step('register', async () => void count.hit('register')),
        ],
      },
    ]);
    r.start(FAST);
    const { job } = await enqueueOne(r, type);
    const failed = await finished(job.id, 'failed');

    expect(count.of('create-pipeline')).toBe(1); // permanent: no retry
    expect(failed.steps.map((s) => s.status)).toEqual(['succeeded', 'failed', 'pending']);
    expect(failed.steps[0]!.output).toEqual({ repoId: 'r-1' });
    expect(failed.steps[1]!.error).toEqual({ code: 'UPSTREAM.FORBIDDEN', message: 'the bot needs "Build (Read & execute)" in project "Payments".' });

    permissionGranted = true;
    const retried = await r.retry(job.id, 'user-1');
    expect(retried).toMatchObject({ status: 'pending', lastRetry: { by: 'user-1' } });
    expect(retried.steps[1]).toMatchObject({ status: 'pending', attempts: 0 });
    // A double click on Retry is harmless.
    await expect(r.retry(job.id, 'user-1')).resolves.toMatchObject({ id: job.id });
    const done = await finished(job.id);

    expect([count.of('create-repo'), count.of('create-pipeline'), count.of('register')]).toEqual([1, 2, 1]);
    expect(done.steps[1]!.output).toEqual({ pipelineId: 7, repoId: 'r-1' });
    await expect(r.retry(job.id, 'user-1')).rejects.toMatchObject({ code: 'JOB.NOT_RETRYABLE' });
  });

  it('an unexpected error is permanent and stored without its message', async () => {
    const type = uniqueType('crash');
    const r = runner([{ type, steps: [step('boom', async () => Promise.reject(new Error('connection string mongodb://user:hunter2@db')))] }]);
    r.start(FAST);
    const { job } = await enqueueOne(r, type);
    const done = await finished(job.id, 'failed');
    expect(done.steps[0]!.error!.code).toBe('JOB.STEP_CRASHED');
    expect(JSON.stringify(done)).not.toContain('hunter2');
  });

  it('resumes after a crash: another runner re-runs the step in flight once the lease expires, not the finished ones', async () => {
    const type = uniqueType('crash-resume');
    const count = counter();
    const hang = gate();
    const definition = (who: string, blockOnB: boolean): JobDefinition<never> => ({
      type,
      steps: [
        step('a', async () => {
          count.hit('a');
          return { by: who };
        }),
        step('b', async () => {
          count.hit('b');
          if (blockOnB) await hang.opened;
          return { by: who };
        }),
        step('c', async () => {
          count.hit('c');
          return { by: who };
        }),
      ],
    });
    const a = runner([definition('A', true)], { owner: 'runner-A' });
    a.start(FAST);
    const { job } = await enqueueOne(a, type);
    await waitFor(async () => count.of('b') === 1, 'step b to start on A');
    const before = await store.get(job.id);
    expect(before).toMatchObject({ status: 'running', lease: { owner: 'runner-A' } });

    a.halt(); // the process dies: no renewal, no more writes
    const b = runner([definition('B', false)], { owner: 'runner-B' });
    b.start(FAST);
    const done = await finished(job.id);

    expect([count.of('a'), count.of('b'), count.of('c')]).toEqual([1, 2, 1]);
    expect(done.steps.map((s) => s.output?.by)).toEqual(['A', 'B', 'B']);
    expect(done.steps[1]!.attempts).toBe(2);

    // A's step finally returns: A no longer holds the job, so nothing it does is written.
    hang.open();
    await sleep(100);
    await expect(store.get(job.id)).resolves.toEqual(done);
  });

  it('a graceful stop waits for the step in flight and hands the job over without waiting for the lease', async () => {
    const type = uniqueType('handover');
    const count = counter();
    const slow = gate();
    const definition = (who: string): JobDefinition<never> => ({
      type,
      steps: [
        step('a', async () => {
          count.hit('a');
          if (who === 'A') await slow.opened;
          return { by: who };
        }),
        step('b', async () => {
          count.hit('b');
          return { by: who };
        }),
      ],
    });
    const a = runner([definition('A')], { owner: 'runner-A' });
    // A lease far longer than the test: B can only get the job if A hands it back.
    a.start({ ...FAST, leaseMs: 60_000 });
    const { job } = await enqueueOne(a, type);
    await waitFor(async () => count.of('a') === 1, 'step a to start on A');
    const stopping = a.stop();
    slow.open();
    await stopping;
    const released = await store.get(job.id);
    expect(released).toMatchObject({ status: 'pending' });
    expect(released!.lease).toBeUndefined();

    const b = runner([definition('B')], { owner: 'runner-B' });
    b.start(FAST);
    const done = await finished(job.id);
    expect(done.steps.map((s) => s.output?.by)).toEqual(['A', 'B']);
    expect([count.of('a'), count.of('b')]).toEqual([1, 1]);
  });

  it('two runners on one store run 50 jobs: every step exactly once, no job on both at once', async () => {
    const type = uniqueType('shared');
    const runs = new Map<string, number>();
    const holder = new Map<string, string>(); // job id -> runner currently in one of its steps
    const runnersOf = new Map<string, Set<string>>();
    const overlaps: string[] = [];
    const work = (who: string, name: string) => async (ctx: { jobId: string }) => {
      const key = `${ctx.jobId}/${name}`;
      runs.set(key, (runs.get(key) ?? 0) + 1);
      const other = holder.get(ctx.jobId);
      if (other && other !== who) overlaps.push(`${key} on ${who} while ${other}`);
      holder.set(ctx.jobId, who);
      runnersOf.set(ctx.jobId, (runnersOf.get(ctx.jobId) ?? new Set()).add(who));
      await sleep(1 + Math.floor(Math.random() * 4));
      if (holder.get(ctx.jobId) === who) holder.delete(ctx.jobId);
    };
    const definition = (who: string): JobDefinition<never> => ({
      type,
      steps: [
        { name: 'one', run: work(who, 'one') },
        { name: 'two', run: work(who, 'two'), parallelGroup: 'g' },
        { name: 'three', run: work(who, 'three'), parallelGroup: 'g' },
      ],
    });
    // Leases long enough that a stalled event loop on a busy machine cannot expire one mid-job:
    // this test is about claiming, the crash test is about expiry.
    const options = { pollIntervalMs: 20, leaseMs: 5000, concurrency: 4 };
    const a = runner([definition('A')], { owner: 'runner-A' });
    const b = runner([definition('B')], { owner: 'runner-B' });
    a.start(options);
    b.start(options);
    const jobs = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).enqueue({ type, idempotencyKey: `job-${i}`, input: { i }, requestedBy: 'user-1' })));
    for (const { job } of jobs) await finished(job.id);

    expect(runs.size).toBe(150);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(overlaps).toEqual([]);
    expect([...runnersOf.values()].every((set) => set.size === 1)).toBe(true);
    const byRunner = (who: string) => [...runnersOf.values()].filter((set) => set.has(who)).length;
    expect(byRunner('A')).toBeGreaterThan(0);
    expect(byRunner('B')).toBeGreaterThan(0);
  });

  it('refuses unknown types and input the store cannot hold', async () => {
    const type = uniqueType('validate');
    const r = runner([{ type, steps: [step('a', async () => undefined)] }]);
    await expect(r.enqueue({ type: 'nope', idempotencyKey: 'k', input: {}, requestedBy: 'u' })).rejects.toMatchObject({ code: 'JOB.UNKNOWN_TYPE' });
    await expect(r.enqueue({ type, idempotencyKey: 'k', input: { $where: 'x' }, requestedBy: 'u' })).rejects.toMatchObject({ code: 'JOB.INVALID_INPUT' });
    await expect(r.enqueue({ type, idempotencyKey: ' ', input: {}, requestedBy: 'u' })).rejects.toMatchObject({ code: 'JOB.INVALID_REQUEST' });
    await expect(r.retry('0123456789abcdef01234567', 'u')).rejects.toMatchObject({ code: 'JOB.NOT_FOUND' });
  });
});
