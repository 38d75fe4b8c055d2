/** The progress-card updater: one send at a time per job, newest state wins, never an older one after a newer. */
import type { AdaptiveCard } from '../../cards/render';
import { JobProgressNotifier, type CardMessenger, type JobCards } from '../../src/bot/job-progress-notifier';
import type { Job } from '../../src/domain/jobs/jobs.types';
import { createLogger } from '../../src/logger';

const job = (version: number, status: Job['status'] = 'running', context: Record<string, unknown> = { serviceUrl: 'http://connector', channelId: 'msteams', conversationId: 'c1', botId: 'bot', cardActivityId: 'm1' }): Job =>
  ({ id: 'j1', type: 'repo.create', version, status, context, input: {}, steps: [], idempotencyKey: 'k', requestedBy: 'u', nextRunAt: new Date(), createdAt: new Date(), updatedAt: new Date() }) as Job;

function messenger() {
  const sent: { kind: 'update' | 'send'; version: number }[] = [];
  let release: (() => void) | undefined;
  let gate: Promise<void> | undefined;
  const m: CardMessenger & { hold(): void; open(): void } = {
    hold: () => (gate = new Promise((r) => (release = r))),
    open: () => release?.(),
    async updateCard(_ref, _id, card) {
      if (gate) await gate;
      sent.push({ kind: 'update', version: (card as unknown as { version: number }).version });
    },
    async sendCard(_ref, card) {
      sent.push({ kind: 'send', version: (card as unknown as { version: number }).version });
      return 'new';
    },
  };
  return { m, sent };
}

const render: JobCards = { presents: (type) => type === 'repo.create', render: async (j: Job) => ({ version: j.version }) as unknown as AdaptiveCard };

test('updates in order, skipping states superseded while a send was in flight, and drops stale versions', async () => {
  const { m, sent } = messenger();
  const notifier = new JobProgressNotifier(m, render, createLogger('silent'));
  m.hold();
  notifier.onProgress(job(1), { kind: 'enqueued' });
  notifier.onProgress(job(3), { kind: 'step-started' });
  notifier.onProgress(job(2), { kind: 'step-started' }); // arrives late: older than 3, dropped
  notifier.onProgress(job(4), { kind: 'step-succeeded' });
  m.open();
  await notifier.idle();
  expect(sent.map((s) => s.version)).toEqual([1, 4]);
  notifier.onProgress(job(3), { kind: 'step-started' }); // older than what is shown
  notifier.onProgress(job(5, 'succeeded'), { kind: 'succeeded' });
  await notifier.idle();
  expect(sent.map((s) => s.version)).toEqual([1, 4, 5]);
});

test('without a card id, one new message when the job ends; job types no feature presents are ignored', async () => {
  const { m, sent } = messenger();
  const notifier = new JobProgressNotifier(m, render, createLogger('silent'));
  const noCard = { serviceUrl: 'http://connector', channelId: 'msteams', conversationId: 'c1', botId: 'bot' };
  notifier.onProgress(job(1, 'running', noCard), { kind: 'enqueued' });
  notifier.onProgress(job(2, 'failed', noCard), { kind: 'failed' });
  notifier.onProgress({ ...job(3), type: 'something.else' }, { kind: 'enqueued' });
  await new Promise((r) => setImmediate(r));
  expect(sent).toEqual([{ kind: 'send', version: 2 }]);
});

test('a failed update is logged and the next one still goes out', async () => {
  const sent: number[] = [];
  let fail = true;
  const m: CardMessenger = {
    async updateCard(_r, _i, card) {
      if (fail) {
        fail = false;
        throw new Error('connector down');
      }
      sent.push((card as unknown as { version: number }).version);
    },
    sendCard: async () => undefined,
  };
  const notifier = new JobProgressNotifier(m, render, createLogger('silent'));
  notifier.onProgress(job(1), { kind: 'enqueued' });
  await notifier.idle();
  notifier.onProgress(job(2, 'succeeded'), { kind: 'succeeded' });
  await notifier.idle();
  expect(sent).toEqual([2]);
});
