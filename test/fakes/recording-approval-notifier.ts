/** ApprovalNotifier that records what it was told (and can be made to fail, as a Teams outage would). */
import type { ApprovalNotifier } from '../../src/domain/approvals/approval-notifier.port';
import type { ApprovalRequest } from '../../src/domain/approvals/approval.types';

export type NotifiedEvent = keyof ApprovalNotifier;

export class RecordingApprovalNotifier implements ApprovalNotifier {
  readonly sent: { event: NotifiedEvent; id: string; state: ApprovalRequest['state']; remindersSent: number }[] = [];
  /** Events that throw instead of being recorded. */
  readonly failing = new Set<NotifiedEvent>();

  requested = (r: ApprovalRequest) => this.record('requested', r);
  reminded = (r: ApprovalRequest) => this.record('reminded', r);
  expired = (r: ApprovalRequest) => this.record('expired', r);
  decided = (r: ApprovalRequest) => this.record('decided', r);
  cancelled = (r: ApprovalRequest) => this.record('cancelled', r);

  /** What was sent after the requests were made (everything but `requested`). */
  get afterRequest() {
    return this.sent.filter((s) => s.event !== 'requested');
  }

  of(event: NotifiedEvent): string[] {
    return this.sent.filter((s) => s.event === event).map((s) => s.id);
  }

  private async record(event: NotifiedEvent, r: ApprovalRequest): Promise<void> {
    if (this.failing.has(event)) throw new Error(`${event}: Teams is not answering`);
    this.sent.push({ event, id: r.id, state: r.state, remindersSent: r.remindersSent });
  }
}
