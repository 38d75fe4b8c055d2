import template from './secret-preview.card.json';
import valueTemplate from './secret-value.card.json';
import { renderTemplate, type AdaptiveCard } from './render';

export const SECRET_VERBS = { confirm: 'secret.confirm', discard: 'secret.discard' } as const;

export type SecretFormValues = Record<'service' | 'env' | 'name' | 'expires' | 'rotate' | 'value', string> & { pipeline?: string };

/** The preview before anything is created; texts escaped by the caller. */
export interface SecretPreviewView {
  title: string;
  intro: string;
  facts: { label: string; value: string }[];
  warning?: string;
  confirm?: { title: string; previewId: string; values: SecretFormValues };
}

export const renderSecretPreview = (view: SecretPreviewView): AdaptiveCard =>
  renderTemplate(template, {
    title: view.title,
    intro: view.intro,
    facts: view.facts,
    hasWarning: Boolean(view.warning),
    warning: view.warning ?? '',
    canConfirm: Boolean(view.confirm),
    confirmTitle: view.confirm?.title ?? '',
    confirmVerb: SECRET_VERBS.confirm,
    previewId: view.confirm?.previewId ?? '',
    values: { pipeline: '', ...(view.confirm?.values ?? { service: '', env: '', name: '', expires: '', rotate: '', value: '' }) },
    discardVerb: SECRET_VERBS.discard,
  });

/**
 * The value dialog: `opening` is the chat card whose button opens the Teams dialog (task/fetch);
 * `asking` is the dialog's own card with the password input (task/submit). `dialog` says which
 * request, never anything secret.
 */
export interface SecretValueView {
  title: string;
  intro: string;
  mode: 'opening' | 'asking';
  dialog: SecretDialogRef;
}

/** Which request a value dialog is for: a new secret (its form values), an approved request, or a rotation. */
export interface SecretDialogRef {
  previewId?: string;
  approvalId?: string;
  values?: SecretFormValues;
  rotation?: { previewId: string; vaultName: string; expires: string };
}

export const renderSecretValueCard = (view: SecretValueView): AdaptiveCard =>
  renderTemplate(valueTemplate, { title: view.title, intro: view.intro, asking: view.mode === 'asking', opening: view.mode === 'opening', dialog: view.dialog });
