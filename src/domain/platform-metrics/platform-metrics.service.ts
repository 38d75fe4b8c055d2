/**
 * The platform team's figures, computed from the bot's own records (jobs, approvals, previewed
 * requests, onboardings, catalog health runs) and, for time to first commit, from what people did
 * in Azure DevOps afterwards. One computation for the card and the JSON endpoint. A figure with no
 * sample says so (count 0, null median): nothing here invents a 0.
 *
 * A request belongs to the period when it was made in it: the approval request, the preview the
 * requester confirmed, else the job itself. Records are read from LOOKBACK before the period so a
 * job whose request came earlier is matched to it (and left out).
 */
import { DomainError, isDomainError } from '../domain-error';
import type { HealthRunStore } from '../catalog-health/health-run-store.port';
import { OFFBOARDING_JOB } from '../onboarding/offboarding.job';
import { ONBOARDING_JOB } from '../onboarding/onboarding.job';
import { OFFBOARD_FLOW, ONBOARD_FLOW } from '../onboarding/onboarding.types';
import { ADD_PIPELINE_JOB } from '../repos/add-pipeline.job';
import { CREATE_REPO_JOB } from '../repos/create-repo.job';
import { CREATE_SECRET_JOB } from '../secrets/create-secret.job';
import { ROTATE_SECRET_JOB } from '../secrets/rotate-secret.job';
import { SECRET_FLOW } from '../secrets/secrets.types';
import { distributionOf, rateOf } from './distribution';
import type { JobHistoryRecord, PlatformHistory, PreviewHistoryRecord } from './platform-history.port';
import { DEFAULT_PERIOD_DAYS, MAX_PERIOD_DAYS, type CoverageFigure, type FirstCommitFigure, type FlowFigures, type MetricsPeriod, type PlatformMetrics, type Unmeasured } from './platform-metrics.types';
import type { RepositoryActivity } from './repository-activity.port';

const DAY_MS = 24 * 3600_000;
const WEEK_MS = 7 * DAY_MS;
/** Requests older than the period by this much are not matched to jobs (approvals expire sooner; previews after 7 days). */
const LOOKBACK_MS = 60 * DAY_MS;
/** The rotation flow's approval name (secret-lifecycle.service.ts), kept here to read no service module. */
const SECRET_ROTATION_FLOW = 'secret-rotation';
/** Repositories read from Azure DevOps at once. */
const ACTIVITY_CONCURRENCY = 4;
const HEALTH_RUNS_READ = 500;

interface FlowDefinition {
  flow: string;
  label: string;
  jobType: string;
  /** The approval flow whose requests start this job, if any. */
  approvalFlow?: string;
  /** The preview the requester confirms before the job, if any. */
  preview?: PreviewHistoryRecord['kind'];
}

export const METRIC_FLOWS: readonly FlowDefinition[] = [
  { flow: 'create-repo', label: 'Create repository', jobType: CREATE_REPO_JOB, preview: 'create-repo' },
  { flow: 'add-pipeline', label: 'Add pipeline', jobType: ADD_PIPELINE_JOB, preview: 'add-pipeline' },
  { flow: 'create-secret', label: 'Create secret', jobType: CREATE_SECRET_JOB, approvalFlow: SECRET_FLOW },
  { flow: 'rotate-secret', label: 'Rotate secret', jobType: ROTATE_SECRET_JOB, approvalFlow: SECRET_ROTATION_FLOW },
  { flow: 'onboarding', label: 'Onboarding', jobType: ONBOARDING_JOB, approvalFlow: ONBOARD_FLOW },
  { flow: 'offboarding', label: 'Offboarding', jobType: OFFBOARDING_JOB, approvalFlow: OFFBOARD_FLOW },
];

export interface PlatformMetricsDeps {
  history: PlatformHistory;
  healthRuns: Pick<HealthRunStore, 'latestRuns'>;
  /** Absent without Azure DevOps: time to first commit is not measured. */
  repositories?: RepositoryActivity;
  now?: () => Date;
}

/** One request of a flow, with the job that followed it (if any). */
interface FlowRequest {
  at: Date;
  job?: JobHistoryRecord;
  /** When the people it waited for answered (approval decided, preview confirmed = the job's creation). */
  waitEnd?: Date;
}

export class PlatformMetricsService {
  private readonly now: () => Date;

  constructor(private readonly deps: PlatformMetricsDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** The period ending now; `days` 1..365 (METRICS.PERIOD_INVALID otherwise). */
  periodOf(days: number = DEFAULT_PERIOD_DAYS): MetricsPeriod {
    if (!Number.isInteger(days) || days < 1 || days > MAX_PERIOD_DAYS) {
      throw new DomainError('METRICS.PERIOD_INVALID', `a period of ${days} days is not between 1 and ${MAX_PERIOD_DAYS}`, { days: String(days), max: MAX_PERIOD_DAYS });
    }
    const to = this.now();
    return { from: new Date(to.getTime() - days * DAY_MS), to, days };
  }

  async compute(days: number = DEFAULT_PERIOD_DAYS): Promise<PlatformMetrics> {
    const period = this.periodOf(days);
    const since = new Date(period.from.getTime() - LOOKBACK_MS);
    const [jobs, approvals, previews, onboardings, runs] = await Promise.all([
      this.deps.history.jobsCreatedSince(since),
      this.deps.history.approvalsCreatedSince(since),
      this.deps.history.previewsCreatedSince(since),
      this.deps.history.onboardingsCreatedSince(since),
      this.deps.healthRuns.latestRuns(HEALTH_RUNS_READ),
    ]);
    const weeks = weekStarts(period);
    const inPeriod = (d: Date) => d.getTime() >= period.from.getTime() && d.getTime() < period.to.getTime();
    const approvalById = new Map(approvals.map((a) => [a.id, a]));
    const previewById = new Map(previews.map((p) => [p.id, p]));

    const requestsByFlow = new Map<string, FlowRequest[]>();
    for (const def of METRIC_FLOWS) {
      const requests: FlowRequest[] = [];
      const withJob = new Set<string>();
      for (const job of jobs.filter((j) => j.type === def.jobType)) {
        const approval = approvalById.get(job.idempotencyKey);
        const preview = previewById.get(job.idempotencyKey);
        if (approval) withJob.add(approval.id);
        const request = approval ? { at: approval.createdAt, waitEnd: approval.endedAt ?? job.createdAt } : preview ? { at: preview.createdAt, waitEnd: job.createdAt } : { at: job.createdAt };
        if (inPeriod(request.at)) requests.push({ ...request, job });
      }
      // Approval requests that started no job (rejected, expired, cancelled, still pending) are requests too.
      for (const a of approvals) if (a.flow === def.approvalFlow && !withJob.has(a.id) && inPeriod(a.createdAt)) requests.push({ at: a.createdAt, ...(a.endedAt ? { waitEnd: a.endedAt } : {}) });
      requestsByFlow.set(def.flow, requests);
    }

    const flows = METRIC_FLOWS.map((def) => flowFigures(def, requestsByFlow.get(def.flow)!, weeks, period));
    const requestsPerWeek = weeks.map((_, i) => flows.reduce((sum, f) => sum + f.perWeek[i]!, 0));

    const onboardingJobs = new Map(jobs.filter((j) => j.type === ONBOARDING_JOB).map((j) => [j.idempotencyKey, j]));
    const onboardingLeads: number[] = [];
    let onboardingWaiting = 0;
    for (const record of onboardings) {
      const approval = approvalById.get(record.id);
      const requestedAt = approval?.createdAt ?? record.createdAt;
      if (!inPeriod(requestedAt)) continue;
      const job = onboardingJobs.get(record.id);
      const grantedAt = record.activeAt ?? (job?.status === 'succeeded' ? job.finishedAt : undefined);
      if (grantedAt) onboardingLeads.push(grantedAt.getTime() - requestedAt.getTime());
      else if (record.state === 'provisioning') onboardingWaiting++;
    }

    const createRepo = requestsByFlow.get('create-repo')!.filter((r) => r.job?.status === 'succeeded' && r.job.repository);
    return {
      period,
      weeks,
      firstCommit: await this.firstCommit(createRepo),
      flows,
      onboarding: { leadTime: distributionOf(onboardingLeads), waiting: onboardingWaiting },
      coverage: coverageOf(runs.filter((r) => inPeriod(r.finishedAt))),
      requestsPerWeek,
      computedAt: this.now(),
    };
  }

  private async firstCommit(created: FlowRequest[]): Promise<FirstCommitFigure | Unmeasured> {
    const activity = this.deps.repositories;
    if (!activity) return { measured: false, reason: 'Azure DevOps is not configured' };
    const leads: number[] = [];
    let waiting = 0;
    let unreadable = 0;
    await eachLimited(created, ACTIVITY_CONCURRENCY, async (r) => {
      const repo = r.job!.repository!;
      try {
        const change = await activity.firstHumanChange(repo.project, repo.name, r.at);
        if (change) leads.push(change.at.getTime() - r.at.getTime());
        else waiting++;
      } catch (e) {
        if (!isDomainError(e)) throw e;
        unreadable++;
      }
    });
    return { measured: true, leadTime: distributionOf(leads), waiting, unreadable };
  }
}

function flowFigures(def: FlowDefinition, requests: FlowRequest[], weeks: Date[], period: MetricsPeriod): FlowFigures {
  const done = requests.filter((r) => r.job?.status === 'succeeded' && r.job.finishedAt);
  const waitKind = def.approvalFlow ? 'approval' : def.preview ? 'confirmation' : 'none';
  const started = requests.map((r) => r.job).filter((j): j is JobHistoryRecord => j !== undefined);
  const finished = started.filter((j) => j.status === 'succeeded' || j.status === 'failed');
  const retried = started.filter((j) => j.retriedByUser || j.stepAttempts.some((n) => n > 1));
  return {
    flow: def.flow,
    label: def.label,
    requests: requests.length,
    perWeek: weeks.map((start, i) => {
      const end = i + 1 < weeks.length ? weeks[i + 1]!.getTime() : period.to.getTime();
      return requests.filter((r) => r.at.getTime() >= start.getTime() && r.at.getTime() < end).length;
    }),
    leadTime: distributionOf(done.map((r) => r.job!.finishedAt!.getTime() - r.at.getTime())),
    wait: distributionOf(waitKind === 'none' ? [] : done.filter((r) => r.waitEnd).map((r) => r.waitEnd!.getTime() - r.at.getTime())),
    waitKind,
    failures: rateOf(finished.filter((j) => j.status === 'failed').length, finished.length),
    retries: rateOf(retried.length, started.length),
  };
}

function coverageOf(runs: { finishedAt: Date; repositoryCoverage?: number; liveOwnerCoverage: number }[]): CoverageFigure | Unmeasured {
  if (!runs.length) return { measured: false, reason: 'no catalog health run finished in the period' };
  const trend = [...runs].sort((a, b) => a.finishedAt.getTime() - b.finishedAt.getTime()).map((r) => ({ at: r.finishedAt, ...(r.repositoryCoverage === undefined ? {} : { repositoryCoverage: r.repositoryCoverage }), liveOwnerCoverage: r.liveOwnerCoverage }));
  const latest = trend[trend.length - 1]!;
  return { measured: true, runAt: latest.at, ...(latest.repositoryCoverage === undefined ? {} : { repositoryCoverage: latest.repositoryCoverage }), liveOwnerCoverage: latest.liveOwnerCoverage, trend };
}

/** Seven-day buckets from the period's start; the last one ends with the period. */
function weekStarts(period: MetricsPeriod): Date[] {
  const starts: Date[] = [];
  for (let t = period.from.getTime(); t < period.to.getTime(); t += WEEK_MS) starts.push(new Date(t));
  return starts;
}

async function eachLimited<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

