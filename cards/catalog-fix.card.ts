import template from './catalog-fix.card.json';
import { CATALOG_DIGEST_VERBS } from './catalog-digest.card';
import { renderTemplate, type AdaptiveCard } from './render';

/** The form's Submit buttons (Back shows the digest again). */
export const CATALOG_FIX_VERBS = { submitFix: 'catalog-digest.fix.submit', submitNotApplicable: 'catalog-digest.not-applicable.submit' } as const;

interface Base {
  team: string;
  ref: string;
  rule: string;
  heading: string;
  subheading: string;
  detail: string;
  hint?: string;
}

export type FixCardView =
  | (Base & { mode: 'fix'; input: { label: string; placeholder: string; error: string } | { label: string; choices: { title: string; value: string }[]; error: string } })
  | (Base & { mode: 'not-applicable' })
  /** The entity is not in Azure DevOps: the YAML to add by hand (plain text, shown monospace). */
  | (Base & { mode: 'by-hand'; intro: string; snippet: string });

export function renderCatalogFixCard(view: FixCardView): AdaptiveCard {
  const input = view.mode === 'fix' ? view.input : undefined;
  return renderTemplate(template, {
    verbs: CATALOG_DIGEST_VERBS,
    team: view.team,
    ref: view.ref,
    rule: view.rule,
    heading: view.heading,
    subheading: view.subheading,
    detail: view.detail,
    hasHint: Boolean(view.hint),
    hint: view.hint ?? '',
    isText: Boolean(input && !('choices' in input)),
    isChoice: Boolean(input && 'choices' in input),
    choices: input && 'choices' in input ? input.choices : [],
    isReason: view.mode === 'not-applicable',
    inputLabel: view.mode === 'not-applicable' ? 'Why does this check not apply? (kept with the waiver and audited)' : (input?.label ?? ''),
    placeholder: view.mode === 'not-applicable' ? 'e.g. a batch job: nobody is paged for it' : input && 'placeholder' in input ? input.placeholder : '',
    errorMessage: view.mode === 'not-applicable' ? 'A reason is required.' : (input?.error ?? ''),
    hasSnippet: view.mode === 'by-hand',
    snippetIntro: view.mode === 'by-hand' ? view.intro : '',
    snippet: view.mode === 'by-hand' ? view.snippet : '',
    hasSubmit: view.mode !== 'by-hand',
    submitTitle: view.mode === 'fix' ? 'Open a pull request' : 'Mark not applicable',
    submitVerb: view.mode === 'fix' ? CATALOG_FIX_VERBS.submitFix : CATALOG_FIX_VERBS.submitNotApplicable,
  });
}
