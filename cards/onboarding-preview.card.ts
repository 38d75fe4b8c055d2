import { APPROVAL_VERBS } from './approval.card';
import { ONBOARDING_VERBS, type OnboardingMode } from './onboarding-form.card';
import template from './onboarding-preview.card.json';
import { renderTemplate, type AdaptiveCard } from './render';

/** The preview before anyone is asked: what will be asked, of whom, and exactly what access it means. */
export interface OnboardingPreviewView {
  mode: OnboardingMode;
  title: string;
  intro: string;
  facts: { label: string; value: string }[];
  warnings: string[];
  /** Absent: nothing to ask (e.g. a request already waits). */
  ask?: { title: string; previewId: string; values: Record<'person' | 'team' | 'role' | 'start' | 'buddy', string> };
  pending?: { requestId: string; line: string };
}

export const renderOnboardingPreview = (view: OnboardingPreviewView): AdaptiveCard =>
  renderTemplate(template, {
    mode: view.mode,
    title: view.title,
    intro: view.intro,
    facts: view.facts,
    hasWarnings: view.warnings.length > 0,
    warnings: view.warnings,
    canAsk: Boolean(view.ask),
    askTitle: view.ask?.title ?? '',
    askVerb: ONBOARDING_VERBS.ask,
    previewId: view.ask?.previewId ?? '',
    values: view.ask?.values ?? { person: '', team: '', role: '', start: '', buddy: '' },
    hasPending: Boolean(view.pending),
    pendingLine: view.pending?.line ?? '',
    pendingId: view.pending?.requestId ?? '',
    showPendingVerb: APPROVAL_VERBS.refresh,
    discardVerb: ONBOARDING_VERBS.discard,
  });
