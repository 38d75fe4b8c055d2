/**
 * What the instrumentation adds to a turn, measured apart from the (noisy) end-to-end benchmark:
 * the calls a `help` turn makes on the metrics (one turn histogram observation with its route
 * and type, two clock reads) and one upstream call record, per operation; and one scrape of a
 * registry holding a busy bot's series.
 *   npx tsx bench/metrics-overhead.bench.ts
 */
import { PrometheusInstruments } from '../src/adapters/prometheus/prometheus-instruments.adapter';

const N = Number(process.env.BENCH_OPS ?? 1_000_000);

function nsPerOp(label: string, op: (i: number) => void): void {
  for (let i = 0; i < 50_000; i++) op(i); // warm-up
  const runs: number[] = [];
  for (let r = 0; r < 5; r++) {
    const began = process.hrtime.bigint();
    for (let i = 0; i < N; i++) op(i);
    runs.push(Number(process.hrtime.bigint() - began) / N);
  }
  runs.sort((a, b) => a - b);
  console.log(`${label.padEnd(44)} ${runs[2]!.toFixed(0).padStart(6)} ns/op (median of 5 x ${N.toLocaleString('en-US')})`);
}

async function main() {
  const m = new PrometheusInstruments({ processMetrics: false });
  const routes = ['command:help', 'command:who owns', 'card:repo.create.confirm', 'dialog:create-repo', 'unrouted'];
  nsPerOp('turn recorded (2 clock reads + observe)', (i) => {
    const began = performance.now();
    m.turnFinished(routes[i % routes.length]!, 'message', (performance.now() - began) / 1000);
  });
  nsPerOp('upstream call recorded (observe + 1 counter)', (i) => m.upstreamCall('azure-devops', i % 10 ? 200 : 201, 0.02));

  const full = new PrometheusInstruments();
  for (let i = 0; i < 60; i++) full.turnFinished(`command:c${i}`, 'message', 0.01);
  for (let i = 0; i < 40; i++) full.jobStepFinished(`job-${i % 8}`, `step-${i}`, 'succeeded', 1);
  full.observeCatalogIndex(() => ({ revision: 1, size: 100_000 }));
  full.observeQueue(async () => [{ type: 'repo.create', status: 'pending', count: 2 }]);
  const scrapes: number[] = [];
  for (let r = 0; r < 200; r++) {
    const began = performance.now();
    await full.text();
    scrapes.push(performance.now() - began);
  }
  scrapes.sort((a, b) => a - b);
  console.log(`${'one scrape (~100 series + process metrics)'.padEnd(44)} ${scrapes[100]!.toFixed(2).padStart(6)} ms (median of 200), ${(await full.text()).length} bytes`);
}

void main();
