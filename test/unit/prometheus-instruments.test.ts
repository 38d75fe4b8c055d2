import { PrometheusInstruments, OTHER_LABEL } from '../../src/adapters/prometheus/prometheus-instruments.adapter';

/** The value of one sample line of the exposition text (undefined when absent). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[3] ?? '').split(/,(?=[a-z_]+=")/).filter(Boolean);
    if (want.every((w) => have.includes(w)) && have.length === want.length) return Number(match[4]);
  }
  return undefined;
}

describe('PrometheusInstruments', () => {
  test('a turn shows in the exposition text with its route and activity type', async () => {
    const m = new PrometheusInstruments({ processMetrics: false });
    m.turnFinished('command:who owns', 'message', 0.03);
    m.turnFinished('command:who owns', 'message', 2);
    const text = await m.text();
    expect(sample(text, 'idp_turn_duration_seconds_count', { route: 'command:who owns', activity_type: 'message' })).toBe(2);
    expect(sample(text, 'idp_turn_duration_seconds_bucket', { route: 'command:who owns', activity_type: 'message', le: '0.05' })).toBe(1);
    expect(sample(text, 'idp_turn_duration_seconds_sum', { route: 'command:who owns', activity_type: 'message' })).toBeCloseTo(2.03);
    expect(m.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  test('invokes, job steps, job outcomes and user retries', async () => {
    const m = new PrometheusInstruments({ processMetrics: false });
    m.invokeFinished('adaptiveCard/action', 200, 0.1);
    m.jobStepFinished('create-repo', 'create-repository', 'succeeded', 1.5);
    m.jobStepFinished('create-repo', 'set-policies', 'retry', 0.2);
    m.jobStepFinished('create-repo', 'set-policies', 'failed', 0.3);
    m.jobFinished('create-repo', 'failed');
    m.jobRetried('create-repo');
    const text = await m.text();
    expect(sample(text, 'idp_invoke_duration_seconds_count', { name: 'adaptiveCard/action', status: '200' })).toBe(1);
    expect(sample(text, 'idp_job_step_duration_seconds_count', { job_type: 'create-repo', step: 'create-repository', outcome: 'succeeded' })).toBe(1);
    expect(sample(text, 'idp_job_step_retries_total', { job_type: 'create-repo', step: 'set-policies' })).toBe(1);
    expect(sample(text, 'idp_job_step_failures_total', { job_type: 'create-repo', step: 'set-policies' })).toBe(1);
    expect(sample(text, 'idp_job_step_failures_total', { job_type: 'create-repo', step: 'create-repository' })).toBeUndefined();
    expect(sample(text, 'idp_jobs_finished_total', { job_type: 'create-repo', outcome: 'failed' })).toBe(1);
    expect(sample(text, 'idp_job_retries_total', { job_type: 'create-repo' })).toBe(1);
  });

  test('upstream calls: latency by service, status codes (0 reads error), 429s counted apart', async () => {
    const m = new PrometheusInstruments({ processMetrics: false });
    m.upstreamCall('azure-devops', 200, 0.02);
    m.upstreamCall('azure-devops', 429, 0.01);
    m.upstreamCall('key-vault', 0, 5);
    const text = await m.text();
    expect(sample(text, 'idp_upstream_requests_total', { service: 'azure-devops', status: '200' })).toBe(1);
    expect(sample(text, 'idp_upstream_requests_total', { service: 'azure-devops', status: '429' })).toBe(1);
    expect(sample(text, 'idp_upstream_throttled_total', { service: 'azure-devops' })).toBe(1);
    expect(sample(text, 'idp_upstream_throttled_total', { service: 'key-vault' })).toBeUndefined();
    expect(sample(text, 'idp_upstream_requests_total', { service: 'key-vault', status: 'error' })).toBe(1);
    expect(sample(text, 'idp_upstream_request_duration_seconds_count', { service: 'azure-devops' })).toBe(2);
  });

  test('a label keeps at most 200 distinct values; the rest read "other"', async () => {
    const m = new PrometheusInstruments({ processMetrics: false });
    for (let i = 0; i < 205; i++) m.turnFinished(`route-${i}`, 'message', 0.01);
    m.turnFinished('route-3', 'message', 0.01);
    const text = await m.text();
    expect(sample(text, 'idp_turn_duration_seconds_count', { route: OTHER_LABEL, activity_type: 'message' })).toBe(5);
    expect(sample(text, 'idp_turn_duration_seconds_count', { route: 'route-3', activity_type: 'message' })).toBe(2);
    expect(sample(text, 'idp_turn_duration_seconds_count', { route: 'route-204', activity_type: 'message' })).toBeUndefined();
  });

  test('catalog index gauges are read at scrape time', async () => {
    const m = new PrometheusInstruments({ processMetrics: false });
    const index = { revision: 7, size: 120 };
    m.observeCatalogIndex(() => index);
    expect(sample(await m.text(), 'idp_catalog_index_entities')).toBe(120);
    index.revision = 9;
    index.size = 121;
    const text = await m.text();
    expect(sample(text, 'idp_catalog_index_revision')).toBe(9);
    expect(sample(text, 'idp_catalog_index_entities')).toBe(121);
  });

  test('queue depth: one store read per cache period, an emptied queue reads 0, a failed read keeps the last counts', async () => {
    const m = new PrometheusInstruments({ processMetrics: false });
    let now = 0;
    let reads = 0;
    let rows: { type: string; status: string; count: number }[] | Error = [
      { type: 'create-repo', status: 'pending', count: 3 },
      { type: 'create-repo', status: 'running', count: 1 },
    ];
    m.observeQueue(
      async () => {
        reads++;
        if (rows instanceof Error) throw rows;
        return rows;
      },
      { cacheMs: 5000, now: () => now },
    );
    expect(sample(await m.text(), 'idp_jobs_queued', { job_type: 'create-repo', status: 'pending' })).toBe(3);
    await m.text();
    await Promise.all([m.text(), m.text()]);
    expect(reads).toBe(1);

    now = 5000;
    rows = [{ type: 'create-repo', status: 'running', count: 2 }];
    let text = await m.text();
    expect(reads).toBe(2);
    expect(sample(text, 'idp_jobs_queued', { job_type: 'create-repo', status: 'pending' })).toBe(0);
    expect(sample(text, 'idp_jobs_queued', { job_type: 'create-repo', status: 'running' })).toBe(2);

    now = 10_000;
    rows = new Error('store down');
    text = await m.text();
    expect(reads).toBe(3);
    expect(sample(text, 'idp_jobs_queued', { job_type: 'create-repo', status: 'running' })).toBe(2);
  });

  test('two instances in one process keep their own registries (same names, no clash)', async () => {
    const a = new PrometheusInstruments();
    const b = new PrometheusInstruments();
    a.turnFinished('command:help', 'message', 0.01);
    expect(sample(await a.text(), 'idp_turn_duration_seconds_count', { route: 'command:help', activity_type: 'message' })).toBe(1);
    expect(sample(await b.text(), 'idp_turn_duration_seconds_count', { route: 'command:help', activity_type: 'message' })).toBeUndefined();
    // Process metrics are collected on each registry.
    expect(await b.text()).toMatch(/^process_cpu_user_seconds_total /m);
  });
});
