/**
 * Platform metrics -> card data. Durations read in the unit that suits them (min, h, days); an
 * empty sample reads "no data yet", a rate with nothing to divide "no data yet" too, never 0.
 */
import { barChartPng, pngDataUri } from '../../cards/platform-metrics-chart';
import { renderPlatformMetricsCard, type PlatformMetricsCardView } from '../../cards/platform-metrics.card';
import type { AdaptiveCard } from '../../cards/render';
import type { Distribution, Rate } from '../../src/domain/platform-metrics/distribution';
import type { FlowFigures, PlatformMetrics } from '../../src/domain/platform-metrics/platform-metrics.types';

export const NO_DATA = 'no data yet';
const day = (d: Date): string => d.toISOString().slice(0, 10);
const num = (n: number): string => n.toLocaleString('en-US');
const plural = (n: number, one: string, many = `${one}s`): string => `${num(n)} ${n === 1 ? one : many}`;
const round1 = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 1 });

export function duration(ms: number): string {
  const minutes = ms / 60_000;
  if (minutes < 1) return `${Math.round(ms / 1000)} s`;
  if (minutes < 90) return `${Math.round(minutes)} min`;
  const hours = minutes / 60;
  if (hours < 48) return `${round1(hours)} h`;
  return `${round1(hours / 24)} days`;
}

export function distributionText(d: Distribution): string {
  if (d.count === 0 || d.medianMs === null || d.p90Ms === null) return NO_DATA;
  return `median ${duration(d.medianMs)}, p90 ${duration(d.p90Ms)} (n = ${num(d.count)})`;
}

export function rateText(r: Rate): string {
  if (r.rate === null) return NO_DATA;
  return `${round1(r.rate * 100)} % (${num(r.count)} of ${num(r.of)})`;
}

const pct = (n: number | undefined): string => (n === undefined ? 'not measured' : `${round1(n)} %`);
const WAIT_LABEL: Record<FlowFigures['waitKind'], string> = { approval: 'approval wait', confirmation: 'wait for Confirm', none: '' };

export function platformMetricsCard(m: PlatformMetrics): AdaptiveCard {
  return renderPlatformMetricsCard(platformMetricsView(m));
}

export function platformMetricsView(m: PlatformMetrics): PlatformMetricsCardView {
  const { period } = m;
  const total = m.requestsPerWeek.reduce((a, b) => a + b, 0);
  const sections: PlatformMetricsCardView['sections'] = [];

  const fc = m.firstCommit;
  sections.push(
    fc.measured
      ? {
          title: 'Time to first commit (new services: request → first human commit or merged pull request)',
          rows: [{ label: 'New services', value: distributionText(fc.leadTime) }],
          text: [fc.waiting ? `${plural(fc.waiting, 'new repository', 'new repositories')} with no human change yet.` : '', fc.unreadable ? `${plural(fc.unreadable, 'repository', 'repositories')} could not be read from Azure DevOps.` : ''].filter(Boolean).join(' '),
        }
      : { title: 'Time to first commit (new services)', rows: [], text: `Not measured: ${fc.reason}.` },
  );

  sections.push({
    title: 'Provisioning lead time (request → done), waiting for people shown apart',
    rows: m.flows.flatMap((f) => [
      { label: f.label, value: distributionText(f.leadTime) },
      ...(f.waitKind === 'none' || f.leadTime.count === 0 ? [] : [{ label: `· ${WAIT_LABEL[f.waitKind]}`, value: distributionText(f.wait) }]),
    ]),
  });

  sections.push({
    title: 'Onboarding lead time (request → all access granted)',
    rows: [{ label: 'Joiners', value: distributionText(m.onboarding.leadTime) }],
    text: m.onboarding.waiting ? `${plural(m.onboarding.waiting, 'onboarding')} still provisioning.` : '',
  });

  const cov = m.coverage;
  sections.push(
    cov.measured
      ? {
          title: 'Catalog coverage',
          rows: [
            { label: 'Repositories with a valid catalog-info.yaml', value: pct(cov.repositoryCoverage) },
            { label: 'Entities with a live owner', value: pct(cov.liveOwnerCoverage) },
          ],
          text: `From the catalog health run of ${day(cov.runAt)} (${plural(cov.trend.length, 'run')} in the period).`,
        }
      : { title: 'Catalog coverage', rows: [], text: `Not measured: ${cov.reason}.` },
  );

  const weekly = m.weeks.map((w) => day(w));
  sections.push({
    title: `Requests per week (${plural(total, 'request')} in ${plural(m.weeks.length, 'week')})`,
    ...(total > 0 ? { chart: { url: pngDataUri(barChartPng(m.requestsPerWeek)), altText: `Requests per week from ${weekly[0]}: ${m.requestsPerWeek.join(', ')}` } } : {}),
    rows: m.flows.filter((f) => f.requests > 0).map((f) => ({ label: f.label, value: `${num(f.requests)} (${f.perWeek.join(' · ')})` })),
    text: total > 0 ? `Weeks start ${weekly.join(', ')}.` : `No request in the period: ${NO_DATA}.`,
  });

  sections.push({
    title: 'Failures and retries (jobs of the period\'s requests)',
    rows: m.flows.filter((f) => f.retries.of > 0).map((f) => ({ label: f.label, value: `failed ${rateText(f.failures)}; retried ${rateText(f.retries)}` })),
    ...(m.flows.some((f) => f.retries.of > 0) ? {} : { text: `No job in the period: ${NO_DATA}.` }),
  });

  return {
    heading: 'Platform metrics',
    subheading: `The last ${plural(period.days, 'day')}: ${day(period.from)} to ${day(period.to)}. Medians and 90th percentiles, with how many each is computed from.`,
    sections,
    footer: 'Read from the bot\'s own records (jobs, approvals, requests, onboardings, catalog health runs) and Azure DevOps. Also as JSON: GET /api/platform/metrics?days=N.',
  };
}
