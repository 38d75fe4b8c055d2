import type { OffboardingAsk, OnboardingRecord } from './onboarding.types';

/** What a welcome delivery did: the card is in the joiner's chat, or it waits (a CONVERSATION.* reason). */
export type WelcomeOutcome = { delivered: { conversationId: string; activityId?: string } } | { waiting: string };

/**
 * The chat edge of onboarding: the welcome card to the joiner, short notices to the people around
 * them. Someone who cannot be reached is skipped (and counted in the log), never an error that
 * undoes what was granted.
 */
export interface OnboardingNotifier {
  /** Sends the joiner their welcome card (installing the bot for them when it can). */
  sendWelcome(record: OnboardingRecord): Promise<WelcomeOutcome>;
  /** The joiner cannot be messaged yet: the manager and buddy are told, and the welcome waits. */
  welcomeWaiting(record: OnboardingRecord, reason: string): Promise<void>;
  /** Everything is granted: the requester, manager and buddy are told. */
  provisioned(record: OnboardingRecord): Promise<void>;
  /** The person's access was taken back: the requester and manager are told what was removed. */
  offboarded(ask: OffboardingAsk, removed: string[], alreadyGone: string[]): Promise<void>;
}
