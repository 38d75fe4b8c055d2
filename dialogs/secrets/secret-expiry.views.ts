/** Expiry reminder cards from the domain's SecretExpiry, every text from a vault tag or a person escaped, and the publisher the scheduled run sends them with. */
import type { AdaptiveCard } from '../../cards/render';
import { renderSecretExpiryCard, type SecretExpiryView } from '../../cards/secret-expiry.card';
import { cut, escapeMarkdown } from '../../cards/teams-markdown';
import type { ProactiveMessenger } from '../../src/bot/proactive-messenger';
import { EXPIRED } from '../../src/domain/secrets/expiry-thresholds';
import { EXTEND_DAYS, type ExpiryReminderPublisher, type SecretExpiry } from '../../src/domain/secrets/secret-expiry.service';

const esc = (s: string, max = 200) => escapeMarkdown(cut(s, max));
const day = (d: Date) => d.toISOString().slice(0, 10);
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

export type ExpiryStatus = SecretExpiryView['status'];

function when(e: SecretExpiry): string {
  if (e.daysLeft < 0) return `expired ${plural(-e.daysLeft, 'day')} ago`;
  if (e.expiresOn.getTime() <= Date.now()) return 'has expired';
  return `expires in ${plural(e.daysLeft, 'day')}`;
}

export function secretExpiryCard(e: SecretExpiry, options: { canRotate: boolean; status?: ExpiryStatus; now?: Date }): AdaptiveCard {
  const now = options.now ?? new Date();
  const tomorrow = new Date(now.getTime() + 86_400_000);
  const expired = e.threshold === EXPIRED;
  return renderSecretExpiryCard({
    title: `${expired ? '⛔' : '⏳'} ${esc(e.name, 130)} ${when(e)}`,
    urgent: expired || (e.threshold !== null && e.threshold <= 1),
    intro: expired
      ? 'Workloads reading it may already fail. Rotate it (a new version) or extend its expiry.'
      : 'Rotate it (a new version, the old one disabled after a grace period), extend its expiry, or snooze this reminder until the next one.',
    facts: [
      { label: 'Secret', value: esc(e.name, 130) },
      { label: 'Vault', value: `${esc(e.vault, 60)} (${esc(e.env, 30)})` },
      { label: 'Service', value: e.service ? `${esc(e.service, 100)}${e.owner ? `, owned by ${esc(e.owner.name, 100)}` : ''}` : 'unknown (no service tag, no catalog match)' },
      { label: 'Expires', value: `${day(e.expiresOn)} (${e.expiresOn.toISOString().slice(11, 16)} UTC)` },
      { label: 'Days left', value: e.daysLeft > 0 ? String(e.daysLeft) : 'none' },
      { label: 'Created by', value: `${e.createdBy ? esc(e.createdBy, 100) : 'unknown'}${e.createdOn ? ` on ${day(e.createdOn)}` : ''}` },
      { label: 'Version', value: esc(e.version, 40) },
    ],
    ...(options.status ? { status: options.status } : {}),
    secret: { vault: e.vault, name: e.name, version: e.version, expires: e.expiresOn.toISOString() },
    extendDays: EXTEND_DAYS,
    minDate: day(tomorrow),
    canRotate: options.canRotate,
    canSnooze: e.threshold !== null && !e.snoozed,
  });
}

/** "until the 7-day reminder", "until it expires". */
export const untilText = (threshold: number): string => (threshold === EXPIRED ? 'until it expires' : `until the ${threshold}-day reminder`);

/** The domain's ExpiryReminderPublisher: the card, sent through the conversation's stored reference. */
export function expiryReminderPublisher(messenger: Pick<ProactiveMessenger, 'sendCard'>, canRotate: boolean): ExpiryReminderPublisher {
  return { publish: (to, reminder) => messenger.sendCard(to.reference, secretExpiryCard(reminder, { canRotate })) };
}
