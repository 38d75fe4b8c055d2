/**
 * Onboarding's chat edge for what happens after approval: the welcome card in the joiner's 1:1 chat
 * (opened through Graph when they never talked to the bot), and short notices to the requester,
 * manager and buddy. Someone who cannot be reached is skipped and counted; a notice never fails
 * the job that granted the access.
 */
import { escapeMarkdown } from '../../cards/teams-markdown';
import type { PersonalChat } from '../../src/bot/personal-chat';
import type { ProactiveMessenger } from '../../src/bot/proactive-messenger';
import type { ConversationDirectory } from '../../src/domain/conversations/conversations.port';
import { isConversationGone } from '../../src/domain/conversations/conversations.types';
import type { OnboardingNotifier, WelcomeOutcome } from '../../src/domain/onboarding/onboarding-notifier.port';
import type { OffboardingAsk, OnboardingPerson, OnboardingRecord } from '../../src/domain/onboarding/onboarding.types';
import type { WelcomePackFor } from '../../src/domain/onboarding/welcome-pack';
import { welcomeCard } from './welcome.views';

export interface OnboardingChatNotifierDeps {
  messenger: Pick<ProactiveMessenger, 'sendCard' | 'sendText'>;
  chats: { referenceFor(userId: string): Promise<PersonalChat> };
  conversations: Pick<ConversationDirectory, 'findByAadObjectId'>;
  pack: WelcomePackFor;
  downloadUrl(record: OnboardingRecord): string | undefined;
  linkHosts: readonly string[];
  pullRequests: boolean;
  /** Told who could not be reached (the composition root logs it). */
  onSkipped?(event: string, people: { id: string; reason: string }[]): void;
}

const WHY: Record<string, string> = {
  'CONVERSATION.APP_NOT_IN_CATALOG': 'the bot is not in your Teams app catalog, so I cannot install it for them',
  'CONVERSATION.INSTALL_FORBIDDEN': 'Teams does not let me install the bot for them yet (no Teams licence or account not ready)',
  'CONVERSATION.USER_NOT_FOUND': 'the directory does not know their account yet',
  'CONVERSATION.NO_PERSONAL_CHAT': 'they have never opened a chat with me',
  'CONVERSATION.BOT_NOT_MEMBER': 'Teams refused the message (they removed or blocked the bot)',
  'CONVERSATION.NOT_FOUND': 'Teams does not know our chat any more',
};
export const whyUnreachable = (code: string): string => WHY[code] ?? 'Teams did not accept the message';

const name = (p: { name: string }) => escapeMarkdown(p.name);

export class OnboardingChatNotifier implements OnboardingNotifier {
  constructor(private readonly deps: OnboardingChatNotifierDeps) {}

  async sendWelcome(record: OnboardingRecord): Promise<WelcomeOutcome> {
    const chat = await this.deps.chats.referenceFor(record.joiner.id);
    if ('unreachable' in chat) return { waiting: chat.unreachable };
    const refresh = await this.refreshIds([record.joiner, record.manager, ...(record.buddy ? [record.buddy] : [])]);
    const downloadUrl = this.deps.downloadUrl(record);
    const card = welcomeCard({ record, pack: await this.deps.pack(record), viewerId: record.joiner.id, refreshUserIds: refresh, linkHosts: this.deps.linkHosts, pullRequests: this.deps.pullRequests, ...(downloadUrl ? { downloadUrl } : {}) });
    try {
      const activityId = await this.deps.messenger.sendCard(chat.reference, card);
      return { delivered: { conversationId: chat.reference.conversation?.id ?? '', ...(activityId ? { activityId } : {}) } };
    } catch (e) {
      if (isConversationGone(e)) return { waiting: e.code };
      throw e;
    }
  }

  async welcomeWaiting(record: OnboardingRecord, reason: string): Promise<void> {
    const text =
      `⏳ ${name(record.joiner)} has been given access to ${escapeMarkdown(record.team.displayName)}, but I cannot message them yet: ${whyUnreachable(reason)}. ` +
      'Their welcome card (docs, dev environment, checklist) goes out the moment they open a chat with me; you could tell them to.';
    await this.tell('welcome-waiting', [record.manager, ...(record.buddy ? [record.buddy] : [])], text);
  }

  async provisioned(record: OnboardingRecord): Promise<void> {
    const welcome = record.welcome.deliveredAt ? 'Their welcome card is in their chat with me.' : 'Their welcome card waits for their first message to me.';
    const text = `✅ ${name(record.joiner)} is onboarded to ${escapeMarkdown(record.team.displayName)} (approved by ${name(record.approvedBy)}). ${welcome}`;
    await this.tell('provisioned', unique([record.requester, record.manager, ...(record.buddy ? [record.buddy] : [])]), text);
  }

  async offboarded(ask: OffboardingAsk, removed: string[], alreadyGone: string[]): Promise<void> {
    const list = (items: string[]) => items.map((i) => escapeMarkdown(i)).join(', ');
    const text = `👋 ${name(ask.person)} is offboarded from ${escapeMarkdown(ask.team.displayName)}. Removed: ${removed.length ? list(removed) : 'nothing'}.${alreadyGone.length ? ` Already gone: ${list(alreadyGone)}.` : ''}`;
    await this.tell('offboarded', unique([ask.requester, ask.manager]), text);
  }

  private async tell(event: string, people: { id: string; name: string }[], text: string): Promise<void> {
    const skipped: { id: string; reason: string }[] = [];
    for (const person of people) {
      const chat = await this.deps.chats.referenceFor(person.id).catch((e: unknown) => ({ unreachable: e instanceof Error ? e.message : 'UPSTREAM' }));
      if ('unreachable' in chat) {
        skipped.push({ id: person.id, reason: chat.unreachable });
        continue;
      }
      try {
        await this.deps.messenger.sendText(chat.reference, text);
      } catch (e) {
        skipped.push({ id: person.id, reason: isConversationGone(e) ? e.code : 'SEND_FAILED' });
      }
    }
    if (skipped.length) this.deps.onSkipped?.(event, skipped);
  }

  private async refreshIds(people: OnboardingPerson[]): Promise<string[]> {
    const stored = await Promise.all(people.map((p) => this.deps.conversations.findByAadObjectId(p.id)));
    return stored.flatMap((s) => (s?.userId ? [s.userId] : []));
  }
}

const unique = <T extends { id: string }>(people: T[]): T[] => people.filter((p, i) => people.findIndex((q) => q.id.toLowerCase() === p.id.toLowerCase()) === i);
