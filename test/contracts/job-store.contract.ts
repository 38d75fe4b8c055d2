/**
 * What every JobStore must do, run against the in-memory fake and MongoJobStore on the run's
 * store (test/integration/job-store.contract.int.test.ts). Each test uses its own job type, so
 * claims never see another test's jobs.
 */
import { randomUUID } from 'node:crypto';
import type { JobStore, NewJob } from '../../src/domain/jobs/job-store.port';

export interface JobStoreFixture {
  store: JobStore;
  close(): Promise<void>;
}

const uniqueType = () => `test-${randomUUID().slice(0, 8)}`;
const at = (ms: number) => new Date(Date.UTC(2030, 0, 1) + ms);
const T0 = at(0);

function newJob(overrides: Partial<NewJob> = {}): NewJob {
  return {
    type: 'provision-repo',
    idempotencyKey: randomUUID(),
    status: 'pending',
    steps: [
      { name: 'create-repo', status: 'pending', attempts: 0 },
      { name: 'push-commit', status: 'pending', attempts: 0 },
    ],
    input: { name: 'payments-api', targets: ['dev', 'prod'], nested: { empty: {} } },
    context: {},
    requestedBy: 'user-1',
    nextRunAt: T0,
    createdAt: T0,
    updatedAt: T0,
    version: 0,
    ...overrides,
  };
}

const claimOf = (types: string[], overrides: Partial<Parameters<JobStore['claimNext']>[0]> = {}) => ({
  owner: 'runner-a',
  token: randomUUID(),
  now: at(1000),
  leaseUntil: at(2000),
  types,
  excludeIds: [],
  ...overrides,
});

export function jobStoreContract(name: string, open: () => Promise<JobStoreFixture>): void {
  describe(`JobStore contract: ${name}`, () => {
    let f: JobStoreFixture;
    let store: JobStore;
    beforeAll(async () => {
      f = await open();
      store = f.store;
    });
    afterAll(async () => {
      await f?.close();
    });

    describe('insertIfAbsent', () => {
      it('stores the job as given, with an id, and reads it back by id and by key', async () => {
        const job = newJob();
        const { job: stored, created } = await store.insertIfAbsent(job);
        expect(created).toBe(true);
        expect(stored).toEqual({ ...job, id: expect.any(String) });
        await expect(store.get(stored.id)).resolves.toEqual(stored);
        await expect(store.findByKey(job.type, job.idempotencyKey)).resolves.toEqual(stored);
        // Dates come back as Dates (checked by tag: jest's realm has its own Date).
        expect(Object.prototype.toString.call((await store.get(stored.id))!.nextRunAt)).toBe('[object Date]');
      });

      it('returns the first job, unchanged, for a key it already has', async () => {
        const first = await store.insertIfAbsent(newJob({ idempotencyKey: 'k-dup', type: uniqueType() }));
        const again = await store.insertIfAbsent({ ...newJob({ idempotencyKey: 'k-dup', type: first.job.type }), input: { name: 'other' } });
        expect(again.created).toBe(false);
        expect(again.job).toEqual(first.job);
      });

      it('creates one job when the same key arrives 20 times at once', async () => {
        const type = uniqueType();
        const results = await Promise.all(Array.from({ length: 20 }, () => store.insertIfAbsent(newJob({ type, idempotencyKey: 'same' }))));
        expect(results.filter((r) => r.created)).toHaveLength(1);
        expect(new Set(results.map((r) => r.job.id)).size).toBe(1);
      });

      it('scopes keys by type', async () => {
        const a = await store.insertIfAbsent(newJob({ type: uniqueType(), idempotencyKey: 'shared' }));
        const b = await store.insertIfAbsent(newJob({ type: uniqueType(), idempotencyKey: 'shared' }));
        expect(b.created).toBe(true);
        expect(b.job.id).not.toBe(a.job.id);
      });

      it('answers null for unknown and malformed ids and keys', async () => {
        await expect(store.get('0123456789abcdef01234567')).resolves.toBeNull();
        await expect(store.get('not-an-id')).resolves.toBeNull();
        await expect(store.findByKey('nope', 'nope')).resolves.toBeNull();
      });
    });

    describe('claimNext', () => {
      it('claims a due job: running, leased, version bumped', async () => {
        const type = uniqueType();
        const { job } = await store.insertIfAbsent(newJob({ type }));
        const claim = claimOf([type]);
        const claimed = await store.claimNext(claim);
        expect(claimed).toMatchObject({ id: job.id, status: 'running', version: 1, lease: { owner: 'runner-a', token: claim.token, until: claim.leaseUntil } });
        expect(claimed!.updatedAt).toEqual(claim.now);
      });

      it('leaves jobs not yet due, of other types, excluded, finished, or under a live lease', async () => {
        const type = uniqueType();
        const { job: future } = await store.insertIfAbsent(newJob({ type, nextRunAt: at(5000) }));
        await store.insertIfAbsent(newJob({ type, status: 'failed' }));
        await store.insertIfAbsent(newJob({ type, status: 'succeeded' }));
        await store.insertIfAbsent(newJob({ type, status: 'cancelled' }));
        const { job: other } = await store.insertIfAbsent(newJob({ type: uniqueType() }));
        const { job: excluded } = await store.insertIfAbsent(newJob({ type }));
        expect(await store.claimNext(claimOf([type], { excludeIds: [excluded.id, 'not-an-id'] }))).toBeNull();
        const first = await store.claimNext(claimOf([type]));
        expect(first?.id).toBe(excluded.id);
        // Its lease lives until 2000: nobody else gets it before then.
        expect(await store.claimNext(claimOf([type], { now: at(1500) }))).toBeNull();
        expect((await store.get(other.id))!.status).toBe('pending');
        const later = claimOf([type], { now: at(6000), leaseUntil: at(7000), excludeIds: [excluded.id] });
        expect((await store.claimNext(later))?.id).toBe(future.id);
      });

      it('hands a running job whose lease expired to the next claimant', async () => {
        const type = uniqueType();
        const { job } = await store.insertIfAbsent(newJob({ type }));
        const a = await store.claimNext(claimOf([type]));
        const b = await store.claimNext(claimOf([type], { owner: 'runner-b', now: at(2000), leaseUntil: at(3000) }));
        expect(b).toMatchObject({ id: job.id, status: 'running', version: a!.version + 1, lease: { owner: 'runner-b' } });
      });

      it('claims the earliest due job first', async () => {
        const type = uniqueType();
        await store.insertIfAbsent(newJob({ type, nextRunAt: at(300) }));
        const { job: early } = await store.insertIfAbsent(newJob({ type, nextRunAt: at(100) }));
        await store.insertIfAbsent(newJob({ type, nextRunAt: at(200) }));
        expect((await store.claimNext(claimOf([type])))?.id).toBe(early.id);
      });

      it('gives one job to exactly one of 10 concurrent claimants', async () => {
        const type = uniqueType();
        await store.insertIfAbsent(newJob({ type }));
        const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => store.claimNext(claimOf([type], { owner: `r${i}` }))));
        expect(claims.filter(Boolean)).toHaveLength(1);
      });
    });

    describe('leased writes', () => {
      async function claimed() {
        const type = uniqueType();
        const { job } = await store.insertIfAbsent(newJob({ type }));
        const claim = claimOf([type]);
        await store.claimNext(claim);
        return { job, token: claim.token };
      }

      it('renews only for the claim token', async () => {
        const { job, token } = await claimed();
        await expect(store.renewLease(job.id, 'stale-token', at(9000))).resolves.toBe(false);
        await expect(store.renewLease(job.id, token, at(4000))).resolves.toBe(true);
        const after = await store.get(job.id);
        expect(after!.lease!.until).toEqual(at(4000));
        expect(after!.version).toBe(1);
      });

      it('applies a patch for the token holder and nobody else', async () => {
        const { job, token } = await claimed();
        await expect(store.updateLeased(job.id, 'stale-token', { now: at(1100), status: 'failed' })).resolves.toBeNull();
        const started = await store.updateLeased(job.id, token, {
          now: at(1100),
          steps: [
            { index: 0, set: { status: 'running', addAttempt: true, startedAt: at(1100), error: null, finishedAt: null } },
            { index: 1, set: { status: 'running', addAttempt: true, startedAt: at(1100) } },
          ],
        });
        expect(started).toMatchObject({ status: 'running', version: 2, updatedAt: at(1100) });
        expect(started!.steps).toEqual([
          { name: 'create-repo', status: 'running', attempts: 1, startedAt: at(1100) },
          { name: 'push-commit', status: 'running', attempts: 1, startedAt: at(1100) },
        ]);
        const failed = await store.updateLeased(job.id, token, {
          now: at(1200),
          steps: [{ index: 1, set: { status: 'pending', finishedAt: at(1200), error: { code: 'UPSTREAM.THROTTLED', message: 'busy', retryAfterSeconds: 3 } } }],
        });
        expect(failed!.steps[1]).toEqual({ name: 'push-commit', status: 'pending', attempts: 1, startedAt: at(1100), finishedAt: at(1200), error: { code: 'UPSTREAM.THROTTLED', message: 'busy', retryAfterSeconds: 3 } });
        const done = await store.updateLeased(job.id, token, {
          now: at(1300),
          steps: [
            { index: 0, set: { status: 'succeeded', finishedAt: at(1300), output: { repoId: 'r-1', empty: {} } } },
            { index: 1, set: { error: null, attempts: 0 } },
          ],
        });
        expect(done!.steps[0]).toMatchObject({ status: 'succeeded', output: { repoId: 'r-1', empty: {} } });
        expect(done!.steps[1]).not.toHaveProperty('error');
        expect(done!.steps[1]!.attempts).toBe(0);
        const released = await store.updateLeased(job.id, token, { now: at(1400), status: 'pending', lease: null, nextRunAt: at(5000) });
        expect(released).toMatchObject({ status: 'pending', nextRunAt: at(5000), version: 5 });
        expect(released).not.toHaveProperty('lease');
        await expect(store.updateLeased(job.id, token, { now: at(1500), status: 'failed' })).resolves.toBeNull();
        await expect(store.get(job.id)).resolves.toEqual(released);
      });

      it('stops the old holder once another runner claimed the expired lease', async () => {
        const { job, token } = await claimed();
        const takeover = claimOf([job.type], { owner: 'runner-b', now: at(2500), leaseUntil: at(3500) });
        await store.claimNext(takeover);
        await expect(store.updateLeased(job.id, token, { now: at(2600), status: 'succeeded' })).resolves.toBeNull();
        await expect(store.renewLease(job.id, token, at(9000))).resolves.toBe(false);
        await expect(store.updateLeased(job.id, takeover.token, { now: at(2600), status: 'succeeded', lease: null, finishedAt: at(2600) })).resolves.toMatchObject({ status: 'succeeded', finishedAt: at(2600) });
      });
    });

    describe('updateIf', () => {
      it('applies only at the expected version', async () => {
        const { job } = await store.insertIfAbsent(newJob({ type: uniqueType(), status: 'failed', finishedAt: at(50) }));
        await expect(store.updateIf(job.id, { version: 7 }, { now: at(100), status: 'pending' })).resolves.toBeNull();
        const updated = await store.updateIf(job.id, { version: 0 }, { now: at(100), status: 'pending', finishedAt: null, lastRetry: { by: 'user-1', at: at(100) } });
        expect(updated).toMatchObject({ status: 'pending', version: 1, lastRetry: { by: 'user-1', at: at(100) } });
        expect(updated).not.toHaveProperty('finishedAt');
        await expect(store.updateIf(job.id, { version: 0 }, { now: at(200), status: 'cancelled' })).resolves.toBeNull();
      });
    });

    describe('countByStatus', () => {
      it('counts jobs per type and status among the statuses asked for', async () => {
        const a = uniqueType();
        const b = uniqueType();
        await store.insertIfAbsent(newJob({ type: a }));
        await store.insertIfAbsent(newJob({ type: a }));
        await store.insertIfAbsent(newJob({ type: a, status: 'running' }));
        await store.insertIfAbsent(newJob({ type: a, status: 'succeeded', finishedAt: at(10) }));
        await store.insertIfAbsent(newJob({ type: b, status: 'failed', finishedAt: at(10) }));
        const mine = (await store.countByStatus(['pending', 'running'])).filter((r) => r.type === a || r.type === b);
        expect(mine.sort((x, y) => x.status.localeCompare(y.status))).toEqual([
          { type: a, status: 'pending', count: 2 },
          { type: a, status: 'running', count: 1 },
        ]);
        await expect(store.countByStatus([])).resolves.toEqual([]);
      });
    });
  });
}
