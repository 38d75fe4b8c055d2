/** Pipeline variables -> chat: the list card and the words after a change. Secret values never reach here (the port has none). */
import type { AdaptiveCard } from '../../cards/render';
import { cut, escapeMarkdown } from '../../cards/teams-markdown';
import { renderVariableList } from '../../cards/variable-list.card';
import type { SetVariableOutcome, VariableListing } from '../../src/domain/secrets/pipeline-variables.service';
import type { VariableGroupInfo } from '../../src/domain/secrets/pipeline-variables.port';

const esc = (s: string, max = 300) => escapeMarkdown(cut(s, max));

const SECRET_SHOWN = '(secret)';

function group(name: string, info: VariableGroupInfo | null, env: string, linked: boolean) {
  const heading = `${esc(name, 130)} (${esc(env, 20)}${info?.kind === 'key-vault' ? `, Key Vault ${esc(info.keyVault?.vault ?? '?', 60)}` : ''})`;
  const emptyText = !info ? (linked ? 'No secret variables yet (set secret variable creates this group).' : 'No such group yet (set variable creates it).') : 'No variables.';
  const variables = (info?.variables ?? []).map((v) => ({ name: esc(v.name, 130), value: v.isSecret || info?.kind === 'key-vault' ? SECRET_SHOWN : esc(v.value ?? '', 300) || '(empty)' }));
  return { heading, emptyText, variables };
}

export function variableListCard(listing: VariableListing, env?: string): AdaptiveCard {
  return renderVariableList({
    title: `Pipeline variables of ${esc(listing.service, 100)}`,
    intro: `Variable groups in ${esc(listing.project, 80)} that the pipeline's deployment stages read. Secret values are never shown: they live in Key Vault (or Azure DevOps) only.`,
    groups: listing.environments.flatMap((e) => [group(e.plain.name, e.plain.info, e.env, false), ...(e.secrets.info ? [group(e.secrets.name, e.secrets.info, e.env, true)] : [])]),
    service: listing.service,
    env: env ?? '',
  });
}

export function setVariableText(o: SetVariableOutcome): string {
  const what = o.groupCreated ? `created the variable group ${esc(o.group, 130)} with ${esc(o.name, 130)}` : o.variableCreated ? `added ${esc(o.name, 130)} to ${esc(o.group, 130)}` : o.changed ? `changed ${esc(o.name, 130)} in ${esc(o.group, 130)}` : `${esc(o.name, 130)} in ${esc(o.group, 130)} already had that value; nothing changed`;
  return `Done: ${what} (${esc(o.project, 80)}). The ${esc(o.env, 20)} deployment stage reads it as $(${esc(o.name, 130)}) from its next run. Type **list variables for ${esc(o.service, 100)} in ${esc(o.env, 20)}** to see the group.`;
}
