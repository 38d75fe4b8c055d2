/**
 * Secret expiry reminders' chat edge: no command (the reminders come from the scheduled job
 * main.ts registers); the card's Rotate / Extend / Snooze buttons.
 */
import type { Feature } from '../../src/bot/feature';
import { secretExpiryCardActions, type SecretExpiryFeatureDeps } from './secret-expiry.card-actions';

export type { SecretExpiryFeatureDeps } from './secret-expiry.card-actions';
export { expiryReminderPublisher, secretExpiryCard } from './secret-expiry.views';

export function secretExpiryFeature(deps: SecretExpiryFeatureDeps): Feature {
  return { name: 'secret-expiry', cardActions: secretExpiryCardActions(deps) };
}
