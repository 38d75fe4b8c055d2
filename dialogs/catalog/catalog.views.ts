/**
 * Turns catalog answers (domain) into cards (presentation). One place decides what the on-call
 * engineer sees: the ownership card for a clear answer, "did you mean" for an unclear one,
 * "nothing close" with suggestions, and the dependency lists.
 */
import { renderCatalogChoicesCard } from '../../cards/catalog-choices.card';
import { renderOwnershipCard, type OwnershipView } from '../../cards/ownership.card';
import { renderRelationsCard } from '../../cards/relations.card';
import type { AdaptiveCard } from '../../cards/render';
import type { AskIntent } from '../../src/domain/catalog/ask-phrases';
import type { CatalogAnswer, NotFound, OwnershipAnswer, RelationsAnswer } from '../../src/domain/catalog/catalog-query.service';

type Found = Extract<OwnershipAnswer, { kind: 'found' }>;

export function ownershipView(answer: Found): OwnershipView {
  const { entity, owner, onCallNow } = answer;
  const current = onCallNow?.current;
  const escalation = onCallNow?.escalation ?? [];
  const ownerEmail = owner?.profile?.email ?? owner?.contacts.email;
  return {
    name: entity.name,
    title: entity.title,
    kind: entity.kind,
    type: entity.type,
    description: entity.description,
    owner: owner
      ? { name: owner.name, displayName: owner.displayName ?? owner.title, email: ownerEmail, teamsChannelUrl: owner.contacts.teamsChannelUrl }
      : undefined,
    onCall: current
      ? { name: onCallNow?.stale ? `${current.name} (shift ended: may be out of date)` : current.name, email: current.email, until: current.until, rotation: onCallNow?.rotation }
      : onCallNow?.rotation
        ? { name: `see rotation ${onCallNow.rotation}`, rotation: onCallNow.rotation }
        : undefined,
    escalation,
    tier: entity.tier,
    lifecycle: entity.lifecycle,
    contactEmail: entity.contacts.email,
    deployments: entity.deployments,
    dependencies: answer.dependencies.map((d) => ({ name: d.name, ownerName: d.ownerName })),
    dependents: answer.dependents.map((d) => ({ name: d.name, ownerName: d.ownerName })),
    apis: {
      provides: answer.apis.provides.map((a) => a.name),
      consumes: answer.apis.consumes.map((a) => a.name),
    },
    links: entity.links,
    chatEmails: [current?.email, ...escalation.map((e) => e.email), ownerEmail].filter((e): e is string => Boolean(e)),
    matchedBy: answer.matchedBy,
  };
}

export function notFoundCard(answer: NotFound, intent: AskIntent): AdaptiveCard {
  if (answer.kind === 'ambiguous') {
    return renderCatalogChoicesCard({
      heading: `"${answer.text}" matches several entries in the catalog. Which one did you mean?`,
      intent,
      choices: answer.candidates.map((c) => ({ ref: c.ref, label: `${c.title && c.title !== c.name ? `${c.title} (${c.name})` : c.name}${c.ownerName ? ` · ${c.ownerName}` : ''}` })),
    });
  }
  return renderCatalogChoicesCard({
    heading: `I could not find "${answer.text}" in the service catalog.`,
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
    ownerName: answer.owner?.displayName ?? answer.owner?.name,
    direction: answer.direction,
    items: answer.items.map((i) => ({ ref: i.ref, name: i.name, ownerName: i.ownerName, known: i.kind !== undefined })),
  });
}

/** The card for any catalog answer. */
export function catalogAnswerCard(result: CatalogAnswer): AdaptiveCard {
  switch (result.intent) {
    case 'owner':
    case 'oncall':
      return result.answer.kind === 'found' ? renderOwnershipCard(ownershipView(result.answer)) : notFoundCard(result.answer, result.intent);
    case 'dependencies':
    case 'dependents':
      return result.answer.kind === 'found' ? relationsCard(result.answer) : notFoundCard(result.answer, result.intent);
  }
}
