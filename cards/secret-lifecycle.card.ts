/** The "list secrets" card and the rotate / delete confirmation card; texts escaped by the caller. */
import actionTemplate from './secret-action.card.json';
import listTemplate from './secret-list.card.json';
import { renderTemplate, type AdaptiveCard } from './render';

export const SECRET_LIFECYCLE_VERBS = { rotate: 'secret.rotate.confirm', delete: 'secret.delete.confirm', cancel: 'secret.lifecycle.cancel' } as const;

export interface SecretListView {
  title: string;
  intro: string;
  rows: { name: string; facts: { label: string; value: string }[] }[];
  empty?: string;
  warnings: string[];
}

export const renderSecretList = (view: SecretListView): AdaptiveCard => renderTemplate(listTemplate, { ...view, hasEmpty: Boolean(view.empty), empty: view.empty ?? '' });

export interface SecretActionView {
  title: string;
  intro: string;
  facts: { label: string; value: string }[];
  warning?: string;
  confirm?: { title: string; verb: string; destructive?: boolean; data: Record<string, string> };
}

export const renderSecretAction = (view: SecretActionView): AdaptiveCard =>
  renderTemplate(actionTemplate, {
    title: view.title,
    intro: view.intro,
    facts: view.facts,
    hasWarning: Boolean(view.warning),
    warning: view.warning ?? '',
    canConfirm: Boolean(view.confirm),
    confirmTitle: view.confirm?.title ?? '',
    confirmStyle: view.confirm?.destructive ? 'destructive' : 'positive',
    confirmVerb: view.confirm?.verb ?? '',
    confirmData: view.confirm?.data ?? {},
    cancelVerb: SECRET_LIFECYCLE_VERBS.cancel,
  });
