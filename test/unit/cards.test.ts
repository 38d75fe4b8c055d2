import { readdirSync } from 'node:fs';
import path from 'node:path';
import * as AC from 'adaptivecards';
import { parseCard } from '../helpers/adaptive-card-parse';
import { renderHelpCard } from '../../cards/help.card';
import { renderOwnershipCard } from '../../cards/ownership.card';
import { ownershipView } from '../../dialogs/catalog/catalog.views';
import { allCardVerbs } from '../helpers/card-verbs';
import { ALLOWED_LINK_HOSTS, CARD_FIXTURES, cardNameOf, hostileAnswer } from '../fixtures/card-fixtures';

// Every card, rendered, through the official Adaptive Cards parser: what Teams would refuse or
// silently drop shows up here instead of in a chat.
const CARDS_DIR = path.join(__dirname, '..', '..', 'cards');
const MAX_VERSION = '1.5'; // Teams renders up to 1.5 on every client.
const MAX_BYTES = 28 * 1024; // Teams refuses a message over ~28 KB.

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

/** Every piece of a card Teams renders as markdown (TextBlock texts, FactSet titles and values), and every URL it opens. */
function shown(node: unknown, out: { markdown: string[]; facts: { title: string; value: string }[]; urls: string[] } = { markdown: [], facts: [], urls: [] }) {
  if (Array.isArray(node)) node.forEach((n) => shown(n, out));
  else if (node && typeof node === 'object') {
    const r = node as Record<string, unknown>;
    if (r.type === 'TextBlock') out.markdown.push(String(r.text));
    if (r.type === 'FactSet') for (const f of r.facts as { title: string; value: string }[]) {
      out.facts.push(f);
      out.markdown.push(f.title, f.value);
    }
    if (r.type === 'Action.OpenUrl') out.urls.push(String(r.url));
    Object.values(r).forEach((v) => shown(v, out));
  }
  return out;
}

describe('ownership card: text from outside (catalog-info.yaml, webhooks)', () => {
  const NOW = new Date('2026-11-26T02:00:00Z');
  const card = renderOwnershipCard(ownershipView(hostileAnswer, ALLOWED_LINK_HOSTS), NOW);
  const { markdown, facts, urls } = shown(card);
  const fact = (title: string) => facts.find((f) => f.title === title)?.value;
  /** A markdown link whose `[` is not escaped, to any URL containing `host`. */
  const linkTo = (host: string) => new RegExp(String.raw`(^|[^\\])\[[^\]]*\]\([^)]*${host.replace(/\./g, '\\.')}`);

  it('shows markdown and HTML as typed: escaped, never rendered', () => {
    expect(markdown[0]).toBe('\\[click\\](https\\://evil.example)'); // the heading is the title; the URL is not auto-linked
    expect(fact('On call now')).toBe('\\_\\_Bob\\_\\_ (bob@contoso.example)');
    const description = markdown.find((t) => t.includes('script'))!;
    expect(description).toContain('\\<script\\>alert(1)\\</script\\>');
    expect(description).toContain('\\*\\*really\\*\\*');
    expect(markdown.filter((t) => /(^|[^\\])<\/?(script|b|i)\b/.test(t))).toEqual([]);
    expect(fact('Owner')).toBe('\\# Team X'); // its channel is on a host nobody allowed: not linked
    expect(markdown.find((t) => t.startsWith('- **dep**'))).toBe('- **dep** (\\*\\*Owner\\*\\*)');
  });

  it('a version that starts like a numbered list stays text; a run on another host is named, not linked', () => {
    const prod = markdown.find((t) => t.includes('healthy'))!;
    expect(prod.startsWith('1\\. \\<b\\> · healthy · ')).toBe(true);
    expect(prod.endsWith(' · run')).toBe(true);
    expect(markdown.find((t) => t.includes('FAILED'))).toContain('[run](https://dev.azure.com/contoso/X/_build/results?buildId=2)');
  });

  it('the escalation is one line per person', () => {
    expect(facts.filter((f) => f.title.startsWith('Escalation'))).toEqual([
      { title: 'Escalation 1', value: '1\\. Grace (grace@contoso.example)' },
      { title: 'Escalation 2', value: '\\- Heidi \\<i\\> (heidi@contoso.example)' },
    ]);
  });

  it('links and buttons go to allowed hosts only', () => {
    expect(markdown.filter((t) => linkTo('evil.example').test(t))).toEqual([]);
    expect(urls.filter((u) => !/^https:\/\/(grafana\.contoso\.example|teams\.microsoft\.com)\//.test(u))).toEqual([]);
    expect(urls).toContain('https://grafana.contoso.example/d/innocent');
    expect(JSON.stringify(card)).not.toContain('javascript:');
    // With no allowed host, the only link left is the bot's own "chat with the owners" deep link.
    const closed = shown(renderOwnershipCard(ownershipView(hostileAnswer, []), NOW));
    expect(closed.urls.every((u) => u.startsWith('https://teams.microsoft.com/l/chat/0/0?'))).toBe(true);
    expect(closed.markdown.filter((t) => /(^|[^\\])\[[^\]]*\]\(/.test(t))).toEqual([]);
  });
});
