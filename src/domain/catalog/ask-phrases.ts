/**
 * The ways people ask the catalog in chat, mapped to an intent and the thing asked about. The bot
 * strips @mentions first; this strips what chat wraps around the subject (quotes, backticks,
 * Teams' <url> and <a href> links, trailing punctuation, a leading "the").
 */
import { cleanSubject } from './catalog-matcher';

export type AskIntent = 'owner' | 'oncall' | 'dependencies' | 'dependents' | 'members' | 'owned';

export const ASK_INTENTS: readonly AskIntent[] = ['owner', 'oncall', 'dependencies', 'dependents', 'members', 'owned'];

export interface OwnershipQuestion {
  intent: AskIntent;
  subject: string;
}

const ONCALL = String.raw`on[- ]?call`;
const WHO_IS = String.raw`who(?:'s|’s|\s+is|\s+are|s)?`;
/** "X owner" style: X must not be the start of an unfinished question ("who is the owner"). */
const NOT_A_QUESTION = String.raw`(?!(?:who|what|whose|which)\b)`;

/** What a team's things are called when people ask for them ("team-a's services"). */
const THINGS = String.raw`(?:services|components|apis|systems|resources|entities|things|stuff|repos|repositories)`;

/** Checked in order: the first pattern that matches wins ("who depends on X" before "who ... X"). */
const PATTERNS: [AskIntent, RegExp][] = [
  ['owner', /^who(?:'s|’s|\s+is|\s+are)\s+in\s+charge\s+of\s+(.+)$/i],
  ['members', /^who(?:'s|’s|\s+is|\s+are)\s+(?:in|on)\s+(?!call\b)(.+)$/i],
  ['members', /^(?:who\s+(?:is|are)\s+)?(?:the\s+)?members?\s+(?:of|in)\s+(.+)$/i],
  ['members', /^who\s+(?:belongs?\s+to|works?\s+(?:in|for))\s+(.+)$/i],
  ['members', new RegExp(String.raw`^${NOT_A_QUESTION}(.+?)(?:'s|’s)?\s+(?:members|people)$`, 'i')],
  ['owned', new RegExp(String.raw`^what(?:\s+${THINGS}|\s+else)?\s+(?:does|do)\s+(.+?)\s+(?:own|maintain|run)$`, 'i')],
  ['owned', /^what(?:'s|’s|\s+is|\s+are)\s+(?:owned|maintained|run)\s+by\s+(.+)$/i],
  ['owned', new RegExp(String.raw`^(?:(?:list|show)(?:\s+me)?\s+)?(?:everything|all|${THINGS})\s+(?:owned|maintained|run)\s+by\s+(.+)$`, 'i')],
  ['owned', new RegExp(String.raw`^(?:what\s+are\s+|(?:list|show)(?:\s+me)?\s+)?${NOT_A_QUESTION}(.+?)(?:'s|’s)\s+${THINGS}$`, 'i')],
  ['oncall', new RegExp(String.raw`^${WHO_IS}\s+(?:the\s+)?${ONCALL}(?:\s+(?:person|engineer))?\s+(?:for|on|at|of)\s+(.+)$`, 'i')],
  ['oncall', new RegExp(String.raw`^${WHO_IS}\s+(?:the\s+)?${ONCALL}(?:\s+(?:person|engineer))?\s+(.+)$`, 'i')],
  ['oncall', new RegExp(String.raw`^${ONCALL}(?:\s+(?:for|of))?\s+(.+)$`, 'i')],
  ['oncall', new RegExp(String.raw`^${NOT_A_QUESTION}(.+?)(?:'s|’s)?\s+${ONCALL}$`, 'i')],
  ['dependents', /^(?:who|what|which\s+\w+)\s+(?:depends?|relies|rely)\s+on\s+(.+)$/i],
  ['dependents', /^(?:who|what|which\s+\w+)\s+(?:uses?|calls?|consumes?|needs?)\s+(.+)$/i],
  ['dependents', /^(?:dependents|consumers|callers|users)\s+of\s+(.+)$/i],
  ['dependents', new RegExp(String.raw`^${NOT_A_QUESTION}(.+?)(?:'s|’s)?\s+(?:dependents|consumers|callers)$`, 'i')],
  ['dependencies', /^what\s+(?:does|do|is|are)\s+(.+?)\s+(?:depend(?:s|ing)?\s+on|use|call|need)$/i],
  ['dependencies', /^what\s+(.+?)\s+depends\s+on$/i],
  ['dependencies', /^(?:dependencies|deps)\s+(?:of|for)\s+(.+)$/i],
  ['dependencies', new RegExp(String.raw`^${NOT_A_QUESTION}(.+?)(?:'s|’s)?\s+(?:dependencies|deps)$`, 'i')],
  ['owner', /^(?:who|which\s+team|what\s+team)\s+(?:owns?|maintains?|runs|is\s+responsible\s+for)\s+(.+)$/i],
  ['owner', /^(?:who(?:'s|’s|\s+is|\s+are)\s+)?(?:the\s+)?owners?\s+(?:of|for)\s+(.+)$/i],
  ['owner', /^whose\s+(?:is\s+|are\s+)?(.+)$/i],
  ['owner', new RegExp(String.raw`^${NOT_A_QUESTION}(.+?)(?:'s|’s)?\s+owners?$`, 'i')],
];

export function parseOwnershipQuestion(text: string): OwnershipQuestion | null {
  const question = unwrapLinks(text).replace(/\s+/g, ' ').trim().replace(/[\s?!.]+$/, '');
  for (const [intent, pattern] of PATTERNS) {
    const m = pattern.exec(question);
    if (!m) continue;
    const subject = cleanSubject(m[1]).replace(/^(?:the|a|an)\s+/i, '').trim();
    if (subject) return { intent, subject: cleanSubject(subject) };
  }
  return null;
}

/** Teams sends a pasted link as <https://...> or as an <a href="...">...</a> element: keep the URL. */
function unwrapLinks(text: string): string {
  return text
    .replace(/<a\s[^>]*href=["']([^"']+)["'][^>]*>.*?<\/a>/gi, '$1')
    .replace(/<((?:https?|mailto):[^<>|\s]+)(?:\|[^<>]*)?>/gi, '$1');
}
