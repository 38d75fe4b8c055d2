/** The official Adaptive Cards parser over a rendered card: every problem it reports, parse and validation. */
import * as AC from 'adaptivecards';

export interface Problem {
  phase: 'parse' | 'validate';
  event: string;
  message: string;
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
  return { card, problems };
}

