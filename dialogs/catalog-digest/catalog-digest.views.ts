/** Digest and Fix form cards from the domain's TeamDigest and findings: every text from a descriptor or a person escaped, links only to allowed hosts. */
import { renderCatalogDigestCard, type DigestCardGroup, type DigestCardView } from '../../cards/catalog-digest.card';
import { renderCatalogFixCard, type FixCardView } from '../../cards/catalog-fix.card';
import type { AdaptiveCard } from '../../cards/render';
import { cut, escapeMarkdown, safeLink } from '../../cards/teams-markdown';
import type { ProactiveMessenger } from '../../src/bot/proactive-messenger';
import type { DigestPublisher } from '../../src/domain/catalog-digest/digest.service';
import type { DigestGroup, TeamDigest } from '../../src/domain/catalog-digest/digest.types';
import { fieldName, LIFECYCLES } from '../../src/domain/catalog-digest/fix-input';
import type { CatalogEntity } from '../../src/domain/catalog/catalog.types';
import type { FixKind, HealthFinding, HealthRuleInfo, HealthSeverity } from '../../src/domain/catalog-health/health.types';

const SEVERITY_MARK: Record<HealthSeverity, string> = { error: '🔴', warning: '🟠', info: '🔵' };
const MAX_FIXED_LISTED = 10;
const DETAIL_CHARS = 160;

const day = (d: Date) => d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** `payments-api`, `other/payments-api` outside the default namespace, with the kind unless a Component. */
export function entityLabel(ref: string): string {
  const m = /^([^:]+):([^/]+)\/(.+)$/.exec(ref);
  if (!m) return ref;
  const [, kind, namespace, name] = m;
  return `${namespace === 'default' ? '' : `${namespace}/`}${name}${kind === 'component' ? '' : ` (${kind})`}`;
}

function groupView(g: DigestGroup, linkHosts: readonly string[]): DigestCardGroup {
  return {
    heading: `${SEVERITY_MARK[g.severity]} **${escapeMarkdown(g.title)}** · ${g.count} failing${g.newCount ? ` (${g.newCount} new)` : ''}`,
    hint: escapeMarkdown(g.fixHint || 'See the rule in the catalog docs.'),
    items: g.items.map((i) => ({
      ref: i.ref,
      rule: g.ruleId,
      text: `**${escapeMarkdown(entityLabel(i.ref))}**${i.isNew ? ' · new' : ''} · ${escapeMarkdown(cut(i.detail, DETAIL_CHARS))}`,
      ...(g.fix ? { fixTitle: i.fix ? 'Fix again' : 'Fix' } : {}),
      ...(i.fix ? { prText: `Pull request ${safeLink(`#${i.fix.pullRequestId}`, i.fix.url, linkHosts)} opened by ${escapeMarkdown(i.fix.by.name)}` } : {}),
    })),
    hidden: g.hidden,
  };
}

export interface DigestStatus {
  text: string;
  color: 'Good' | 'Attention' | 'Default';
}

export function digestCardView(d: TeamDigest, linkHosts: readonly string[], status?: DigestStatus): DigestCardView {
  const team = escapeMarkdown(d.teamName);
  const changes = d.previousRunAt
    ? `Since ${day(d.previousRunAt)}: ${d.newCount} new, ${d.fixed.length} fixed.`
    : 'The first digest: nothing to compare with yet.';
  const fixedNames = d.fixed.slice(0, MAX_FIXED_LISTED).map((f) => `${escapeMarkdown(entityLabel(f.ref))} (${escapeMarkdown(f.title)})`);
  const fixedMore = d.fixed.length - fixedNames.length;
  return {
    team: d.team,
    heading: d.failing ? `Catalog health for ${team}: ${plural(d.failing, 'failing check')}` : `Catalog health for ${team}: all good`,
    subheading: [`Health run of ${day(d.runAt)}`, `${plural(d.entityCount, 'entity', 'entities')} checked`, ...(d.waived ? [`${d.waived} snoozed or not applicable`] : [])].join(' · '),
    ...(status ? { status } : {}),
    changes,
    ...(d.failing ? {} : { allGood: `Nothing failing across ${plural(d.entityCount, 'entity', 'entities')}. ✅` }),
    groups: d.groups.map((g) => groupView(g, linkHosts)),
    ...(fixedNames.length ? { fixed: `✅ Fixed since last week: ${fixedNames.join(', ')}${fixedMore > 0 ? `, and ${fixedMore} more` : ''}` } : {}),
  };
}

export const digestCard = (d: TeamDigest, linkHosts: readonly string[], status?: DigestStatus): AdaptiveCard => renderCatalogDigestCard(digestCardView(d, linkHosts, status));

/** The domain's DigestPublisher: the card, sent through the conversation's stored reference. */
export function digestPublisher(messenger: Pick<ProactiveMessenger, 'sendCard'>, linkHosts: readonly string[]): DigestPublisher {
  return { publish: (to, digest) => messenger.sendCard(to.reference, digestCard(digest, linkHosts)) };
}

const INPUTS: Record<Exclude<FixKind, 'lifecycle'>, { label: string; placeholder: string }> = {
  owner: { label: 'Owner: a group (or user) in the catalog', placeholder: 'group:default/team-payments' },
  contact: { label: "Contact: the team's Teams channel link, or its email", placeholder: 'https://teams.microsoft.com/l/channel/... or team@contoso.com' },
  runbook: { label: 'Runbook URL (https)', placeholder: 'https://runbooks.contoso.com/payments-api' },
  dashboard: { label: 'Dashboard URL (https)', placeholder: 'https://grafana.contoso.com/d/payments-api' },
  'on-call': { label: 'On-call rotation: its schedule name or https URL', placeholder: 'payments-primary' },
};

interface FormContext {
  team: string;
  entity: CatalogEntity;
  finding: HealthFinding;
  rule: HealthRuleInfo;
}

const base = (c: FormContext) => ({
  team: c.team,
  ref: c.entity.ref,
  rule: c.rule.id,
  subheading: escapeMarkdown(`${entityLabel(c.entity.ref)}${c.entity.title ? ` · ${c.entity.title}` : ''}`),
  detail: escapeMarkdown(cut(c.finding.detail, 300)),
  ...(c.rule.fixHint ? { hint: escapeMarkdown(c.rule.fixHint) } : {}),
});

export function fixFormCard(c: FormContext, kind: FixKind): AdaptiveCard {
  const input: Extract<FixCardView, { mode: 'fix' }>['input'] =
    kind === 'lifecycle'
      ? { label: 'Lifecycle', choices: LIFECYCLES.map((l) => ({ title: l, value: l })), error: 'Pick a lifecycle.' }
      : { ...INPUTS[kind], error: `The ${fieldName(kind)} is required.` };
  return renderCatalogFixCard({ ...base(c), mode: 'fix', heading: `Fix: ${escapeMarkdown(c.rule.title)}`, input });
}

export function notApplicableCard(c: FormContext): AdaptiveCard {
  return renderCatalogFixCard({ ...base(c), mode: 'not-applicable', heading: `Not applicable: ${escapeMarkdown(c.rule.title)}` });
}

export function byHandCard(c: FormContext, location: string, snippet: string): AdaptiveCard {
  return renderCatalogFixCard({
    ...base(c),
    mode: 'by-hand',
    heading: `Fix by hand: ${escapeMarkdown(c.rule.title)}`,
    intro: `${escapeMarkdown(entityLabel(c.entity.ref))} was not imported from an Azure DevOps repository (${escapeMarkdown(cut(location, 120))}), so I cannot open a pull request. Add this to its catalog-info.yaml; the catalog shows it after the next import:`,
    snippet: escapeMarkdown(snippet.trimEnd()),
  });
}
