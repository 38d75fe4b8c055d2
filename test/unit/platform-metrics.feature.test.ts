/**
 * `platform metrics`: platform groups only (default deny, nothing computed for anyone else), the
 * period a person types, and the card: parsed by the official Adaptive Cards parser, the chart a
 * small PNG data URI, the whole card far under Teams' ~28 KB message limit. The figures come from
 * the service over an in-memory history, so the card shows real "no data yet" and real numbers.
 */
import { writeFileSync } from 'node:fs';
import { TestAdapter, TurnContext, type Activity } from 'botbuilder';
import { PNG } from 'pngjs';
import { barChartPng } from '../../cards/platform-metrics-chart';
import type { AdaptiveCard } from '../../cards/render';
import { periodDays, platformMetricsFeature } from '../../dialogs/platform-metrics/platform-metrics.feature';
import { distributionText, duration, platformMetricsView, rateText } from '../../dialogs/platform-metrics/platform-metrics.views';
import { userMessageFor } from '../../src/bot/messages';
import { PlatformAccessPolicy } from '../../src/domain/access/platform-access.policy';
import { distributionOf, rateOf } from '../../src/domain/platform-metrics/distribution';
import type { PlatformHistory } from '../../src/domain/platform-metrics/platform-history.port';
import { PlatformMetricsService } from '../../src/domain/platform-metrics/platform-metrics.service';
import { userBySlug } from '../../src/sandbox/seed/demo-org';
import { parseCard } from '../helpers/adaptive-card-parse';
import { InMemoryDirectory } from '../fakes/in-memory-directory';
import { InMemoryRepositoryActivity } from '../fakes/in-memory-repository-activity';

const NOW = new Date('2026-11-29T00:00:00Z');
const h = (hours: number) => new Date(NOW.getTime() - 28 * 24 * 3600_000 + hours * 3600_000);
const HOUR = 3600_000;

const history: PlatformHistory = {
  jobsCreatedSince: async () => [
    { id: 'j1', type: 'repo.create', idempotencyKey: 'p1', status: 'succeeded', createdAt: h(1), finishedAt: h(2), stepAttempts: [1, 1], retriedByUser: false, repository: { project: 'Payments', name: 'svc-a' } },
    { id: 'j2', type: 'repo.create', idempotencyKey: 'p2', status: 'failed', createdAt: h(200), finishedAt: h(201), stepAttempts: [1, 3], retriedByUser: false, repository: { project: 'Payments', name: 'svc-b' } },
  ],
  approvalsCreatedSince: async () => [],
  previewsCreatedSince: async () => [
    { id: 'p1', kind: 'create-repo', status: 'confirmed', createdAt: h(0.5) },
    { id: 'p2', kind: 'create-repo', status: 'confirmed', createdAt: h(199) },
  ],
  onboardingsCreatedSince: async () => [],
};

function world() {
  const directory = InMemoryDirectory.fromDemoOrg();
  const repositories = new InMemoryRepositoryActivity();
  repositories.createRepo('Payments', 'svc-a');
  repositories.record('Payments', 'svc-a', { kind: 'commit', at: h(30.5), by: 'Ana Dev', byBot: false });
  const service = new PlatformMetricsService({ history, healthRuns: { latestRuns: async () => [] }, repositories, now: () => NOW });
  let computed = 0;
  const metrics = { compute: (days?: number) => (computed++, service.compute(days)) };
  const access = new PlatformAccessPolicy({ directory, platformGroups: ['platform-engineers'] });
  const feature = platformMetricsFeature({ metrics, access });
  const route = feature.commands![0]!;
  const say = async (text: string, slug: string, channelId = 'msteams') => {
    const user = userBySlug(slug);
    const adapter = new TestAdapter();
    const activity = { type: 'message', text, channelId, from: { id: user.teamsId, name: user.displayName, aadObjectId: user.id }, conversation: { id: 'c1' }, recipient: { id: 'bot' } } as Partial<Activity>;
    const turn = new TurnContext(adapter, activity);
    const sent: Partial<Activity>[] = [];
    turn.onSendActivities(async (_c, activities) => (sent.push(...activities), activities.map(() => ({ id: 'x' }))));
    const match = /^platform\s+metrics(?:\s+(?<period>.*?))?\s*[?.!]*$/i.exec(text);
    const error = await route.run({ turn, text, args: { ...match?.groups } }).then(() => undefined, (e: unknown) => e);
    return { sent, error, computed: () => computed };
  };
  return { say, service };
}

const cardOf = (a: Partial<Activity>): AdaptiveCard => a.attachments![0]!.content as AdaptiveCard;

describe('platform metrics: who may see them', () => {
  it('refuses someone outside the platform groups, computes nothing, and says why in words', async () => {
    const { say } = world();
    const r = await say('platform metrics', 'alice');
    expect(r.sent).toEqual([]);
    expect(r.computed()).toBe(0);
    expect(r.error).toMatchObject({ code: 'METRICS.NOT_PLATFORM' });
    const text = userMessageFor(r.error, 'ref-1').text;
    expect(text).toContain('platform team only');
    expect(text).toContain('"platform-engineers"');
  });

  it('refuses an identity the channel does not vouch for before asking the directory', async () => {
    const { say } = world();
    const r = await say('platform metrics', 'carol', 'emulator');
    expect(r.error).toMatchObject({ code: 'METRICS.UNVERIFIED_USER' });
    expect(r.computed()).toBe(0);
  });

  it('default deny: no directory or no platform group configured is a no', async () => {
    const carol = userBySlug('carol');
    const actor = { id: carol.id, name: carol.displayName };
    expect(await new PlatformAccessPolicy({ platformGroups: ['platform-engineers'] }).isPlatformMember(actor)).toEqual({ allowed: false, reason: 'no platform group is configured' });
    expect(await new PlatformAccessPolicy({ directory: InMemoryDirectory.fromDemoOrg(), platformGroups: [] }).isPlatformMember(actor)).toMatchObject({ allowed: false });
    expect(await new PlatformAccessPolicy({ directory: InMemoryDirectory.fromDemoOrg(), platformGroups: ['Platform-Engineers'] }).isPlatformMember(actor)).toEqual({ allowed: true });
  });

  it('a period it does not understand is refused before anything is computed', async () => {
    const { say } = world();
    const r = await say('platform metrics since forever', 'carol');
    expect(r.error).toMatchObject({ code: 'METRICS.PERIOD_INVALID' });
    expect(r.computed()).toBe(0);
    expect(userMessageFor(r.error, 'ref-2').text).toContain('platform metrics last 90 days');
  });
});

describe('platform metrics: the card a platform engineer gets', () => {
  it('has the figures, "no data yet" where nothing happened, and the trend as a PNG data URI', async () => {
    const { say } = world();
    const r = await say('platform metrics', 'carol');
    expect(r.error).toBeUndefined();
    expect(r.computed()).toBe(1);
    expect(r.sent).toHaveLength(1);
    const card = cardOf(r.sent[0]!);
    expect(parseCard(card).problems).toEqual([]);
    const json = JSON.stringify(card);
    expect(json).toContain('median 30 h, p90 30 h (n = 1)'); // time to first commit: 0.5 -> 30.5
    expect(json).toContain('median 1.5 h, p90 1.5 h (n = 1)'); // create repo lead time
    expect(json).toContain('failed 50 % (1 of 2); retried 50 % (1 of 2)');
    expect(json).toContain('Not measured: no catalog health run finished in the period.');
    expect(json).toMatch(/"Onboarding","value":"no data yet"/);
    const images = (json.match(/data:image\/png;base64,[A-Za-z0-9+/=]+/g) ?? []);
    expect(images).toHaveLength(1);
    const png = PNG.sync.read(Buffer.from(images[0]!.slice('data:image/png;base64,'.length), 'base64'));
    expect([png.width, png.height]).toEqual([320, 80]);
    expect(Buffer.byteLength(json)).toBeLessThan(12_000); // Teams refuses messages over ~28 KB
  });

  it('reads "last 90 days", "period=30d", "4 weeks"', async () => {
    const { say } = world();
    const r = await say('platform metrics last 90 days', 'carol');
    expect(JSON.stringify(cardOf(r.sent[0]!))).toContain('The last 90 days');
    expect([periodDays(undefined), periodDays(''), periodDays('period=30d'), periodDays('days=7'), periodDays('last 4 weeks'), periodDays('14d'), periodDays('over the last 60 days')]).toEqual([28, 28, 30, 7, 28, 14, 60]);
    expect(periodDays('since monday')).toBeNaN();
  });
});

describe('platform metrics: numbers and words', () => {
  it('median (mean of the middle two) and nearest-rank p90, with the count; none without a sample', () => {
    expect(distributionOf([])).toEqual({ count: 0, medianMs: null, p90Ms: null });
    expect(distributionOf([5])).toEqual({ count: 1, medianMs: 5, p90Ms: 5 });
    expect(distributionOf([4, 1, 3, 2])).toEqual({ count: 4, medianMs: 2.5, p90Ms: 4 });
    expect(distributionOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual({ count: 10, medianMs: 5.5, p90Ms: 9 });
    expect(distributionOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])).toEqual({ count: 11, medianMs: 6, p90Ms: 10 });
    expect(rateOf(0, 0)).toEqual({ count: 0, of: 0, rate: null });
  });

  it('durations in the unit that suits them; "no data yet" rather than 0', () => {
    expect([duration(30_000), duration(42 * 60_000), duration(5.5 * HOUR), duration(3.25 * 24 * HOUR)]).toEqual(['30 s', '42 min', '5.5 h', '3.3 days']);
    expect(distributionText({ count: 0, medianMs: null, p90Ms: null })).toBe('no data yet');
    expect(rateText(rateOf(0, 0))).toBe('no data yet');
    expect(rateText(rateOf(0, 4))).toBe('0 % (0 of 4)');
  });

  it('an empty month: every figure says so and no chart is drawn', async () => {
    const empty = new PlatformMetricsService({ history: { jobsCreatedSince: async () => [], approvalsCreatedSince: async () => [], previewsCreatedSince: async () => [], onboardingsCreatedSince: async () => [] }, healthRuns: { latestRuns: async () => [] }, now: () => NOW });
    const view = platformMetricsView(await empty.compute());
    expect(view.sections.some((s) => s.chart)).toBe(false);
    expect(JSON.stringify(view)).toContain('Not measured: Azure DevOps is not configured.');
    expect(JSON.stringify(view)).not.toMatch(/median 0|0 %/);
  });

  it('the chart: one bar per week scaled to the busiest, a grey tick for an empty week, a few hundred bytes', () => {
    const bytes = barChartPng([3, 0, 6, 1]);
    if (process.env.CHART_OUT) writeFileSync(process.env.CHART_OUT, bytes);
    expect(bytes.length).toBeLessThan(2_000);
    const png = PNG.sync.read(bytes);
    const at = (x: number, y: number) => Array.from(png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 4));
    const columnHeight = (x: number) => Array.from({ length: png.height }, (_, y) => at(x, y)).filter((p) => p[0] === 0x62 && p[3] === 255).length;
    expect([columnHeight(40), columnHeight(120), columnHeight(200), columnHeight(280)]).toEqual([38, 0, 76, 13]);
    expect(at(120, 77)).toEqual([0x9e, 0x9e, 0x9e, 255]); // the empty week's tick
    expect(at(40, 2)[3]).toBe(0); // transparent above the bars
  });
});
