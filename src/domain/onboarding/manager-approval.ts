/**
 * Onboarding and offboarding ask the same way: one approval request to the manager the preview
 * named, keyed by the requester and the preview's id (a double click or a Teams retry meets the
 * same request), carrying the ask the job will act on.
 */
import type { Actor } from '../access/team-access.policy';
import type { ApprovalService, AskOutcome } from '../approvals/approval.service';
import type { ApprovalRequest, ApprovalSummary } from '../approvals/approval.types';
import type { OffboardingAsk, OnboardingAsk } from './onboarding.types';

export interface ManagerAsk {
  flow: string;
  subjectKey: string;
  summary: ApprovalSummary;
  ask: OnboardingAsk | OffboardingAsk;
}

export async function askManager(approvals: Pick<ApprovalService, 'request'>, what: ManagerAsk, requester: Actor, previewId: string, activityId?: string): Promise<{ request: ApprovalRequest; outcome: AskOutcome }> {
  return approvals.request({
    flow: what.flow,
    idempotencyKey: `${requester.id.toLowerCase()}:${previewId}`,
    subjectKey: what.subjectKey,
    summary: what.summary,
    requester: { id: requester.id, name: requester.name },
    approvers: [{ kind: 'users', ids: [what.ask.manager.id] }],
    payload: what.ask as unknown as Record<string, unknown>,
    ...(activityId ? { activityId } : {}),
  });
}

/** "team: there is no team ... (did you mean ...?)". */
export const noTeamProblem = (text: string, close: string[]): string => `team: there is no team "${text.trim()}" in the catalog${close.length ? ` (did you mean ${close.join(', ')}?)` : ''}`;
