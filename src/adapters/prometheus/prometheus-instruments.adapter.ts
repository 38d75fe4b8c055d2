/**
 * The Instruments port on prom-client, with a registry of its own per bot (several bots in one
 * test process never share or collide), the Node.js process metrics collected on it, and the
 * gauges read at scrape time (catalog index, job queue). Label values are bounded twice: callers
 * pass names from code, and each label here keeps at most MAX_VALUES_PER_LABEL distinct values
 * (the rest read `other`), so a bug cannot explode the series count.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Instruments, JobOutcome, StepOutcome, UpstreamService } from '../../domain/metrics/instruments.port';

/** Chat turns: most answer in tens of milliseconds; Teams gives up on an invoke at 15 s. */
const TURN_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30];
/** Job steps call Azure (repository creation, role assignments): seconds to minutes. */
const STEP_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
const UPSTREAM_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const MAX_VALUES_PER_LABEL = 200;
const MAX_LABEL_LENGTH = 80;
export const OTHER_LABEL = 'other';

/** Job counts by type and status, as the store reports them (pending and running). */
export interface QueueCounts {
  type: string;
  status: string;
  count: number;
}

export interface PrometheusInstrumentsOptions {
  /** Prefix of every metric this adapter defines (default `idp_`); process metrics keep their standard names. */
  prefix?: string;
  /** Collect Node.js process metrics (CPU, memory, event loop lag, GC) on this registry (default true). */
  processMetrics?: boolean;
}

/** Keeps a label's distinct values bounded. */
class BoundedValues {
  private readonly seen = new Set<string>();
  of(value: string): string {
    const v = value.length > MAX_LABEL_LENGTH ? value.slice(0, MAX_LABEL_LENGTH) : value;
    if (this.seen.has(v)) return v;
    if (this.seen.size >= MAX_VALUES_PER_LABEL) return OTHER_LABEL;
    this.seen.add(v);
    return v;
  }
}

export class PrometheusInstruments implements Instruments {
  readonly registry = new Registry();
  private readonly routes = new BoundedValues();
  private readonly names = new BoundedValues();
  private readonly jobTypes = new BoundedValues();
  private readonly steps = new BoundedValues();
  private readonly turnSeconds: Histogram<'route' | 'activity_type'>;
  private readonly invokeSeconds: Histogram<'name' | 'status'>;
  private readonly stepSeconds: Histogram<'job_type' | 'step' | 'outcome'>;
  private readonly stepFailures: Counter<'job_type' | 'step'>;
  private readonly stepRetries: Counter<'job_type' | 'step'>;
  private readonly jobsFinished: Counter<'job_type' | 'outcome'>;
  private readonly jobRetries: Counter<'job_type'>;
  private readonly upstreamSeconds: Histogram<'service'>;
  private readonly upstreamRequests: Counter<'service' | 'status'>;
  private readonly upstreamThrottled: Counter<'service'>;
  private readonly prefix: string;

  constructor(options: PrometheusInstrumentsOptions = {}) {
    const p = (this.prefix = options.prefix ?? 'idp_');
    const registers = [this.registry];
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    this.turnSeconds = new Histogram({ name: `${p}turn_duration_seconds`, help: 'Time to handle one activity, by the route that handled it (command, card verb, invoke, dialog; unrouted otherwise) and activity type.', labelNames: ['route', 'activity_type'], buckets: TURN_BUCKETS, registers });
    this.invokeSeconds = new Histogram({ name: `${p}invoke_duration_seconds`, help: 'Time to answer one invoke activity, by invoke name and the status answered.', labelNames: ['name', 'status'], buckets: TURN_BUCKETS, registers });
    this.stepSeconds = new Histogram({ name: `${p}job_step_duration_seconds`, help: 'Duration of one job step attempt, by job type, step and outcome (succeeded, failed, retry).', labelNames: ['job_type', 'step', 'outcome'], buckets: STEP_BUCKETS, registers });
    this.stepFailures = new Counter({ name: `${p}job_step_failures_total`, help: 'Job step attempts that failed for good (the job stops at that step).', labelNames: ['job_type', 'step'], registers });
    this.stepRetries = new Counter({ name: `${p}job_step_retries_total`, help: 'Job step attempts that failed transiently and were scheduled to run again.', labelNames: ['job_type', 'step'], registers });
    this.jobsFinished = new Counter({ name: `${p}jobs_finished_total`, help: 'Job runs ended on this replica: succeeded, failed, or released (handed back at shutdown).', labelNames: ['job_type', 'outcome'], registers });
    this.jobRetries = new Counter({ name: `${p}job_retries_total`, help: 'Failed jobs a person asked to run again.', labelNames: ['job_type'], registers });
    this.upstreamSeconds = new Histogram({ name: `${p}upstream_request_duration_seconds`, help: 'Duration of one HTTP attempt to a remote service (retries count separately).', labelNames: ['service'], buckets: UPSTREAM_BUCKETS, registers });
    this.upstreamRequests = new Counter({ name: `${p}upstream_requests_total`, help: 'HTTP attempts to remote services by status code (error: no answer: network failure or timeout).', labelNames: ['service', 'status'], registers });
    this.upstreamThrottled = new Counter({ name: `${p}upstream_throttled_total`, help: 'HTTP 429 answers from remote services.', labelNames: ['service'], registers });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition text of every metric on this registry. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  turnFinished(route: string, activityType: string, seconds: number): void {
    this.turnSeconds.observe({ route: this.routes.of(route), activity_type: this.names.of(activityType || 'unknown') }, seconds);
  }

  invokeFinished(name: string, status: number, seconds: number): void {
    this.invokeSeconds.observe({ name: this.names.of(name || 'unknown'), status: String(status) }, seconds);
  }

  jobStepFinished(jobType: string, step: string, outcome: StepOutcome, seconds: number): void {
    const labels = { job_type: this.jobTypes.of(jobType), step: this.steps.of(step) };
    this.stepSeconds.observe({ ...labels, outcome }, seconds);
    if (outcome === 'failed') this.stepFailures.inc(labels);
    if (outcome === 'retry') this.stepRetries.inc(labels);
  }

  jobFinished(jobType: string, outcome: JobOutcome): void {
    this.jobsFinished.inc({ job_type: this.jobTypes.of(jobType), outcome });
  }

  jobRetried(jobType: string): void {
    this.jobRetries.inc({ job_type: this.jobTypes.of(jobType) });
  }

  upstreamCall(service: UpstreamService, status: number, seconds: number): void {
    this.upstreamSeconds.observe({ service }, seconds);
    this.upstreamRequests.inc({ service, status: status > 0 ? String(status) : 'error' });
    if (status === 429) this.upstreamThrottled.inc({ service });
  }

  /** The catalog index's revision and entity count, read at each scrape (cheap: two fields in memory). */
  observeCatalogIndex(read: () => { revision: number; size: number }): void {
    const current = () => read();
    new Gauge({ name: `${this.prefix}catalog_index_revision`, help: 'Store revision the in-memory catalog index has applied (should follow the store; stuck means the refresh is failing).', registers: [this.registry], collect() { this.set(current().revision); } });
    new Gauge({ name: `${this.prefix}catalog_index_entities`, help: 'Entities in the in-memory catalog index.', registers: [this.registry], collect() { this.set(current().size); } });
  }

  /**
   * Jobs waiting and running by type, read from the store at scrape time; one read serves every
   * scrape within `cacheMs` (several scrapers, or a scrape storm, cost one query). A failed read
   * keeps the last counts.
   */
  observeQueue(read: () => Promise<QueueCounts[]>, options: { cacheMs?: number; now?: () => number } = {}): void {
    const cacheMs = options.cacheMs ?? 5000;
    const now = options.now ?? Date.now;
    let cached: { at: number; counts: Promise<QueueCounts[]> } | undefined;
    let last: QueueCounts[] = [];
    const seen = new Set<string>();
    const counts = async (): Promise<QueueCounts[]> => {
      if (!cached || now() - cached.at >= cacheMs) cached = { at: now(), counts: read().then((c) => (last = c), () => last) };
      return cached.counts;
    };
    const types = this.jobTypes;
    new Gauge({
      name: `${this.prefix}jobs_queued`,
      help: 'Jobs in the store by type and status (pending: waiting for a runner or a retry time; running: claimed).',
      labelNames: ['job_type', 'status'],
      registers: [this.registry],
      async collect() {
        const rows = await counts();
        const now = new Set<string>();
        for (const row of rows) {
          const labels = { job_type: types.of(row.type), status: row.status };
          now.add(`${labels.job_type}\u0000${labels.status}`);
          seen.add(`${labels.job_type}\u0000${labels.status}`);
          this.set(labels, row.count);
        }
        // A type whose queue emptied reads 0 rather than vanishing.
        for (const key of seen) {
          if (now.has(key)) continue;
          const [job_type, status] = key.split('\u0000') as [string, string];
          this.set({ job_type, status }, 0);
        }
      },
    });
  }
}
