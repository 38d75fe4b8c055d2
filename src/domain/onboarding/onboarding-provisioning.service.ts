/**
 * After approval: the onboarding record and its durable job (both idempotent on the approval
 * request's id, so the click, a Teams retry and the approvals sweep start it once), Retry of a
 * failed job from the card, and the welcome that waits for a joiner who could not be messaged yet
 * (delivered on their first message to the bot, or by the periodic retry).
 */
import { randomBytes } from 'node:crypto';
import type { Actor } from '../access/team-access.policy';
import type { ApprovalRequest } from '../approvals/approval.types';
import { sameId } from '../approvals/approval.types';
import type { AuditLog } from '../audit/audit.port';
import { DomainError } from '../domain-error';
import type { JobRunner } from '../jobs/job-runner';
import type { Job, JsonObject } from '../jobs/jobs.types';
import type { OnboardingNotifier } from './onboarding-notifier.port';
import type { OnboardingStore } from './onboarding-store.port';
import { OFFBOARDING_JOB, type OffboardingJobInput } from './offboarding.job';
import { ONBOARDING_JOB, type OnboardingJobInput } from './onboarding.job';
import { ONBOARD_FLOW, type ChecklistItem, type OnboardingAsk, type OnboardingRecord } from './onboarding.types';

export interface OnboardingProvisioningDeps {
  jobs: Pick<JobRunner, 'enqueue' | 'findByKey' | 'get' | 'retry'>;
  onboardings: OnboardingStore;
  notifier: Pick<OnboardingNotifier, 'sendWelcome'>;
  audit: AuditLog;
  /** The joiner's checklist for this record (settings + team items). */
  checklistFor(ask: OnboardingAsk): Promise<ChecklistItem[]>;
  clock?: () => Date;
}

export class OnboardingProvisioningService {
  private readonly clock: () => Date;

  constructor(private readonly deps: OnboardingProvisioningDeps) {
    this.clock = deps.clock ?? (() => new Date());
  }

  /** The approvals follow-up: record + job. `context` is where the job reports (the approver's card). */
  readonly followUp = async (request: ApprovalRequest, context?: JsonObject): Promise<void> => {
    if (request.flow !== ONBOARD_FLOW || request.state !== 'approved') return;
    const ask = request.payload as unknown as OnboardingAsk;
    const decision = request.decisions.at(-1)!;
    await this.deps.onboardings.create({
      id: request.id,
      joiner: ask.joiner,
      team: ask.team,
      role: ask.role,
      startDate: ask.startDate,
      ...(ask.buddy ? { buddy: ask.buddy } : {}),
      manager: ask.manager,
      requester: ask.requester,
      approvedBy: decision.by,
      checklist: await this.deps.checklistFor(ask),
      downloadToken: randomBytes(24).toString('base64url'),
      createdAt: this.clock(),
    });
    const input: OnboardingJobInput = { onboardingId: request.id, ask, target: `person:${ask.joiner.id}`, approvedBy: decision.by, requestedBy: { id: request.requester.id, name: request.requester.name } };
    await this.deps.jobs.enqueue({ type: ONBOARDING_JOB, idempotencyKey: request.id, input, context: context ?? {}, requestedBy: decision.by.id });
  };

  /** The job of an approved onboarding request, if it started. */
  jobOf(requestId: string): Promise<Job | null> {
    return this.deps.jobs.findByKey(ONBOARDING_JOB, requestId);
  }

  /** Retry of a failed onboarding or offboarding job: its approver, its requester or the person's manager. */
  async retry(jobId: string, actor: Actor): Promise<Job> {
    const job = await this.deps.jobs.get(jobId);
    if (!job || (job.type !== ONBOARDING_JOB && job.type !== OFFBOARDING_JOB)) throw new DomainError('JOB.NOT_FOUND', `no onboarding job ${jobId}`, { jobId });
    const input = job.input as unknown as OnboardingJobInput | OffboardingJobInput;
    const allowed = [input.approvedBy.id, input.requestedBy.id, input.ask.manager.id];
    if (!allowed.some((id) => sameId(id, actor.id))) {
      await this.deps.audit.record({ actor: actor.id, actorName: actor.name, action: 'onboarding.retry', target: input.target, result: 'denied', details: { jobId } });
      throw new DomainError('ONBOARDING.RETRY_NOT_ALLOWED', `${actor.id} may not retry onboarding job ${jobId}`, { person: input.ask.kind === 'onboard' ? input.ask.joiner.name : input.ask.person.name });
    }
    const retried = await this.deps.jobs.retry(jobId, actor.id);
    await this.deps.audit.record({ actor: actor.id, actorName: actor.name, action: 'onboarding.retry', target: input.target, result: 'success', details: { jobId } });
    return retried;
  }

  /** The joiner wrote to the bot: every welcome that waited for them goes out now. Returns how many went. */
  async deliverWaitingWelcomes(joinerId: string): Promise<number> {
    let sent = 0;
    for (const record of await this.deps.onboardings.welcomesWaitingFor(joinerId)) if (await this.deliver(record)) sent++;
    return sent;
  }

  /** The periodic retry: every welcome still waiting (the joiner may be reachable by now). Returns how many went. */
  async retryWaitingWelcomes(limit = 100): Promise<number> {
    let sent = 0;
    for (const record of await this.deps.onboardings.welcomesWaiting(limit)) if (await this.deliver(record)) sent++;
    return sent;
  }

  private async deliver(record: OnboardingRecord): Promise<boolean> {
    const outcome = await this.deps.notifier.sendWelcome(record);
    const attempts = record.welcome.attempts + 1;
    if ('waiting' in outcome) {
      await this.deps.onboardings.setWelcome(record.id, { waitingReason: outcome.waiting, attempts });
      return false;
    }
    await this.deps.onboardings.setWelcome(record.id, { deliveredAt: this.clock(), conversationId: outcome.delivered.conversationId, ...(outcome.delivered.activityId ? { activityId: outcome.delivered.activityId } : {}), attempts });
    await this.deps.audit.record({ actor: 'system:onboarding', action: 'onboarding.welcome', target: `person:${record.joiner.id}`, result: 'success', details: { onboardingId: record.id, attempts } });
    return true;
  }
}
