/** The official Adaptive Cards parser over a rendered card: every problem it reports, parse and validation. */
import * as AC from 'adaptivecards';

export interface Problem {
  phase: 'parse' | 'validate';
  event: string;
  message: string;
}

/** Input.ChoiceSets using Teams' dynamic typeahead (`choices.data`), and how many of them have no static choice. */
function dynamicChoiceSets(node: unknown, found = { all: 0, empty: 0 }): { all: number; empty: number } {
  if (Array.isArray(node)) node.forEach((n) => dynamicChoiceSets(n, found));
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o.type === 'Input.ChoiceSet' && o['choices.data']) {
      found.all++;
      if (!Array.isArray(o.choices) || o.choices.length === 0) found.empty++;
    }
    Object.values(o).forEach((v) => dynamicChoiceSets(v, found));
  }
  return found;
}

/**
 * Teams renders `choices.data` (dynamic typeahead, filled by `application/search`) in 1.5 cards,
 * where the official parser knows it only from 1.6 and wants a static choice: exactly those
 * reports, one per such ChoiceSet, are not problems.
 */
function teamsExtensions(json: object, problems: Problem[]): Problem[] {
  const dynamic = dynamicChoiceSets(json);
  let unsupported = dynamic.all;
  let empty = dynamic.empty;
  return problems.filter((p) => {
    if (p.event === 'UnsupportedProperty' && p.message.includes('"choices.data"') && unsupported > 0) return (unsupported--, false);
    if (p.event === 'CollectionCantBeEmpty' && p.message.includes('Input.ChoiceSet') && empty > 0) return (empty--, false);
    return true;
  });
}

/** Parses with the card's own declared version as the target, so newer elements count as unknown. */
export function parseCard(json: object): { card: AC.AdaptiveCard; problems: Problem[] } {
  const context = new AC.SerializationContext();
  const declared = AC.Version.parse(String((json as { version?: unknown }).version ?? ''), context);
  if (declared?.isValid) context.targetVersion = declared;
  const card = new AC.AdaptiveCard();
  card.parse(json, context);

  const problems: Problem[] = [];
  for (let i = 0; i < context.eventCount; i++) {
    const e = context.getEventAt(i);
    problems.push({ phase: 'parse', event: AC.ValidationEvent[e.event], message: e.message });
  }
  for (const e of card.validateProperties().validationEvents) {
    problems.push({ phase: 'validate', event: AC.ValidationEvent[e.event], message: e.message });
  }
  return { card, problems: teamsExtensions(json, problems) };
}

