import template from './secret-expiry.card.json';
import { renderTemplate, type AdaptiveCard } from './render';

export const SECRET_EXPIRY_VERBS = { rotate: 'secret-expiry.rotate', extend: 'secret-expiry.extend', extendTo: 'secret-expiry.extend-to', snooze: 'secret-expiry.snooze' } as const;

/** An expiry reminder; texts escaped by the caller. `secret` names the version the buttons act on (never a value). */
export interface SecretExpiryView {
  title: string;
  urgent: boolean;
  intro: string;
  facts: { label: string; value: string }[];
  status?: { text: string; color: 'Good' | 'Attention' | 'Default' };
  secret: { vault: string; name: string; version: string; expires: string };
  extendDays: number;
  /** The earliest date the date picker offers (YYYY-MM-DD). */
  minDate: string;
  canRotate: boolean;
  canSnooze: boolean;
}

export const renderSecretExpiryCard = (view: SecretExpiryView): AdaptiveCard =>
  renderTemplate(template, {
    title: view.title,
    titleColor: view.urgent ? 'Attention' : 'Warning',
    intro: view.intro,
    facts: view.facts,
    hasStatus: Boolean(view.status),
    status: view.status?.text ?? '',
    statusColor: view.status?.color ?? 'Default',
    secret: view.secret,
    extendDays: view.extendDays,
    minDate: view.minDate,
    canRotate: view.canRotate,
    canSnooze: view.canSnooze,
    verbs: SECRET_EXPIRY_VERBS,
  });
