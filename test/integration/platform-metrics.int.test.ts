/**
 * The platform metrics from a seeded history with hand-computed answers: the real Mongo stores
 * write the records, MongoPlatformHistory reads them back, the Azure DevOps adapter reads what
 * people did in the stand-in. Period: the 28 days before NOW, weeks from FROM (h 0, 168, 336, 504).
 *
 * create-repo, requests in the period (svc-early's preview came before it): a 48..49.5 h (wait 0.5),
 * b 200..203 (wait 1, a step started twice), c 400..failed (a step started three times), d 500..502 (wait 0.5), gone 600..601 (wait 0.5).
 *   lead [1, 1.5, 2, 3] h -> median 1.75 h, p90 (4th of 4) 3 h; wait [0.5, 0.5, 0.5, 1] -> 0.5 h, 1 h
 *   failures 1 of 5; retries 2 of 5 (b, and c whose step started three times); per week [1, 1, 2, 1]
 * time to first commit: a 24 h (commit), b 6 h (Ana's merged pull request, the bot's earlier one
 *   not counted) -> median 15 h, p90 24 h, n 2; d waiting; gone unreadable.
 * onboarding: o1 10 -> approved 14 -> done 15; o2 300 -> 302 -> 310 (Retry pressed); o3 rejected; o4 running.
 *   lead [5, 10] h -> median 7.5 h, p90 10 h; wait [4, 2] -> 3 h, 4 h; failures 0 of 2; retries 1 of 3;
 *   per week [1, 1, 1, 1]; onboarding lead time (request -> active) the same [5, 10], one still provisioning.
 * coverage: the newest run in the period (h 600): 75 % / 80 %, two runs in the trend.
 */
import { AzureDevOpsConnection } from '../../src/adapters/azure-devops/azure-devops-connection';
import { AzureDevOpsRepositoryActivity } from '../../src/adapters/azure-devops/azure-devops-repository-activity.adapter';
import { MongoHealthRunStore } from '../../src/adapters/mongo/mongo-health-run-store.adapter';
import { MongoPlatformHistory } from '../../src/adapters/mongo/mongo-platform-history.adapter';
import { PlatformMetricsService } from '../../src/domain/platform-metrics/platform-metrics.service';
import type { PlatformMetrics } from '../../src/domain/platform-metrics/platform-metrics.types';
import { DEMO_ORG, DEMO_PROJECTS } from '../../src/sandbox/seed/demo-org';
import { AzureDevOpsStandIn } from '../../src/sandbox/standins/azure-devops.standin';
import { adoHistory } from '../helpers/ado-activity-world';
import { FROM, HOUR, NOW, h, seedPlatformHistory } from '../helpers/platform-history-seed';
import { openTestDatabase } from '../helpers/test-database';

describe('PlatformMetricsService on a seeded history (MongoDB + Azure DevOps stand-in)', () => {
  const standIn = new AzureDevOpsStandIn({ org: DEMO_ORG, projects: DEMO_PROJECTS });
  let db: Awaited<ReturnType<typeof openTestDatabase>>;
  let metrics: PlatformMetrics;
  let service: PlatformMetricsService;

  beforeAll(async () => {
    await standIn.start(0);
    db = await openTestDatabase('platform_metrics');
    await seedPlatformHistory(db.conn, adoHistory(standIn));
    service = new PlatformMetricsService({
      history: new MongoPlatformHistory(db.conn),
      healthRuns: new MongoHealthRunStore(db.conn),
      repositories: new AzureDevOpsRepositoryActivity(new AzureDevOpsConnection({ orgUrl: standIn.collectionUrl, token: 'metrics-test-pat' })),
      now: () => NOW,
    });
    metrics = await service.compute();
  });
  afterAll(async () => {
    await db?.close();
    await standIn.close();
  });

  const flow = (id: string) => metrics.flows.find((f) => f.flow === id)!;

  it('covers the 28 days before now in four weeks', () => {
    expect(metrics.period).toEqual({ from: FROM, to: NOW, days: 28 });
    expect(metrics.weeks).toEqual([h(0), h(168), h(336), h(504)]);
  });

  it('create repo: lead time, the wait for Confirm apart, requests per week, failure and retry rates', () => {
    expect(flow('create-repo')).toEqual({
      flow: 'create-repo',
      label: 'Create repository',
      requests: 5,
      perWeek: [1, 1, 2, 1],
      leadTime: { count: 4, medianMs: 1.75 * HOUR, p90Ms: 3 * HOUR },
      wait: { count: 4, medianMs: 0.5 * HOUR, p90Ms: 1 * HOUR },
      waitKind: 'confirmation',
      failures: { count: 1, of: 5, rate: 0.2 },
      retries: { count: 2, of: 5, rate: 0.4 },
    });
  });

  it('time to first commit: request -> the first human commit or merged pull request, read from Azure DevOps', () => {
    expect(metrics.firstCommit).toEqual({ measured: true, leadTime: { count: 2, medianMs: 15 * HOUR, p90Ms: 24 * HOUR }, waiting: 1, unreadable: 1 });
  });

  it('onboarding: the approval wait apart, a rejected request counted, Retry counted as a retry', () => {
    expect(flow('onboarding')).toEqual({
      flow: 'onboarding',
      label: 'Onboarding',
      requests: 4,
      perWeek: [1, 1, 1, 1],
      leadTime: { count: 2, medianMs: 7.5 * HOUR, p90Ms: 10 * HOUR },
      wait: { count: 2, medianMs: 3 * HOUR, p90Ms: 4 * HOUR },
      waitKind: 'approval',
      failures: { count: 0, of: 2, rate: 0 },
      retries: { count: 1, of: 3, rate: 1 / 3 },
    });
    expect(metrics.onboarding).toEqual({ leadTime: { count: 2, medianMs: 7.5 * HOUR, p90Ms: 10 * HOUR }, waiting: 1 });
  });

  it('a flow with no request says so: count 0 and null, never a measured-looking 0', () => {
    expect(flow('create-secret')).toEqual(expect.objectContaining({ requests: 0, perWeek: [0, 0, 0, 0], leadTime: { count: 0, medianMs: null, p90Ms: null }, failures: { count: 0, of: 0, rate: null }, retries: { count: 0, of: 0, rate: null } }));
  });

  it('catalog coverage from the newest health run in the period, with the runs of the period as the trend', () => {
    expect(metrics.coverage).toEqual({
      measured: true,
      runAt: h(600),
      repositoryCoverage: 75,
      liveOwnerCoverage: 80,
      trend: [
        { at: h(100), repositoryCoverage: 50, liveOwnerCoverage: 60 },
        { at: h(600), repositoryCoverage: 75, liveOwnerCoverage: 80 },
      ],
    });
    expect(metrics.requestsPerWeek).toEqual([2, 2, 3, 2]);
  });

  it('a shorter period keeps only its requests (the last 7 days: svc-gone and o4)', async () => {
    const week = await service.compute(7);
    expect(flow('create-repo').requests).toBe(5);
    expect(week.flows.find((f) => f.flow === 'create-repo')).toEqual(expect.objectContaining({ requests: 1, perWeek: [1], leadTime: { count: 1, medianMs: HOUR, p90Ms: HOUR } }));
    expect(week.flows.find((f) => f.flow === 'onboarding')).toEqual(expect.objectContaining({ requests: 1, leadTime: { count: 0, medianMs: null, p90Ms: null } }));
    expect(week.firstCommit).toEqual({ measured: true, leadTime: { count: 0, medianMs: null, p90Ms: null }, waiting: 0, unreadable: 1 });
  });

  it('refuses a period outside 1..365 days', async () => {
    await expect(service.compute(0)).rejects.toMatchObject({ code: 'METRICS.PERIOD_INVALID' });
    await expect(service.compute(366)).rejects.toMatchObject({ code: 'METRICS.PERIOD_INVALID' });
  });
});
