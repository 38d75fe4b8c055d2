import type { NotifyTarget } from '../../src/domain/conversations/conversations.types';

/** Where a job started in a service test "reports" (nothing listens in those tests). */
export const notifyAt = (cardActivityId: string): NotifyTarget => ({ serviceUrl: 'http://127.0.0.1:1', channelId: 'msteams', conversationId: 'a:test', botId: 'bot', cardActivityId });
export const NOTIFY: NotifyTarget = notifyAt('card-1');
