/**
 * What a job run leaves for operations: every log line of the run (runner and steps) carries the
 * job's id and type, and each step attempt, job outcome and user retry reaches the metrics port.
 */
import { DomainError } from '../../src/domain/domain-error';
import { JobRunner } from '../../src/domain/jobs/job-runner';
import type { Job } from '../../src/domain/jobs/jobs.types';
import type { Instruments } from '../../src/domain/metrics/instruments.port';
import { createLogger } from '../../src/logger';
import { InMemoryJobStore } from '../fakes/in-memory-job-store';
import { LogCapture } from '../helpers/log-capture';

const TYPE = 'observability-job';

/** Instruments that remember each call (seconds dropped: they vary). */
function recordingInstruments(): Instruments & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    turnFinished: (route, type) => void calls.push(`turn ${route} ${type}`),
    invokeFinished: (name, status) => void calls.push(`invoke ${name} ${status}`),
    jobStepFinished: (jobType, step, outcome, seconds) => void calls.push(`step ${jobType} ${step} ${outcome} ${seconds >= 0 ? 'timed' : 'untimed'}`),
    jobFinished: (jobType, outcome) => void calls.push(`job ${jobType} ${outcome}`),
    jobRetried: (jobType) => void calls.push(`retried ${jobType}`),
    upstreamCall: (service, status) => void calls.push(`upstream ${service} ${status}`),
  };
}

test('a job run: ids on every log line; step attempts, outcomes and the user retry measured', async () => {
  const logs = new LogCapture();
  const logger = createLogger('debug', logs);
  const instruments = recordingInstruments();
  const runner = new JobRunner({ store: new InMemoryJobStore(), logger, instruments, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 } });
  let flakyCalls = 0;
  runner.register({
    type: TYPE,
    steps: [
      {
        name: 'announce',
        run: async (ctx) => {
          ctx.log.info({ step: 'announce' }, 'step says hello');
          return {};
        },
      },
      {
        name: 'flaky',
        run: async () => {
          flakyCalls++;
          if (flakyCalls === 1) throw new DomainError('UPSTREAM.UNAVAILABLE', 'the service is down');
          if (flakyCalls === 2) throw new Error('boom');
          return {};
        },
      },
    ],
  });
  const ended = (status: Job['status']) =>
    new Promise<Job>((resolve) => {
      const off = runner.onProgress((job, change) => {
        if (change.kind === status) {
          off();
          resolve(job);
        }
      });
    });

  runner.start({ pollIntervalMs: 20, leaseMs: 5000, concurrency: 1 });
  try {
    const failed = ended('failed');
    const { job } = await runner.enqueue({ type: TYPE, idempotencyKey: 'k-1', input: {}, requestedBy: 'user-1' });
    expect((await failed).id).toBe(job.id);
    const succeeded = ended('succeeded');
    await runner.retry(job.id, 'user-1');
    await succeeded;

    expect(instruments.calls).toEqual([
      `step ${TYPE} announce succeeded timed`,
      `step ${TYPE} flaky retry timed`,
      `step ${TYPE} flaky failed timed`,
      `job ${TYPE} failed`,
      `retried ${TYPE}`,
      `step ${TYPE} flaky succeeded timed`,
      `job ${TYPE} succeeded`,
    ]);
    expect(logs.find((l) => l.msg === 'step says hello')).toBeDefined();
    expect(logs.find((l) => l.msg === 'job step failed unexpectedly')).toBeDefined();
    expect(logs.lines.length).toBeGreaterThanOrEqual(2);
    for (const line of logs.lines) expect(line).toMatchObject({ jobId: job.id, jobType: TYPE });
  } finally {
    await runner.stop({ graceMs: 1000 });
  }
});
