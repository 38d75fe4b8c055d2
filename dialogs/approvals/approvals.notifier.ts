/**
 * The domain's ApprovalNotifier at the chat edge, through personal chats: the ones the bot recorded
 * (ConversationDirectory), else (when configured) one opened by installing the bot for the person
 * through Graph. A new request and a reminder bring the card to each approver's 1:1 chat; an outcome
 * is a short text in the requester's. An approver who cannot be reached is named to the requester
 * with the reason, so they can ask that person another way.
 */
import { escapeMarkdown } from '../../cards/teams-markdown';
import type { ProactiveMessenger } from '../../src/bot/proactive-messenger';
import type { ApprovalNotifier } from '../../src/domain/approvals/approval-notifier.port';
import type { ApprovalPerson, ApprovalRequest } from '../../src/domain/approvals/approval.types';
import type { ConversationDirectory } from '../../src/domain/conversations/conversations.port';
import { isConversationGone, type StoredConversation } from '../../src/domain/conversations/conversations.types';
import type { ConversationReference } from 'botbuilder';
import { approvalCard } from './approvals.views';
import { viewFor } from '../../src/domain/approvals/approval-view';

export interface ApprovalDelivery {
  event: keyof ApprovalNotifier;
  requestId: string;
  sent: number;
  /** People who could not be reached (no recorded chat, and none could be opened). */
  skipped: number;
}

/** Why a card could not be brought to someone, in words for the requester. */
const UNREACHABLE: Record<string, string> = {
  'CONVERSATION.NO_CHAT': 'the bot has never talked with them',
  'CONVERSATION.APP_NOT_IN_CATALOG': "the bot is not published in your organisation's Teams app catalog, so I cannot install it for them",
  'CONVERSATION.INSTALL_FORBIDDEN': 'I am not allowed to install the bot for them (or they cannot use Teams)',
  'CONVERSATION.USER_NOT_FOUND': 'the directory does not know them',
};
export const unreachableReason = (code: string): string => UNREACHABLE[code] ?? 'Teams did not accept the message';

/** Opens a personal chat with someone the bot has no recorded chat with (src/bot/personal-chat.ts). */
export interface PersonalChatOpener {
  referenceFor(userId: string): Promise<{ reference: Partial<ConversationReference> } | { unreachable: string }>;
}

export interface ApprovalChatNotifierDeps {
  messenger: Pick<ProactiveMessenger, 'sendCard' | 'sendText'>;
  conversations: Pick<ConversationDirectory, 'findByAadObjectId'>;
  /** Reaches people with no recorded personal chat; without it they are skipped. */
  opener?: PersonalChatOpener;
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

  /** The card to every approver; the requester gets their own view, and hears who could not be reached and why. */
  async requested(request: ApprovalRequest): Promise<void> {
    const unreached = await this.deliver('requested', request, request.approvers.people, async (person, reference, refreshIds) => {
      await this.deps.messenger.sendCard(reference, approvalCard(request, viewFor(request, person.id), refreshIds));
    });
    if (!unreached.length) return;
    const names = unreached.map((u) => `${escapeMarkdown(u.person.name)} (${unreachableReason(u.code)})`).join('; ');
    const all = unreached.length === request.approvers.people.length;
    await this.deliver('requested', request, [request.requester], async (_p, reference) =>
      void (await this.deps.messenger.sendText(reference, `⚠️ I could not bring the approval card for ${title(request)} to ${names}. ${all ? 'Nobody has it yet: ask them' : 'Ask them'} to open a chat with me and say "hi", and they will find it there.`)),
    );
  }

  async reminded(request: ApprovalRequest): Promise<void> {
    await this.deliver('reminded', request, request.approvers.people, async (person, reference, refreshIds) => {
      await this.deps.messenger.sendCard(reference, approvalCard(request, viewFor(request, person.id), refreshIds));
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
    return this.deliver(event, request, [request.requester], async (_p, reference) => void (await this.deps.messenger.sendText(reference, outcomeText(request)))).then(() => undefined);
  }

  /** Sends to each person through their recorded chat or one the opener gives; answers who could not be reached. */
  private async deliver(
    event: keyof ApprovalNotifier,
    request: ApprovalRequest,
    people: ApprovalPerson[],
    send: (person: ApprovalPerson, reference: Partial<ConversationReference>, refreshIds: string[]) => Promise<void>,
  ): Promise<{ person: ApprovalPerson; code: string }[]> {
    const everyone = [request.requester, ...request.approvers.people];
    const chats = new Map<string, StoredConversation>();
    for (const p of everyone) {
      const chat = await this.deps.conversations.findByAadObjectId(p.id);
      if (chat?.conversationType === 'personal') chats.set(p.id, chat);
    }
    const refreshIds = [...chats.values()].flatMap((c) => (c.userId ? [c.userId] : []));
    const unreached: { person: ApprovalPerson; code: string }[] = [];
    let sent = 0;
    for (const person of people) {
      const reference = await this.referenceOf(person, chats);
      if ('unreachable' in reference) {
        unreached.push({ person, code: reference.unreachable });
        continue;
      }
      try {
        await send(person, reference.reference, refreshIds);
        sent++;
      } catch (e) {
        // One person's chat refusing (the bot was removed) does not keep the card from the others.
        if (!isConversationGone(e)) throw e;
        unreached.push({ person, code: e.code });
      }
    }
    this.deps.onDelivery?.({ event, requestId: request.id, sent, skipped: unreached.length });
    return unreached;
  }

  private async referenceOf(person: ApprovalPerson, chats: Map<string, StoredConversation>): Promise<{ reference: Partial<ConversationReference> } | { unreachable: string }> {
    const chat = chats.get(person.id);
    if (chat) return { reference: chat.reference as Partial<ConversationReference> };
    return this.deps.opener ? this.deps.opener.referenceFor(person.id) : { unreachable: 'CONVERSATION.NO_CHAT' };
  }
}
