/**
 * OnboardingProvisioningService on fakes: after approval, the record and its job exactly once
 * (a click, a Teams retry and the sweep meet the same ones), Retry of a failed job only for the
 * people around it (anyone else refused and audited), and waiting welcomes delivered on the
 * joiner's first message.
 */
import type { ApprovalRequest } from '../../src/domain/approvals/approval.types';
import { JobRunner } from '../../src/domain/jobs/job-runner';
import type { Job } from '../../src/domain/jobs/jobs.types';
import { OnboardingProvisioningService } from '../../src/domain/onboarding/onboarding-provisioning.service';
import { OnboardingRequestService } from '../../src/domain/onboarding/onboarding-request.service';
import { ONBOARDING_JOB, onboardingJob, type OnboardingJobInput } from '../../src/domain/onboarding/onboarding.job';
import { OFFBOARDING_JOB, offboardingJob } from '../../src/domain/onboarding/offboarding.job';
import type { ChecklistItem, OnboardingAsk } from '../../src/domain/onboarding/onboarding.types';
import { domainFailure } from '../helpers/domain-failure';
import { ManualTimers, waitFor } from '../helpers/manual-time';
import { actor, devops, newRecord, onboardingWorld, P, RecordingOnboardingNotifier, ROLES, START, T0 } from '../helpers/onboarding-world';
import { InMemoryJobStore } from '../fakes/in-memory-job-store';

type World = Awaited<ReturnType<typeof onboardingWorld>>;

const CHECKLIST: ChecklistItem[] = [{ id: 'laptop', text: 'Collect your laptop' }, { id: 'clone', text: 'Clone payments-api' }];

let w: World;
let notifier: RecordingOnboardingNotifier;
let jobStore: InMemoryJobStore;
let runner: JobRunner;
let checklistAsks: OnboardingAsk[];
let service: OnboardingProvisioningService;
let pending: ApprovalRequest;

beforeEach(async () => {
  w = await onboardingWorld();
  notifier = new RecordingOnboardingNotifier();
  jobStore = new InMemoryJobStore();
  runner = new JobRunner({ store: jobStore, owner: 'test', setWakeUp: new ManualTimers().set });
  const deps = { memberships: w.memberships, devops: devops(), onboardings: w.onboardings, notifier, audit: w.audit, botIdentity: 'bot:app-1' };
  runner.register(onboardingJob(deps));
  runner.register(offboardingJob(deps));
  checklistAsks = [];
  service = new OnboardingProvisioningService({
    jobs: runner,
    onboardings: w.onboardings,
    notifier,
    audit: w.audit,
    checklistFor: async (ask) => {
      checklistAsks.push(ask);
      return CHECKLIST;
    },
    clock: () => w.clock.now,
  });
  const requests = new OnboardingRequestService({ directory: w.directory, catalog: w.catalog, teams: w.teams, memberships: w.memberships, policy: w.policy, approvals: w.approvals, onboardings: w.onboardings, settings: ROLES, audit: w.audit, clock: () => w.clock.now });
  pending = (await requests.ask({ person: P.henry.upn, team: 'team-payments', role: 'backend', start: START, buddy: P.bob.upn }, actor(P.alice), 'preview-1')).request;
});
afterEach(() => runner.stop({ graceMs: 1000 }));

const approve = async () => (await w.approvals.decide(pending.id, { id: P.mia.id, name: P.mia.name }, 'approve')).request;
const ask = () => pending.payload as unknown as OnboardingAsk;

describe('followUp: the record and the job, once', () => {
  it('two calls for one approved request: one record, one job, with the approver, the requester and the plan', async () => {
    const approved = await approve();
    await service.followUp(approved, { conversationId: 'conv-mia', activityId: 'card-1' });
    await service.followUp(approved, { conversationId: 'conv-mia', activityId: 'card-2' });

    expect([...w.onboardings.records.keys()]).toEqual([approved.id]);
    const record = (await w.onboardings.get(approved.id))!;
    expect(record).toEqual({
      id: approved.id,
      joiner: ask().joiner,
      team: ask().team,
      role: 'backend',
      startDate: START,
      buddy: { id: P.bob.id, userPrincipalName: P.bob.upn, name: P.bob.name },
      manager: { id: P.mia.id, userPrincipalName: P.mia.upn, name: P.mia.name, source: 'directory-manager' },
      requester: { id: P.alice.id, userPrincipalName: P.alice.upn, name: P.alice.name },
      approvedBy: { id: P.mia.id, name: P.mia.name },
      checklist: CHECKLIST,
      downloadToken: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/),
      createdAt: T0,
      updatedAt: T0,
      state: 'provisioning',
      grants: [],
      welcome: { attempts: 0 },
    });
    expect(checklistAsks[0]).toEqual(ask());

    expect(jobStore.all()).toHaveLength(1);
    const job = (await service.jobOf(approved.id))!;
    expect(job).toMatchObject({ type: ONBOARDING_JOB, idempotencyKey: approved.id, requestedBy: P.mia.id, context: { conversationId: 'conv-mia', activityId: 'card-1' }, status: 'pending' });
    expect(job.input).toEqual({ onboardingId: approved.id, ask: ask(), target: `person:${P.henry.id}`, approvedBy: { id: P.mia.id, name: P.mia.name }, requestedBy: { id: P.alice.id, name: P.alice.name } } satisfies OnboardingJobInput);
  });

  it.each<[string, () => Promise<ApprovalRequest>]>([
    ['a pending request', async () => pending],
    ['a rejected request', async () => (await w.approvals.decide(pending.id, { id: P.mia.id, name: P.mia.name }, 'reject', 'not this quarter')).request],
    ['a cancelled request', async () => (await w.approvals.cancel(pending.id, { id: P.alice.id, name: P.alice.name })).request],
    ['an approved request of another flow', async () => ({ ...(await approve()), flow: 'offboarding' })],
  ])('ignores %s', async (_case, made) => {
    await service.followUp(await made());
    expect(w.onboardings.records.size).toBe(0);
    expect(jobStore.all()).toEqual([]);
    expect(await service.jobOf(pending.id)).toBeNull();
  });
});

describe('retry of a failed job', () => {
  /** The job, failed for good: the Teams team cannot be found. */
  async function failedJob(approvedBy = P.lee): Promise<Job> {
    const approved = { ...(await approve()), decisions: [{ by: { id: approvedBy.id, name: approvedBy.name }, decision: 'approve' as const, at: T0 }] };
    w.memberships.injectFailure(ask().plan.workspace[0]!, { code: 'ONBOARDING.TARGET_NOT_FOUND', message: 'no team' });
    await service.followUp(approved);
    runner.start({ pollIntervalMs: 10, leaseMs: 5000, concurrency: 1 });
    return waitFor(async () => {
      const j = await service.jobOf(approved.id);
      return j?.status === 'failed' ? j : null;
    }, 'the job to fail');
  }

  it.each<[string, { id: string; name: string }]>([
    ['its approver', P.lee],
    ['its requester', P.alice],
    ['the person’s manager', P.mia],
    ['the manager, with the id in other letters', { id: P.mia.id.toUpperCase(), name: P.mia.name }],
  ])('allowed for %s: the job runs again, audited', async (_case, who) => {
    const job = await failedJob();
    const entries = w.audit.entries.length;
    w.memberships.clearFailures();
    const retried = await service.retry(job.id, who);
    expect(retried.lastRetry?.by).toBe(who.id);
    expect(w.audit.entries.slice(entries).filter((e) => e.action === 'onboarding.retry').map(({ at: _at, ...e }) => e)).toEqual([{ actor: who.id, actorName: who.name, action: 'onboarding.retry', target: `person:${P.henry.id}`, result: 'success', details: { jobId: job.id } }]);
    await waitFor(async () => (await runner.get(job.id))?.status === 'succeeded', 'the retried job to succeed');
  });

  it.each<[string, { id: string; name: string }]>([
    ['someone else in the team', P.lee],
    ['an outsider', P.otto],
    ['the joiner', P.henry],
  ])('refused for %s, audited as denied, the job untouched', async (_case, who) => {
    const job = await failedJob(P.mia); // the manager approved: Lee is no one to this job
    const entries = w.audit.entries.length;
    const error = await domainFailure(service.retry(job.id, who));
    expect([error.code, error.details]).toEqual(['ONBOARDING.RETRY_NOT_ALLOWED', { person: 'Henry Joiner' }]);
    expect(w.audit.entries.slice(entries).map(({ at: _at, ...e }) => e)).toEqual([{ actor: who.id, actorName: who.name, action: 'onboarding.retry', target: `person:${P.henry.id}`, result: 'denied', details: { jobId: job.id } }]);
    expect(await runner.get(job.id)).toMatchObject({ status: 'failed', version: job.version });
  });

  it('a job that is no onboarding job: JOB.NOT_FOUND', async () => {
    expect((await domainFailure(service.retry('nope', actor(P.mia)))).code).toBe('JOB.NOT_FOUND');
  });

  it('an offboarding job is retried by the same rule', async () => {
    const offboard = { kind: 'offboard', person: ask().joiner, team: ask().team, manager: ask().manager, requester: ask().requester, remove: { workspace: [], devops: { entitlement: false, groups: [] } }, alreadyGone: [], onboardingIds: [] };
    const { job } = await runner.enqueue({ type: OFFBOARDING_JOB, idempotencyKey: 'off-1', input: { offboardingId: 'off-1', ask: offboard, target: `person:${P.henry.id}`, approvedBy: { id: P.mia.id, name: P.mia.name }, requestedBy: { id: P.alice.id, name: P.alice.name } }, requestedBy: P.mia.id });
    expect((await domainFailure(service.retry(job.id, actor(P.otto)))).details).toEqual({ person: 'Henry Joiner' });
    await expect(service.retry(job.id, actor(P.alice))).resolves.toMatchObject({ id: job.id });
  });
});

describe('deliverWaitingWelcomes', () => {
  const team = { ref: 'group:default/team-search', name: 'team-search', displayName: 'Search' };
  async function seed() {
    const waiting = async (id: string, extra = {}) => {
      await w.onboardings.create(newRecord({ id, ...extra }));
      await w.onboardings.setWelcome(id, { waitingReason: 'CONVERSATION.NOT_INSTALLED', attempts: 2 });
    };
    await waiting('waiting');
    await waiting('offboarded', { team });
    await w.onboardings.markOffboarded('offboarded', T0);
    await waiting('someone-else', { joiner: { id: P.ivy.id, userPrincipalName: P.ivy.upn, name: P.ivy.name } });
    await w.onboardings.create(newRecord({ id: 'delivered', team: { ...team, ref: 'group:default/x' } }));
    await w.onboardings.setWelcome('delivered', { deliveredAt: new Date('2031-01-01T00:00:00Z'), conversationId: 'c', attempts: 1 });
    await w.onboardings.create(newRecord({ id: 'never-tried', team: { ...team, ref: 'group:default/y' } })); // the job has not reached its welcome
  }

  it('delivers only the welcomes that wait for this joiner, and records the delivery and the attempts', async () => {
    await seed();
    w.clock.now = new Date('2031-03-03T08:00:00Z');
    expect(await service.deliverWaitingWelcomes(P.henry.id)).toBe(1);
    expect(notifier.calls).toEqual([{ method: 'sendWelcome', args: ['waiting'] }]);
    expect((await w.onboardings.get('waiting'))!.welcome).toEqual({ deliveredAt: w.clock.now, conversationId: 'conv-henry', activityId: 'act-welcome', attempts: 3 });
    expect(w.audit.entries.filter((e) => e.action.startsWith('onboarding.')).map(({ at: _at, ...e }) => e)).toEqual([{ actor: 'system:onboarding', action: 'onboarding.welcome', target: `person:${P.henry.id}`, result: 'success', details: { onboardingId: 'waiting', attempts: 3 } }]);
    // Delivered now: a second message delivers nothing.
    expect(await service.deliverWaitingWelcomes(P.henry.id)).toBe(0);
    expect(notifier.calls).toHaveLength(1);
  });

  it('still not reachable: the attempt and the new reason are recorded, nothing counted as sent', async () => {
    await seed();
    w.audit.entries.splice(0);
    notifier.welcome = { waiting: 'CONVERSATION.INSTALL_FAILED' };
    expect(await service.deliverWaitingWelcomes(P.henry.id)).toBe(0);
    expect((await w.onboardings.get('waiting'))!.welcome).toEqual({ waitingReason: 'CONVERSATION.INSTALL_FAILED', attempts: 3 });
    expect(w.audit.entries).toEqual([]);
    expect(await w.onboardings.welcomesWaitingFor(P.henry.id)).toHaveLength(1);
  });

  it('a joiner with nothing waiting: nothing sent', async () => {
    expect(await service.deliverWaitingWelcomes(P.henry.id)).toBe(0);
    expect(notifier.calls).toEqual([]);
  });
});
