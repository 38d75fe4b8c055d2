import template from './variable-list.card.json';
import { renderTemplate, type AdaptiveCard } from './render';

export const VARIABLE_VERBS = { refresh: 'variables.list' } as const;

/** `list variables`: each group with its variables; texts escaped by the caller, secret values never here. */
export interface VariableListView {
  title: string;
  intro: string;
  groups: { heading: string; emptyText: string; variables: { name: string; value: string }[] }[];
  /** What Refresh lists again. */
  service: string;
  env: string;
}

export const renderVariableList = (view: VariableListView): AdaptiveCard =>
  renderTemplate(template, {
    title: view.title,
    intro: view.intro,
    groups: view.groups.map((g) => ({ ...g, empty: g.variables.length === 0 })),
    refreshVerb: VARIABLE_VERBS.refresh,
    service: view.service,
    env: view.env,
  });
