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
import { renderEntityCard, type EntityCardView } from '../../cards/entity.card';
import type { OwnsView } from '../../cards/owned-list';
import { renderOwnershipCard, type OwnershipView } from '../../cards/ownership.card';
import { renderOwnedCard, renderRelationsCard } from '../../cards/relations.card';
import type { AdaptiveCard } from '../../cards/render';
import { renderTeamCard, type TeamView } from '../../cards/team.card';
import { allowedUrl, cut, escapeMarkdown, quoted, safeLink } from '../../cards/teams-markdown';
import { renderUserCard, type UserView } from '../../cards/user.card';
import type { AskIntent } from '../../src/domain/catalog/ask-phrases';
import type { EntityView } from '../../src/domain/catalog/catalog-entry';
import {
  named, type CandidateEntity, type CatalogAnswer, type NamedRef, type NotFound, type OwnedAnswer, type OwnedSummary, type OwnershipAnswer,
  type RelatedEntity, type RelationsAnswer, type TeamAnswer, type UserAnswer,
} from '../../src/domain/catalog/catalog-query.service';
import { isKnownKind } from '../../src/domain/catalog/catalog.types';

type Found = Extract<OwnershipAnswer, { kind: 'found' }>;

/** Teams itself: channel links and chat deep links open in the client the card is shown in. */
const TEAMS_HOSTS = ['teams.microsoft.com'];

/** Longest text shown per field (characters of the original): a descriptor can hold anything. */
const MAX_CHARS = { description: 1000, title: 200, text: 120 };

/** Outside text for a markdown TextBlock or FactSet: cut, then escaped. */
const md = (text: string, max = MAX_CHARS.text): string => escapeMarkdown(cut(text, max));
const mdOpt = (text: string | undefined, max = MAX_CHARS.text): string | undefined => (text === undefined ? undefined : md(text, max));

/** An owner address written where a ref's name goes (`owner: jane@contoso.com`): reachable by mail and chat. */
const EMAIL = /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i;

/** `name`, or `namespace/name` outside the default namespace (as Backstage writes a ref), escaped. */
const refName = (r: Pick<NamedRef, 'namespace' | 'name'>): string => md(r.namespace === 'default' ? r.name : `${r.namespace}/${r.name}`);
/** The namespace to show: only when it is not `default`. */
const namespaceOf = (ref: string): string | undefined => {
  const ns = named(ref).namespace;
  return ns === 'default' ? undefined : md(ns);
};
/** A related entity's name as a card lists it: its namespace too when not `default`. */
const relatedName = (r: RelatedEntity): string => refName({ namespace: named(r.ref).namespace, name: r.name });

/** The Owner shown: the catalog's Group/User, else the owner as the descriptor wrote it, with its kind and "not in the catalog". */
function ownerOf(owner: EntityView | undefined, declared: NamedRef | undefined, hosts: readonly string[]): OwnershipView['owner'] {
  if (owner) {
    const email = owner.profile?.email ?? owner.contacts.email;
    const parts = { ...named(owner.ref), name: owner.name }; // the name as its descriptor spells it (refs are lower case)
    const shownName = owner.displayName ?? owner.title;
    // Outside `default` the ref is added to a display name: two "Guest"s are told apart.
    const displayName = shownName !== undefined && parts.namespace !== 'default' ? `${md(shownName)} (${refName(parts)})` : mdOpt(shownName);
    return { name: refName(parts), displayName, email: mdOpt(email), teamsChannelUrl: owner.contacts.teamsChannelUrl === undefined ? undefined : allowedUrl(owner.contacts.teamsChannelUrl, hosts) };
  }
  if (!declared) return undefined;
  return { name: refName(declared), kind: md(declared.kind), inCatalog: false };
}

/** An owner's own address: its profile or contact email, or (not in the catalog) a name that is one. */
function ownerEmail(owner: EntityView | undefined, declared: NamedRef | undefined): string | undefined {
  if (owner) return owner.profile?.email ?? owner.contacts.email;
  return declared && EMAIL.test(declared.name) ? declared.name : undefined;
}

/** An API's definition, as its card says it: a link to a URL on an allowed host, or where it was read from. */
function definitionText(entity: EntityView, hosts: readonly string[]): string | undefined {
  if (entity.kind !== 'API') return undefined;
  const d = entity.definition;
  if (!d) return 'none recorded';
  if (d.source === 'url') return d.target ? `${safeLink('linked definition', d.target, hosts)} (${md(d.target, 200)})` : 'linked (no URL recorded)';
  const size = d.bytes !== undefined ? `, ${d.bytes} bytes` : '';
  return d.source === 'file' ? `in its repository: ${md(d.target ?? 'a file', 200)} (read at import${size})` : `written inline in its catalog-info.yaml${size}`;
}

/**
 * The ownership card's view: text escaped for Teams markdown, URLs only to `allowedLinkHosts`
 * (or a sub-domain) and Teams: a link to another host is left out (its title stays, as text).
 */
export function ownershipView(answer: Found, allowedLinkHosts: readonly string[]): OwnershipView {
  const hosts = [...TEAMS_HOSTS, ...allowedLinkHosts];
  const { entity, owner, onCallNow } = answer;
  const current = onCallNow?.current;
  const escalation = onCallNow?.escalation ?? [];
  const email = ownerEmail(owner, answer.declaredOwner);
  const url = (u: string | undefined) => (u === undefined ? undefined : allowedUrl(u, hosts));
  const rotation = mdOpt(onCallNow?.rotation);
  return {
    name: md(entity.name),
    title: mdOpt(entity.title, MAX_CHARS.title),
    kind: entity.kind,
    type: mdOpt(entity.type),
    description: mdOpt(entity.description, MAX_CHARS.description),
    owner: ownerOf(owner, answer.declaredOwner, hosts),
    namespace: namespaceOf(entity.ref),
    definition: definitionText(entity, hosts),
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
    dependencies: answer.dependencies.map((d) => ({ name: relatedName(d), ownerName: mdOpt(d.ownerName) })),
    dependents: answer.dependents.map((d) => ({ name: relatedName(d), ownerName: mdOpt(d.ownerName) })),
    apis: {
      provides: answer.apis.provides.map(relatedName),
      consumes: answer.apis.consumes.map(relatedName),
    },
    links: entity.links.map((l) => ({ title: md(l.title, MAX_CHARS.title), url: url(l.url), type: l.type })),
    // Put into a Teams deep link's query (encoded there), never into markdown.
    chatEmails: [current?.email, ...escalation.map((e) => e.email), email].filter((e): e is string => Boolean(e)),
    matchedBy: md(answer.matchedBy),
  };
}

/**
 * A "did you mean" button: title (name), its namespace when not `default` (two `guest` Users are
 * told apart), its kind and its owner. Button titles are plain text, not markdown: not escaped.
 */
export function candidateLabel(c: CandidateEntity): string {
  const ns = named(c.ref).namespace;
  const name = ns === 'default' ? c.name : `${ns}/${c.name}`;
  const shown = c.title && c.title !== c.name ? `${cut(c.title, 60)} (${name})` : name;
  return [shown, c.kind, c.ownerName].filter(Boolean).join(' · ');
}

const SEARCH_HINT = 'Try "search <words>" with part of a name, a repository, a dashboard URL or a secret name.';

function notFoundCard(answer: NotFound, intent: AskIntent): AdaptiveCard {
  if (answer.kind === 'ambiguous') {
    const [only] = answer.candidates;
    return renderCatalogChoicesCard({
      // One candidate is a question about it, not a choice among "several".
      heading: answer.candidates.length === 1
        ? `I could not find "${quoted(answer.text)}" exactly. Did you mean ${quoted(candidateLabel(only), 120)}?`
        : `"${quoted(answer.text)}" matches several entries in the catalog. Which one did you mean?`,
      intent,
      choices: answer.candidates.map((c) => ({ ref: c.ref, label: candidateLabel(c) })),
    });
  }
  const [only] = answer.suggestions;
  return renderCatalogChoicesCard({
    heading: answer.suggestions.length === 1
      ? `I could not find "${quoted(answer.text)}" in the service catalog. Did you mean ${quoted(candidateLabel(only), 120)}?`
      : `I could not find "${quoted(answer.text)}" in the service catalog.`,
    hint: answer.suggestions.length > 1 ? `The closest entries are below. Or ${SEARCH_HINT.charAt(0).toLowerCase()}${SEARCH_HINT.slice(1)}` : SEARCH_HINT,
    intent,
    choices: answer.suggestions.map((c) => ({ ref: c.ref, label: candidateLabel(c) })),
  });
}

const ownsView = (owns: OwnedSummary): OwnsView => ({
  total: owns.total,
  byKind: owns.byKind.map((k) => ({ kind: md(k.kind), count: k.count })),
  items: owns.items.map((i) => ({ name: relatedName(i), kind: md(i.kind ?? named(i.ref).kind) })),
});

/** The team card's view (a Group): escaped text, links only to allowed hosts. */
export function teamView(answer: TeamAnswer, allowedLinkHosts: readonly string[]): TeamView {
  const hosts = [...TEAMS_HOSTS, ...allowedLinkHosts];
  const { entity, onCallNow } = answer;
  const current = onCallNow?.current;
  const rotation = mdOpt(onCallNow?.rotation);
  const email = entity.profile?.email ?? entity.contacts.email;
  // A member's address: their User entity's profile, or a member written as an address.
  const memberEmail = (m: RelatedEntity) => m.email ?? (EMAIL.test(m.name) ? m.name : undefined);
  const memberEmails = answer.members.map(memberEmail).filter((e): e is string => Boolean(e));
  return {
    ref: entity.ref,
    name: md(entity.name),
    title: mdOpt(entity.title ?? entity.displayName, MAX_CHARS.title),
    type: mdOpt(entity.type),
    namespace: namespaceOf(entity.ref),
    description: mdOpt(entity.description, MAX_CHARS.description),
    email: mdOpt(email),
    teamsChannelUrl: entity.contacts.teamsChannelUrl === undefined ? undefined : allowedUrl(entity.contacts.teamsChannelUrl, hosts),
    parent: answer.parent ? relatedName(answer.parent) : undefined,
    children: answer.children.map(relatedName),
    members: answer.members.map((m) => ({ name: m.title ? `${md(m.title)} (${relatedName(m)})` : relatedName(m), email: mdOpt(memberEmail(m)) })),
    onCall: current
      ? { name: `${md(current.name)}${onCallNow?.stale ? ' (shift ended: may be out of date)' : ''}`, email: mdOpt(current.email), until: current.until, rotation }
      : rotation ? { name: `see rotation ${rotation}`, rotation } : undefined,
    escalation: (onCallNow?.escalation ?? []).map((e) => ({ level: e.level, name: md(e.name), email: mdOpt(e.email) })),
    owns: ownsView(answer.owns),
    chatEmails: memberEmails.length ? memberEmails : [current?.email, email].filter((e): e is string => Boolean(e)),
    matchedBy: md(answer.matchedBy),
  };
}

/** The user card's view (a User). */
export function userView(answer: UserAnswer): UserView {
  const { entity } = answer;
  const email = entity.profile?.email ?? entity.contacts.email;
  return {
    ref: entity.ref,
    name: md(entity.name),
    displayName: mdOpt(entity.displayName ?? entity.title, MAX_CHARS.title),
    namespace: namespaceOf(entity.ref),
    email: mdOpt(email),
    groups: answer.groups.map((g) => ({ ref: g.ref, name: relatedName(g) })),
    owns: ownsView(answer.owns),
    groupsOwn: answer.groupsOwn.map(({ group, owns }) => ({ group: { ref: group.ref, name: relatedName(group) }, owns: ownsView(owns) })),
    chatEmail: email,
    matchedBy: md(answer.matchedBy),
  };
}

/** The generic card's view: a kind with no card of its own (Template, plugins' kinds). */
export function entityCardView(answer: Found, allowedLinkHosts: readonly string[]): EntityCardView {
  const hosts = [...TEAMS_HOSTS, ...allowedLinkHosts];
  const { entity, owner } = answer;
  const email = ownerEmail(owner, answer.declaredOwner);
  return {
    name: md(entity.name),
    title: mdOpt(entity.title, MAX_CHARS.title),
    kind: md(entity.kind),
    namespace: namespaceOf(entity.ref),
    type: mdOpt(entity.type),
    lifecycle: mdOpt(entity.lifecycle),
    description: mdOpt(entity.description, MAX_CHARS.description),
    owner: ownerOf(owner, answer.declaredOwner, hosts),
    system: answer.system ? relatedName(answer.system) : entity.system ? refName(named(entity.system)) : undefined,
    tags: entity.tags.map((t) => md(t)),
    links: entity.links.map((l) => ({ title: md(l.title, MAX_CHARS.title), url: allowedUrl(l.url, hosts) })),
    chatEmails: email ? [email] : [],
    matchedBy: md(answer.matchedBy),
  };
}

function ownedCard(answer: OwnedAnswer): AdaptiveCard {
  return renderOwnedCard({ name: refName(answer.owner), kind: md(answer.owner.kind), ref: answer.entity?.ref, owns: ownsView(answer.owns) });
}

function relationsCard(answer: Extract<RelationsAnswer, { kind: 'found' }>): AdaptiveCard {
  const declared = answer.entity.owner ? named(answer.entity.owner) : undefined;
  return renderRelationsCard({
    name: md(answer.entity.name),
    ref: answer.entity.ref,
    ownerName: answer.owner ? md(answer.owner.displayName ?? answer.owner.title ?? answer.owner.name) : declared ? `${refName(declared)} (${md(declared.kind)}, not in the catalog)` : undefined,
    direction: answer.direction,
    items: answer.items.map((i) => ({ ref: i.ref, name: relatedName(i), ownerName: mdOpt(i.ownerName), known: i.kind !== undefined })),
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
    case 'members':
    case 'owned': {
      const answer = result.answer;
      switch (answer.kind) {
        case 'team': return renderTeamCard(teamView(answer, allowedLinkHosts));
        case 'user': return renderUserCard(userView(answer));
        case 'owned': return ownedCard(answer);
        case 'found': return entityCard(answer, allowedLinkHosts);
        default: return notFoundCard(answer, result.intent);
      }
    }
    case 'dependencies':
    case 'dependents':
      return result.answer.kind === 'found' ? relationsCard(result.answer) : notFoundCard(result.answer, result.intent);
  }
}

/** The ownership card for the kinds it was made for; the generic card for the others (Template, plugins' kinds). */
function entityCard(answer: Found, allowedLinkHosts: readonly string[]): AdaptiveCard {
  return isKnownKind(answer.entity.kind) ? renderOwnershipCard(ownershipView(answer, allowedLinkHosts)) : renderEntityCard(entityCardView(answer, allowedLinkHosts));
}
