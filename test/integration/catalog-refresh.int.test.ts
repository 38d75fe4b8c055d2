/**
 * The periodic import: runs now and then every interval, never two at once, stop() waits for the
 * run in flight; and the Mongo lease that lets only one replica import.
 */
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { connectMongo } from '../../src/adapters/mongo/mongo-connection';
import { MongoLease } from '../../src/adapters/mongo/mongo-lease.adapter';
import { startCatalogRefresh, type RefreshLogger } from '../../src/domain/catalog/catalog-refresh';

const quiet: RefreshLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const MS = 1 / 60_000; // one millisecond, in minutes

let conn: Connection;
beforeAll(async () => {
  conn = await connectMongo(process.env.MONGODB_URI!, `catalog_refresh_${randomUUID().slice(0, 8)}`);
});
afterAll(async () => {
  await conn.dropDatabase().catch(() => undefined);
  await conn.close();
});

describe('MongoLease', () => {
  it('is held by one holder at a time, renewed by its holder, taken over after expiry or release', async () => {
    const key = `lease-${randomUUID()}`;
    const a = new MongoLease(conn, key);
    const b = new MongoLease(conn, key);
    expect(await a.tryAcquire('replica-a', 300)).toBe(true);
    expect(await b.tryAcquire('replica-b', 300)).toBe(false);
    expect(await a.tryAcquire('replica-a', 300)).toBe(true); // renewal
    await sleep(350);
    expect(await b.tryAcquire('replica-b', 10_000)).toBe(true);
    expect(await a.tryAcquire('replica-a', 10_000)).toBe(false);
    await a.release('replica-a'); // not the holder: no effect
    expect(await a.tryAcquire('replica-a', 10_000)).toBe(false);
    await b.release('replica-b');
    expect(await a.tryAcquire('replica-a', 10_000)).toBe(true);
  });

  it('gives exactly one winner when replicas race for a fresh lease', async () => {
    const key = `lease-${randomUUID()}`;
    const wins = await Promise.all(Array.from({ length: 8 }, (_, i) => new MongoLease(conn, key).tryAcquire(`replica-${i}`, 10_000)));
    expect(wins.filter(Boolean)).toHaveLength(1);
  });
});

describe('startCatalogRefresh', () => {
  it('runs at once, then every interval after the previous run ended, never overlapping', async () => {
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    const refresh = startCatalogRefresh({
      intervalMinutes: 20 * MS,
      logger: quiet,
      run: async () => {
        runs++;
        running++;
        maxRunning = Math.max(maxRunning, running);
        await sleep(50); // longer than the interval
        running--;
      },
    });
    expect(runs).toBe(1);
    await sleep(400);
    await refresh.stop();
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(maxRunning).toBe(1);
    const after = runs;
    await sleep(100);
    expect(runs).toBe(after);
  });

  it('stop() waits for the run in flight', async () => {
    let finished = false;
    const refresh = startCatalogRefresh({
      intervalMinutes: 60,
      logger: quiet,
      run: async () => {
        await sleep(100);
        finished = true;
      },
    });
    await refresh.stop();
    expect(finished).toBe(true);
  });

  it('keeps going after a failed run, and logs it', async () => {
    const errors: unknown[] = [];
    let runs = 0;
    const refresh = startCatalogRefresh({
      intervalMinutes: 10 * MS,
      logger: { ...quiet, error: (obj) => errors.push(obj) },
      run: async () => {
        runs++;
        if (runs === 1) throw new Error('store down');
      },
    });
    await sleep(150);
    await refresh.stop();
    expect(errors).toHaveLength(1);
    expect(runs).toBeGreaterThan(1);
  });

  it('with a lease, only one of two replicas imports; the other takes over when the first stops', async () => {
    const key = `import-lease-${randomUUID()}`;
    const runs = { a: 0, b: 0 };
    const a = startCatalogRefresh({ intervalMinutes: 20 * MS, leaseTtlMs: 200, logger: quiet, lease: new MongoLease(conn, key), holder: 'a', run: async () => void runs.a++ });
    await a.current;
    const b = startCatalogRefresh({ intervalMinutes: 20 * MS, leaseTtlMs: 200, logger: quiet, lease: new MongoLease(conn, key), holder: 'b', run: async () => void runs.b++ });
    await sleep(300);
    expect(runs.a).toBeGreaterThan(1);
    expect(runs.b).toBe(0);
    await a.stop(); // releases the lease
    await sleep(300);
    await b.stop();
    expect(runs.b).toBeGreaterThan(0);
  });
});
