/**
 * The approval card's buttons: Refresh (each viewer's own view), Approve, Reject, Cancel. Each runs
 * as the verified acting user; the service enforces who may do what, and its refusals
 * (APPROVALS.*) are words for the clicker while the card stays. A change answers with the
 * clicker's updated card.
 */
import { z } from 'zod';
import { APPROVAL_VERBS } from '../../cards/approval.card';
import { cardAction, type CardAction, type CardActionContext } from '../../src/bot/card-action-router';
import type { ApprovalService } from '../../src/domain/approvals/approval.service';
import type { ApprovalRequest } from '../../src/domain/approvals/approval.types';
import { DomainError } from '../../src/domain/domain-error';
import type { ConversationDirectory } from '../../src/domain/conversations/conversations.port';
import { approvalCard } from './approvals.views';

export interface ApprovalsFeatureDeps {
  approvals: Pick<ApprovalService, 'get' | 'viewFor' | 'decide' | 'cancel'>;
  /** Personal chats recorded by the bot: the channel user ids the card refreshes for. */
  conversations: Pick<ConversationDirectory, 'findByAadObjectId'>;
}

/** The comment arrives merged into the button's data (Input.Text id "comment"); the service checks its length. */
const request = z.object({ requestId: z.string().min(1).max(300), comment: z.string().max(5000).optional() });
type Data = z.infer<typeof request>;

export function approvalsCardActions(deps: ApprovalsFeatureDeps): CardAction[] {
  /** Teams refreshes for channel user ids: the clicker's, and everyone's whose personal chat is recorded. */
  const refreshIds = async (r: ApprovalRequest, c: CardActionContext<Data>): Promise<string[]> => {
    const people = [r.requester, ...r.approvers.people];
    const stored = await Promise.all(people.map((p) => deps.conversations.findByAadObjectId(p.id)));
    return [c.actor.channelId, ...stored.flatMap((s) => (s?.userId ? [s.userId] : []))];
  };
  const cardFor = async (r: ApprovalRequest, c: CardActionContext<Data>) => ({ card: approvalCard(r, deps.approvals.viewFor(r, c.actor.id), await refreshIds(r, c)) });
  const person = (c: CardActionContext<Data>) => ({ id: c.actor.id, name: c.actor.name });
  const activity = (c: CardActionContext<Data>) => c.turn.activity.id;

  return [
    cardAction({
      verb: APPROVAL_VERBS.refresh,
      data: request,
      changesState: false,
      run: async (c) => {
        const found = await deps.approvals.get(c.data.requestId);
        if (!found) throw new DomainError('APPROVALS.NOT_FOUND', `No approval request ${c.data.requestId}`, { id: c.data.requestId });
        return cardFor(found, c);
      },
    }),
    cardAction({
      verb: APPROVAL_VERBS.approve,
      data: request,
      changesState: true,
      run: async (c) => cardFor((await deps.approvals.decide(c.data.requestId, person(c), 'approve', c.data.comment, activity(c))).request, c),
    }),
    cardAction({
      verb: APPROVAL_VERBS.reject,
      data: request,
      changesState: true,
      run: async (c) => cardFor((await deps.approvals.decide(c.data.requestId, person(c), 'reject', c.data.comment, activity(c))).request, c),
    }),
    cardAction({
      verb: APPROVAL_VERBS.cancel,
      data: request,
      changesState: true,
      run: async (c) => cardFor((await deps.approvals.cancel(c.data.requestId, person(c), activity(c))).request, c),
    }),
  ];
}
