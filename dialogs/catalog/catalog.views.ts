/**
 * Turns catalog answers (domain) into cards (presentation). One place decides what the on-call
 * engineer sees: the ownership card for a clear answer, "did you mean" for an unclear one,
 * "nothing close" with suggestions, and the dependency lists.
 *
 * Everything in an answer was written outside the bot (catalog-info.yaml, the deployment and
 * on-call webhooks), so it reaches a card's markdown escaped and cut (cards/teams-markdown.ts), and
 * a URL becomes a link or button only when its host is Teams or one of `allowedLinkHosts`.
 */
import { renderCatalogChoicesCard } from '../../cards/catalog-choices.card';
import { renderOwnershipCard, type OwnershipView } from '../../cards/ownership.card';
import { renderRelationsCard } from '../../cards/relations.card';
import type { AdaptiveCard } from '../../cards/render';
import { allowedUrl, cut, escapeMarkdown, quoted, safeLink } from '../../cards/teams-markdown';
import type { AskIntent } from '../../src/domain/catalog/ask-phrases';
import type { CatalogAnswer, NotFound, OwnershipAnswer, RelationsAnswer } from '../../src/domain/catalog/catalog-query.service';

type Found = Extract<OwnershipAnswer, { kind: 'found' }>;

/** Teams itself: channel links and chat deep links open in the client the card is shown in. */
const TEAMS_HOSTS = ['teams.microsoft.com'];

/** Longest text shown per field (characters of the original): a descriptor can hold anything. */
const MAX_CHARS = { description: 1000, title: 200, text: 120 };

/** Outside text for a markdown TextBlock or FactSet: cut, then escaped. */
const md = (text: string, max = MAX_CHARS.text): string => escapeMarkdown(cut(text, max));
const mdOpt = (text: string | undefined, max = MAX_CHARS.text): string | undefined => (text === undefined ? undefined : md(text, max));

/**
 * The ownership card's view: text escaped for Teams markdown, URLs only to `allowedLinkHosts`
 * (or a sub-domain) and Teams: a link to another host is left out (its title stays, as text).
 */
export function ownershipView(answer: Found, allowedLinkHosts: readonly string[]): OwnershipView {
  const hosts = [...TEAMS_HOSTS, ...allowedLinkHosts];
  const { entity, owner, onCallNow } = answer;
  const current = onCallNow?.current;
  const escalation = onCallNow?.escalation ?? [];
  const ownerEmail = owner?.profile?.email ?? owner?.contacts.email;
  const url = (u: string | undefined) => (u === undefined ? undefined : allowedUrl(u, hosts));
  const rotation = mdOpt(onCallNow?.rotation);
  return {
    name: md(entity.name),
    title: mdOpt(entity.title, MAX_CHARS.title),
    kind: entity.kind,
    type: mdOpt(entity.type),
    description: mdOpt(entity.description, MAX_CHARS.description),
    owner: owner
      ? { name: md(owner.name), displayName: mdOpt(owner.displayName ?? owner.title), email: mdOpt(ownerEmail), teamsChannelUrl: url(owner.contacts.teamsChannelUrl) }
      : undefined,
    onCall: current
      ? { name: `${md(current.name)}${onCallNow?.stale ? ' (shift ended: may be out of date)' : ''}`, email: mdOpt(current.email), until: current.until, rotation }
      : rotation
        ? { name: `see rotation ${rotation}`, rotation }
        : undefined,
    escalation: escalation.map((e) => ({ level: e.level, name: md(e.name), email: mdOpt(e.email) })),
    tier: mdOpt(entity.tier),
    lifecycle: mdOpt(entity.lifecycle),
    contactEmail: mdOpt(entity.contacts.email),
    deployments: entity.deployments.map((d) => ({
      environment: md(d.environment),
      version: md(d.version),
      status: d.status,
      deployedAt: d.deployedAt,
      // A run on another host is named, not linked.
      ...(d.pipelineRunUrl ? { run: safeLink('run', d.pipelineRunUrl, hosts) } : {}),
    })),
    dependencies: answer.dependencies.map((d) => ({ name: md(d.name), ownerName: mdOpt(d.ownerName) })),
    dependents: answer.dependents.map((d) => ({ name: md(d.name), ownerName: mdOpt(d.ownerName) })),
    apis: {
      provides: answer.apis.provides.map((a) => md(a.name)),
      consumes: answer.apis.consumes.map((a) => md(a.name)),
    },
    links: entity.links.map((l) => ({ title: md(l.title, MAX_CHARS.title), url: url(l.url), type: l.type })),
    // Put into a Teams deep link's query (encoded there), never into markdown.
    chatEmails: [current?.email, ...escalation.map((e) => e.email), ownerEmail].filter((e): e is string => Boolean(e)),
    matchedBy: md(answer.matchedBy),
  };
}

function notFoundCard(answer: NotFound, intent: AskIntent): AdaptiveCard {
  if (answer.kind === 'ambiguous') {
    return renderCatalogChoicesCard({
      heading: `"${quoted(answer.text)}" matches several entries in the catalog. Which one did you mean?`,
      intent,
      choices: answer.candidates.map((c) => ({ ref: c.ref, label: `${c.title && c.title !== c.name ? `${c.title} (${c.name})` : c.name}${c.ownerName ? ` · ${c.ownerName}` : ''}` })),
    });
  }
  return renderCatalogChoicesCard({
    heading: `I could not find "${quoted(answer.text)}" in the service catalog.`,
    hint: answer.suggestions.length
      ? 'The closest entries are below. Or try "search <words>" with part of a name, a repository, a dashboard URL or a secret name.'
      : 'Try "search <words>" with part of a name, a repository, a dashboard URL or a secret name.',
    intent,
    choices: answer.suggestions.map((c) => ({ ref: c.ref, label: c.ownerName ? `${c.name} · ${c.ownerName}` : c.name })),
  });
}

function relationsCard(answer: Extract<RelationsAnswer, { kind: 'found' }>): AdaptiveCard {
  return renderRelationsCard({
    name: answer.entity.name,
    ref: answer.entity.ref,
    ownerName: mdOpt(answer.owner?.displayName ?? answer.owner?.name),
    direction: answer.direction,
    items: answer.items.map((i) => ({ ref: i.ref, name: md(i.name), ownerName: mdOpt(i.ownerName), known: i.kind !== undefined })),
  });
}

/**
 * The card for any catalog answer. `allowedLinkHosts`: the hosts its links and buttons may point
 * to besides Teams; none given, nothing else from the catalog is linked (the caller passes the configured ones).
 */
export function catalogAnswerCard(result: CatalogAnswer, allowedLinkHosts: readonly string[] = []): AdaptiveCard {
  switch (result.intent) {
    case 'owner':
    case 'oncall':
      return result.answer.kind === 'found' ? renderOwnershipCard(ownershipView(result.answer, allowedLinkHosts)) : notFoundCard(result.answer, result.intent);
    case 'dependencies':
    case 'dependents':
      return result.answer.kind === 'found' ? relationsCard(result.answer) : notFoundCard(result.answer, result.intent);
  }
}
