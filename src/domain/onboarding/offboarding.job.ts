/**
 * The durable job behind an approved offboarding: removes exactly what the preview listed (what the
 * bot granted and what the team's configuration lists, found present when it was asked), channels
 * before their team, then closes the onboarding records and tells the requester and manager.
 * "Already gone" is success, so a resumed or retried job never fails on what is done.
 */
import type { AuditLog } from '../audit/audit.port';
import type { JobDefinition, RetryPolicy } from '../jobs/jobs.types';
import type { DevOpsAccess } from './devops-access.port';
import type { OnboardingNotifier } from './onboarding-notifier.port';
import type { OnboardingStore } from './onboarding-store.port';
import { outcomesOf, provisioningStep, throwIfFailed, type ProvisioningInput } from './onboarding-step';
import type { OffboardingAsk } from './onboarding.types';
import type { WorkspaceMemberships } from './workspace-memberships.port';

export const OFFBOARDING_JOB = 'offboarding.revoke';

export const OFFBOARDING_STEPS = {
  'teams-team': 'Remove from the private and shared channels and the Teams team',
  'directory-groups': 'Remove from the directory groups',
  'azure-devops': 'Remove Azure DevOps project groups (and the entitlement the bot gave)',
  finish: 'Close the onboarding and tell the requester and manager',
} as const;

export interface OffboardingJobInput extends ProvisioningInput {
  offboardingId: string;
  ask: OffboardingAsk;
}

export interface OffboardingJobDeps {
  memberships: WorkspaceMemberships;
  devops: DevOpsAccess;
  onboardings: OnboardingStore;
  notifier: Pick<OnboardingNotifier, 'offboarded'>;
  audit: AuditLog;
  botIdentity: string;
  clock?: () => Date;
  retry?: Partial<RetryPolicy>;
}

export function offboardingJob(deps: OffboardingJobDeps): JobDefinition<OffboardingJobInput> {
  const now = deps.clock ?? (() => new Date());
  const step = (def: Parameters<typeof provisioningStep<OffboardingJobInput>>[3]) => provisioningStep<OffboardingJobInput>(deps.audit, deps.botIdentity, 'offboarding', def);
  const removeFrom = async (input: OffboardingJobInput, groups: boolean) => {
    const targets = input.ask.remove.workspace.filter((t) => (t.kind === 'group') === groups);
    if (!targets.length) return { removed: [], alreadyGone: [] };
    const { done, failure } = outcomesOf(await deps.memberships.remove(input.ask.person.id, targets));
    throwIfFailed(failure);
    return done;
  };
  return {
    type: OFFBOARDING_JOB,
    ...(deps.retry ? { retry: deps.retry } : {}),
    steps: [
      step({ name: 'teams-team', parallelGroup: 'access', run: ({ input }) => removeFrom(input, false) }),
      step({ name: 'directory-groups', parallelGroup: 'access', run: ({ input }) => removeFrom(input, true) }),
      step({
        name: 'azure-devops',
        parallelGroup: 'access',
        run: async ({ input }) => {
          const { entitlement, groups } = input.ask.remove.devops;
          if (!entitlement && !groups.length) return { removed: [] };
          const result = await deps.devops.revoke(input.ask.person.userPrincipalName, { entitlement, groups });
          return { entitlementRemoved: result.entitlementRemoved, groupsRemoved: result.groupsRemoved.map((g) => `${g.project}/${g.group}`), alreadyGone: result.alreadyGone.map((g) => `${g.project}/${g.group}`) };
        },
      }),
      step({
        name: 'finish',
        run: async ({ input, outputs }) => {
          for (const id of input.ask.onboardingIds) await deps.onboardings.markOffboarded(id, now());
          const list = (name: string, key: string) => ((outputs[name]?.[key] as string[] | undefined) ?? []);
          const removed = [...list('teams-team', 'removed'), ...list('directory-groups', 'removed'), ...list('azure-devops', 'groupsRemoved'), ...(outputs['azure-devops']?.entitlementRemoved ? ['Azure DevOps entitlement'] : [])];
          const gone = [...input.ask.alreadyGone, ...list('teams-team', 'alreadyGone'), ...list('directory-groups', 'alreadyGone'), ...list('azure-devops', 'alreadyGone')];
          await deps.notifier.offboarded(input.ask, removed, gone);
          return { removed, alreadyGone: gone, closed: input.ask.onboardingIds };
        },
      }),
    ],
  };
}
