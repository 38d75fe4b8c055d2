import { readdirSync } from 'node:fs';
import path from 'node:path';
import * as AC from 'adaptivecards';
import { renderHelpCard } from '../../cards/help.card';
import { allCardVerbs } from '../helpers/card-verbs';
import { CARD_FIXTURES, cardNameOf } from '../fixtures/card-fixtures';

// Every card, rendered, through the official Adaptive Cards parser: what Teams would refuse or
// silently drop shows up here instead of in a chat.
const CARDS_DIR = path.join(__dirname, '..', '..', 'cards');
const MAX_VERSION = '1.5'; // Teams renders up to 1.5 on every client.
const MAX_BYTES = 28 * 1024; // Teams refuses a message over ~28 KB.

interface Problem {
  phase: 'parse' | 'validate';
  event: string;
  message: string;
}

/** Parses with the card's own declared version as the target, so newer elements count as unknown. */
function parseCard(json: object): { card: AC.AdaptiveCard; problems: Problem[] } {
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

/** Every Action.Execute verb in a card, wherever it sits (actions, ActionSets, refresh, selectAction). */
function executeVerbs(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => executeVerbs(n, found));
  else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (record.type === 'Action.Execute') found.push(String(record.verb));
    Object.values(record).forEach((v) => executeVerbs(v, found));
  }
  return found;
}

describe('card fixtures', () => {
  it('cover every cards/*.card.json, and name only cards that exist', () => {
    const templates = readdirSync(CARDS_DIR).filter((f) => f.endsWith('.card.json')).map((f) => f.replace(/\.card\.json$/, ''));
    const covered = new Set(CARD_FIXTURES.map(cardNameOf));

    expect(templates.filter((t) => !covered.has(t))).toEqual([]);
    expect([...covered].filter((c) => !templates.includes(c))).toEqual([]);
  });

  it('have unique names', () => {
    const names = CARD_FIXTURES.map((f) => f.name);
    expect(names.length).toBe(new Set(names).size);
  });
});

describe.each(CARD_FIXTURES.map((f) => [f.name, f] as const))('card %s', (_name, fixture) => {
  const json = fixture.render();
  const text = JSON.stringify(json);

  it('parses with no errors, unknown elements or actions, and passes validateProperties', () => {
    const { problems } = parseCard(json);
    expect(problems).toEqual([]);
  });

  it('leaves no unresolved ${...} binding', () => {
    expect(text.match(/\$\{[^}]*\}?/g) ?? []).toEqual([]);
  });

  it(`declares version <= ${MAX_VERSION}`, () => {
    expect(json.type).toBe('AdaptiveCard');
    const context = new AC.SerializationContext();
    const version = AC.Version.parse(json.version, context);
    expect(version?.isValid).toBe(true);
    expect(version!.compareTo(AC.Version.parse(MAX_VERSION, context)!)).toBeLessThanOrEqual(0);
  });

  it(`serializes under ${MAX_BYTES / 1024} KB`, () => {
    expect(Buffer.byteLength(text, 'utf8')).toBeLessThan(MAX_BYTES);
  });

  it('uses only Action.Execute verbs the card-action router knows', () => {
    const known = allCardVerbs();
    expect(executeVerbs(json).filter((v) => !known.includes(v))).toEqual([]);
  });
});

describe('the parser used above', () => {
  // Guards the guard: if the parser stopped reporting these, every card test would pass vacuously.
  it('reports unknown elements and actions, invalid values and elements newer than the declared version', () => {
    const { problems } = parseCard({
      type: 'AdaptiveCard',
      version: '1.2',
      body: [{ type: 'Bogus' }, { type: 'TextBlock', text: 'x', size: 'Huge' }, { type: 'Table', columns: [], rows: [] }],
      actions: [{ type: 'Action.Nope', title: 'x' }],
    });
    expect(problems.map((p) => p.event)).toEqual(
      expect.arrayContaining(['UnknownElementType', 'UnknownActionType', 'InvalidPropertyValue']),
    );
    expect(problems.filter((p) => p.event === 'UnknownElementType')).toHaveLength(2); // Bogus, and Table (1.5) in a 1.2 card
  });

  it('leaves a binding with no data as "${...}" text, which the check above catches', () => {
    const card = renderHelpCard({ intro: 'x', commands: [] } as never);
    expect(JSON.stringify(card)).toContain('${actions[0].title}');
  });

  it('reports inputs without labels and duplicate ids through validateProperties', () => {
    const { problems } = parseCard({
      type: 'AdaptiveCard',
      version: '1.5',
      body: [
        { type: 'Input.Text', id: 'a', isRequired: true },
        { type: 'Input.Text', id: 'a', label: 'A' },
      ],
    });
    expect(problems.map((p) => p.event)).toEqual(expect.arrayContaining(['RequiredInputsShouldHaveLabel', 'DuplicateId']));
  });
});
