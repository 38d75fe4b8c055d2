/**
 * The durable job behind an approved onboarding: the Teams team and its private/shared channels,
 * the directory groups and Azure DevOps (entitlement + project groups) in parallel, then the
 * welcome, then the notices. Every step is idempotent ("already a member" is success), so a job
 * resumed after a crash or retried from the card never grants twice; what the bot itself added is
 * recorded as a grant, so offboarding takes back exactly that. The input is the plan the approver
 * saw.
 */
import type { AuditLog } from '../audit/audit.port';
import type { JobDefinition, RetryPolicy } from '../jobs/jobs.types';
import type { DevOpsAccess } from './devops-access.port';
import type { OnboardingNotifier } from './onboarding-notifier.port';
import type { OnboardingStore } from './onboarding-store.port';
import { outcomesOf, provisioningStep, throwIfFailed, type ProvisioningInput } from './onboarding-step';
import type { Grant, OnboardingAsk } from './onboarding.types';
import type { WorkspaceMemberships, WorkspaceTarget } from './workspace-memberships.port';

export const ONBOARDING_JOB = 'onboarding.provision';

export const ONBOARDING_STEPS = {
  'teams-team': 'Add to the Teams team and its private and shared channels',
  'directory-groups': 'Add to the directory groups',
  'azure-devops': 'Give Azure DevOps access and project groups',
  welcome: 'Send the welcome card (docs, dev environment, checklist)',
  finish: 'Tell the requester, manager and buddy',
} as const;

export interface OnboardingJobInput extends ProvisioningInput {
  /** The approval request's id, which is also the onboarding record's. */
  onboardingId: string;
  ask: OnboardingAsk;
}

export interface OnboardingJobDeps {
  memberships: WorkspaceMemberships;
  devops: DevOpsAccess;
  onboardings: OnboardingStore;
  notifier: OnboardingNotifier;
  audit: AuditLog;
  /** How the bot appears in audit records (e.g. `bot:<app id>`). */
  botIdentity: string;
  clock?: () => Date;
  retry?: Partial<RetryPolicy>;
}

export function onboardingJob(deps: OnboardingJobDeps): JobDefinition<OnboardingJobInput> {
  const now = deps.clock ?? (() => new Date());
  const step = (def: Parameters<typeof provisioningStep<OnboardingJobInput>>[3]) => provisioningStep<OnboardingJobInput>(deps.audit, deps.botIdentity, 'onboarding', def);

  /** Adds the joiner to `targets`, records what the bot added, then fails on the first target that could not be done. */
  const addTo = async (input: OnboardingJobInput, targets: WorkspaceTarget[]) => {
    if (!targets.length) return { added: [], alreadyMember: [] };
    const results = await deps.memberships.add(input.ask.joiner.id, targets);
    const grants: Grant[] = results.flatMap((r) => (r.ok && r.outcome === 'added' ? [{ kind: 'workspace' as const, target: r.target, at: now() }] : []));
    if (grants.length) await deps.onboardings.addGrants(input.onboardingId, grants);
    const { done, failure } = outcomesOf(results);
    throwIfFailed(failure);
    return done;
  };

  return {
    type: ONBOARDING_JOB,
    ...(deps.retry ? { retry: deps.retry } : {}),
    steps: [
      step({ name: 'teams-team', parallelGroup: 'access', run: async ({ input }) => addTo(input, input.ask.plan.workspace.filter((t) => t.kind !== 'group')) }),
      step({ name: 'directory-groups', parallelGroup: 'access', run: async ({ input }) => addTo(input, input.ask.plan.workspace.filter((t) => t.kind === 'group')) }),
      step({
        name: 'azure-devops',
        parallelGroup: 'access',
        run: async ({ input }) => {
          const { accessLevel, groups } = input.ask.plan.devops;
          const grant = await deps.devops.grant(input.ask.joiner.userPrincipalName, accessLevel, groups);
          const grants: Grant[] = [
            ...(grant.entitlementCreated ? [{ kind: 'devops-entitlement' as const, accessLevel, at: now() }] : []),
            ...grant.groupsAdded.map((group) => ({ kind: 'devops-group' as const, group, at: now() })),
          ];
          if (grants.length) await deps.onboardings.addGrants(input.onboardingId, grants);
          return { entitlementCreated: grant.entitlementCreated, accessLevel: grant.entitlement.accessLevel, groupsAdded: grant.groupsAdded.map((g) => `${g.project}/${g.group}`) };
        },
      }),
      step({
        name: 'welcome',
        run: async ({ input }) => {
          const record = await deps.onboardings.get(input.onboardingId);
          if (!record) throw new Error(`onboarding record ${input.onboardingId} is missing`);
          if (record.welcome.deliveredAt) return { delivered: true, already: true };
          const outcome = await deps.notifier.sendWelcome(record);
          if ('delivered' in outcome) {
            await deps.onboardings.setWelcome(record.id, { deliveredAt: now(), conversationId: outcome.delivered.conversationId, ...(outcome.delivered.activityId ? { activityId: outcome.delivered.activityId } : {}), attempts: record.welcome.attempts + 1 });
            return { delivered: true };
          }
          // Not reachable yet: the welcome waits for their first message (or the periodic retry).
          const waiting = await deps.onboardings.setWelcome(record.id, { waitingReason: outcome.waiting, attempts: record.welcome.attempts + 1 });
          await deps.notifier.welcomeWaiting(waiting ?? record, outcome.waiting);
          return { delivered: false, waitingReason: outcome.waiting };
        },
      }),
      step({
        name: 'finish',
        run: async ({ input }) => {
          const record = await deps.onboardings.markActive(input.onboardingId, now());
          if (record) await deps.notifier.provisioned(record);
          return { grants: record?.grants.length ?? 0 };
        },
      }),
    ],
  };
}
