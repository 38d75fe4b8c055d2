/**
 * A month of the bot's history with hand-computed answers (test/integration/platform-metrics.int.test.ts
 * lists them): create-repo previews and jobs, onboarding approvals, jobs and records, catalog
 * health runs, and what people did afterwards in the new repositories (the Azure DevOps stand-in).
 * Times are hours after the period's start `FROM` (28 days before `NOW`).
 */
import type { Connection } from 'mongoose';
import { MongoApprovalStore } from '../../src/adapters/mongo/mongo-approval-store.adapter';
import { MongoHealthRunStore } from '../../src/adapters/mongo/mongo-health-run-store.adapter';
import { MongoJobStore } from '../../src/adapters/mongo/mongo-job-store.adapter';
import { MongoOnboardingStore } from '../../src/adapters/mongo/mongo-onboarding-store.adapter';
import { MongoRepoRequestStore } from '../../src/adapters/mongo/mongo-repo-request-store.adapter';
import type { NewJob } from '../../src/domain/jobs/job-store.port';
import type { JobStatus } from '../../src/domain/jobs/jobs.types';
import { ONBOARDING_JOB } from '../../src/domain/onboarding/onboarding.job';
import { CREATE_REPO_JOB } from '../../src/domain/repos/create-repo.job';
import type { PendingRepoRequest } from '../../src/domain/repos/repo-request-store.port';
import { newRequest } from '../contracts/approval-store.contract';
import { newRecord } from '../contracts/onboarding-store.contract';

export const NOW = new Date('2026-11-29T00:00:00Z');
export const FROM = new Date('2026-11-01T00:00:00Z');
export const h = (hours: number): Date => new Date(FROM.getTime() + hours * 3600_000);
export const HOUR = 3600_000;
export const ANA = { id: 'a1b2c3d4-0000-4000-8000-0000000000a1', name: 'Ana Dev', email: 'ana@contoso.example' };

export interface AdoSeeder {
  createRepo(project: string, name: string): Promise<void>;
  commit(project: string, name: string, at: Date, by: 'bot' | { name: string; email: string }): Promise<void>;
  mergedPullRequest(project: string, name: string, at: Date, by: 'bot' | { id: string; name: string; email: string }): Promise<void>;
}

const job = (type: string, key: string, status: JobStatus, createdAt: Date, finishedAt: Date | undefined, attempts: number[], extra: Partial<NewJob> = {}): NewJob => ({
  type,
  idempotencyKey: key,
  status,
  steps: attempts.map((n, i) => ({ name: `step-${i}`, status: status === 'succeeded' ? 'succeeded' : i === attempts.length - 1 ? (status === 'failed' ? 'failed' : 'running') : 'succeeded', attempts: n })),
  input: {},
  context: {},
  requestedBy: 'aad-requester',
  // A job left running must not be picked up by a runner of the bot under test.
  nextRunAt: status === 'running' || status === 'pending' ? new Date(createdAt.getTime() + 3650 * 24 * HOUR) : createdAt,
  createdAt,
  updatedAt: finishedAt ?? createdAt,
  ...(finishedAt ? { finishedAt } : {}),
  version: 1,
  ...extra,
});

/** `from`: when hour 0 is (the e2e seeds relative to the real clock). */
export async function seedPlatformHistory(conn: Connection, ado: AdoSeeder, project = 'Payments', from = FROM): Promise<void> {
  const h = (hours: number): Date => new Date(from.getTime() + hours * 3600_000);
  const jobs = new MongoJobStore(conn);
  const previews = new MongoRepoRequestStore(conn);
  const approvals = new MongoApprovalStore(conn);
  const onboardings = new MongoOnboardingStore(conn);
  const runs = new MongoHealthRunStore(conn);

  // create repo: preview (request) -> Confirm (job created) -> done.
  const repo = async (name: string, previewAt: Date, jobAt: Date, status: JobStatus, doneAt: Date | undefined, attempts: number[]) => {
    const preview = await previews.insert({ status: 'confirmed', createdAt: previewAt, updatedAt: jobAt } as unknown as Omit<PendingRepoRequest, 'id'>);
    await jobs.insertIfAbsent(job(CREATE_REPO_JOB, preview.id, status, jobAt, doneAt, attempts, { input: { requestId: preview.id, request: { project, name } } }));
  };
  await repo('svc-early', h(-48), h(1), 'succeeded', h(2), [1, 1]); // requested before the period: left out
  await repo('svc-a', h(48), h(48.5), 'succeeded', h(49.5), [1, 1, 1]);
  await repo('svc-b', h(200), h(201), 'succeeded', h(203), [1, 2, 1]);
  await repo('svc-c', h(400), h(400.25), 'failed', h(401), [1, 3]);
  await repo('svc-d', h(500), h(500.5), 'succeeded', h(502), [1, 1]);
  await repo('svc-gone', h(600), h(600.5), 'succeeded', h(601), [1]);
  await previews.insert({ status: 'cancelled', createdAt: h(610), updatedAt: h(611) } as unknown as Omit<PendingRepoRequest, 'id'>); // never confirmed: no request

  // What people did afterwards (svc-gone is not in Azure DevOps any more; svc-c failed before it existed).
  for (const name of ['svc-early', 'svc-a', 'svc-b', 'svc-d']) await ado.createRepo(project, name);
  await ado.commit(project, 'svc-early', h(2), 'bot');
  await ado.commit(project, 'svc-early', h(3), ANA);
  await ado.commit(project, 'svc-a', h(49), 'bot');
  await ado.commit(project, 'svc-a', h(72), ANA); // 24 h after the request
  await ado.commit(project, 'svc-b', h(202), 'bot');
  await ado.mergedPullRequest(project, 'svc-b', h(204), 'bot'); // the bot's own: not a human change
  await ado.mergedPullRequest(project, 'svc-b', h(206), ANA); // 6 h after the request
  await ado.commit(project, 'svc-b', h(210), ANA);
  await ado.commit(project, 'svc-d', h(501), 'bot'); // nobody yet

  // onboarding: approval (request) -> approved (job created, record created) -> all access granted.
  const onboard = async (key: string, askedAt: Date, decided: { at: Date; state: 'approved' | 'rejected' }, run?: { status: JobStatus; doneAt?: Date; attempts: number[]; userRetry?: boolean }) => {
    const { request } = await approvals.create(newRequest({ idempotencyKey: key, subjectKey: `onboard:${key}`, createdAt: askedAt, expiresAt: new Date(askedAt.getTime() + 72 * HOUR), remindAt: null }));
    await approvals.transition(request.id, request.version, { now: decided.at, state: decided.state });
    if (!run) return;
    await jobs.insertIfAbsent(job(ONBOARDING_JOB, request.id, run.status, decided.at, run.doneAt, run.attempts, run.userRetry ? { lastRetry: { by: 'aad-lead', at: decided.at } } : {}));
    await onboardings.create(newRecord({ id: request.id, createdAt: decided.at }));
    if (run.status === 'succeeded') await onboardings.markActive(request.id, run.doneAt!);
  };
  await onboard('o1', h(10), { at: h(14), state: 'approved' }, { status: 'succeeded', doneAt: h(15), attempts: [1, 1] });
  await onboard('o2', h(300), { at: h(302), state: 'approved' }, { status: 'succeeded', doneAt: h(310), attempts: [1, 1, 1], userRetry: true });
  await onboard('o3', h(450), { at: h(451), state: 'rejected' });
  await onboard('o4', h(520), { at: h(521), state: 'approved' }, { status: 'running', attempts: [1, 1] });

  // catalog health runs: one before the period, two in it.
  const run = (id: string, at: Date, repositoryCoverage: number, liveOwnerCoverage: number) =>
    runs.saveRun({ id, startedAt: new Date(at.getTime() - 60_000), finishedAt: at, entityCount: 40, failingByRule: {}, failingByTeam: {}, repositoryCoverage, liveOwnerCoverage, rules: ['owner-missing'] }, []);
  await run('run-before', h(-10), 10, 20);
  await run('run-1', h(100), 50, 60);
  await run('run-2', h(600), 75, 80);
}
