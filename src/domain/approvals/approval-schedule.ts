/**
 * The approval sweeps as periodic work: one occurrence per slot on one replica (src/domain/jobs/scheduler.ts).
 * The sweeps are idempotent (each change a conditional write, each follow-up keyed), so an occurrence run again after a
 * crash reminds and expires nothing twice.
 */
import type { ScheduledWork } from '../jobs/scheduler';
import type { ApprovalService } from './approval.service';

export const APPROVAL_SWEEP_NAME = 'approval-sweep';

export interface ApprovalSweepOptions {
  everyMs: number;
  /** Told what each occurrence did (the composition root logs it). */
  onSweep?: (result: { expired: string[]; reminded: string[]; followedUp: string[] }) => void;
}

export function approvalSweepSchedule(service: Pick<ApprovalService, 'sweep'>, options: ApprovalSweepOptions): ScheduledWork {
  return {
    name: APPROVAL_SWEEP_NAME,
    everyMs: options.everyMs,
    run: async () => {
      const result = await service.sweep();
      options.onSweep?.(result);
    },
  };
}
