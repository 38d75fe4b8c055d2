/**
 * Welcomes that could not be delivered yet (the bot could not reach the joiner) are tried again
 * periodically on one replica (src/domain/jobs/scheduler.ts), besides on the joiner's first
 * message. A delivery is recorded before the next run reads, so a welcome goes out once.
 */
import type { ScheduledWork } from '../jobs/scheduler';
import type { OnboardingProvisioningService } from './onboarding-provisioning.service';

export const WELCOME_RETRY_NAME = 'onboarding-welcome-retry';

export function welcomeRetrySchedule(service: Pick<OnboardingProvisioningService, 'retryWaitingWelcomes'>, options: { everyMs: number; onRun?: (sent: number) => void }): ScheduledWork {
  return {
    name: WELCOME_RETRY_NAME,
    everyMs: options.everyMs,
    run: async () => {
      // Awaited first: an optional call would skip evaluating its argument when there is no onRun.
      const sent = await service.retryWaitingWelcomes();
      options.onRun?.(sent);
    },
  };
}
