/**
 * The domain's ApprovalNotifier at the chat edge, through the personal chats the bot recorded
 * (ConversationDirectory): a reminder brings the card to each approver's 1:1 chat; an outcome is a
 * short text in the requester's. Someone the bot never talked to 1:1 is skipped and counted (the
 * Graph app-installation fallback is a later step).
 */
import { escapeMarkdown } from '../../cards/teams-markdown';
import type { ProactiveMessenger } from '../../src/bot/proactive-messenger';
import type { ApprovalNotifier } from '../../src/domain/approvals/approval-notifier.port';
import type { ApprovalPerson, ApprovalRequest } from '../../src/domain/approvals/approval.types';
import type { ConversationDirectory } from '../../src/domain/conversations/conversations.port';
import type { StoredConversation } from '../../src/domain/conversations/conversations.types';
import { approvalCard } from './approvals.views';
import { viewFor } from '../../src/domain/approvals/approval-view';

export interface ApprovalDelivery {
  event: keyof ApprovalNotifier;
  requestId: string;
  sent: number;
  /** People with no recorded personal chat. */
  skipped: number;
}

export interface ApprovalChatNotifierDeps {
  messenger: Pick<ProactiveMessenger, 'sendCard' | 'sendText'>;
  conversations: Pick<ConversationDirectory, 'findByAadObjectId'>;
  /** Told what each notice did (the composition root logs it). */
  onDelivery?: (delivery: ApprovalDelivery) => void;
}

const title = (r: ApprovalRequest) => `"${escapeMarkdown(r.summary.title)}"`;

export function outcomeText(r: ApprovalRequest): string {
  const last = r.decisions.at(-1);
  switch (r.state) {
    case 'approved':
    case 'rejected':
      return `${r.state === 'approved' ? '✅' : '❌'} ${title(r)} was ${r.state} by ${escapeMarkdown(last?.by.name ?? 'an approver')}${last?.comment ? `: “${escapeMarkdown(last.comment)}”` : '.'}`;
    case 'expired':
      return `⌛ ${title(r)} expired: no approver decided in time. Ask again if it is still needed.`;
    case 'cancelled':
      return `🚫 You cancelled ${title(r)}. Its approvers see it closed.`;
    default:
      return `${title(r)} is ${r.state}.`;
  }
}

export class ApprovalChatNotifier implements ApprovalNotifier {
  constructor(private readonly deps: ApprovalChatNotifierDeps) {}

  async reminded(request: ApprovalRequest): Promise<void> {
    await this.deliver('reminded', request, request.approvers.people, async (person, chat, refreshIds) => {
      await this.deps.messenger.sendCard(chat.reference, approvalCard(request, viewFor(request, person.id), refreshIds));
    });
  }

  expired(request: ApprovalRequest): Promise<void> {
    return this.toRequester('expired', request);
  }

  decided(request: ApprovalRequest): Promise<void> {
    return this.toRequester('decided', request);
  }

  cancelled(request: ApprovalRequest): Promise<void> {
    return this.toRequester('cancelled', request);
  }

  private toRequester(event: keyof ApprovalNotifier, request: ApprovalRequest): Promise<void> {
    return this.deliver(event, request, [request.requester], async (_p, chat) => void (await this.deps.messenger.sendText(chat.reference, outcomeText(request))));
  }

  private async deliver(event: keyof ApprovalNotifier, request: ApprovalRequest, people: ApprovalPerson[], send: (person: ApprovalPerson, chat: StoredConversation, refreshIds: string[]) => Promise<void>): Promise<void> {
    const everyone = [request.requester, ...request.approvers.people];
    const chats = new Map<string, StoredConversation>();
    for (const p of everyone) {
      const chat = await this.deps.conversations.findByAadObjectId(p.id);
      if (chat?.conversationType === 'personal') chats.set(p.id, chat);
    }
    const refreshIds = [...chats.values()].flatMap((c) => (c.userId ? [c.userId] : []));
    let sent = 0;
    let skipped = 0;
    for (const person of people) {
      const chat = chats.get(person.id);
      if (!chat) {
        skipped++;
        continue;
      }
      await send(person, chat, refreshIds);
      sent++;
    }
    this.deps.onDelivery?.({ event, requestId: request.id, sent, skipped });
  }
}
