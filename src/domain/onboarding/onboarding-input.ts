/**
 * `onboard person=<upn> team=<team> role=<role> start=<date> buddy=<upn>` and the card form's
 * fields: what was given, and what is wrong with it in words. Looking people and teams up is the
 * request service's job; this only reads the text.
 */
import { tokenizeKeyValues } from '../requests/key-value-tokens';

export interface OnboardInput {
  person?: string;
  team?: string;
  role?: string;
  /** YYYY-MM-DD. */
  start?: string;
  buddy?: string;
}

export const ONBOARD_FIELDS = ['person', 'team', 'role', 'start', 'buddy'] as const;
export type OnboardField = (typeof ONBOARD_FIELDS)[number];

const ALIASES: Record<string, OnboardField> = {
  person: 'person',
  joiner: 'person',
  user: 'person',
  who: 'person',
  upn: 'person',
  team: 'team',
  owner: 'team',
  role: 'role',
  stack: 'role',
  start: 'start',
  startdate: 'start',
  starts: 'start',
  date: 'start',
  buddy: 'buddy',
  mentor: 'buddy',
};

const COMMAND_PREFIX = /^\s*(?:onboard|offboard)\b/i;

export function parseOnboardText(text: string): { values: OnboardInput; problems: string[] } {
  const problems: string[] = [];
  const values: OnboardInput = {};
  const bare: string[] = [];
  for (const token of tokenizeKeyValues(text.replace(COMMAND_PREFIX, ''), problems)) {
    if (token.key === undefined) {
      bare.push(token.value);
      continue;
    }
    const key = ALIASES[token.key.toLowerCase().replace(/[-_.]/g, '')];
    if (!key) {
      problems.push(`unknown key "${token.key}" (known keys: ${ONBOARD_FIELDS.join(', ')})`);
      continue;
    }
    if (values[key] !== undefined) problems.push(`${key} is given twice; the last value counts`);
    const value = token.value.trim();
    if (value) values[key] = value;
    else problems.push(`${key} has no value`);
  }
  // "offboard alice@contoso.example" / "onboard Henry Joiner": the bare words name the person.
  if (bare.length && values.person === undefined) values.person = bare.join(' ');
  else if (bare.length) problems.push(`"${bare.join(' ')}" is not a key=value pair (for example team=team-payments)`);
  return { values, problems };
}

const DAY_MS = 86_400_000;
/** How far back a start date may be (a late request for someone who started last week) and how far ahead. */
export const START_WINDOW = { pastDays: 30, futureDays: 366 } as const;

/** YYYY-MM-DD, a real date, within the window around `today`; the reason in words otherwise. */
export function checkStartDate(value: string, today: Date): { ok: true; date: string } | { ok: false; reason: string } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!m || !date || date.toISOString().slice(0, 10) !== value.trim()) return { ok: false, reason: `"${value}" is not a date written YYYY-MM-DD (for example 2027-01-04)` };
  const day = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  if (date.getTime() < day - START_WINDOW.pastDays * DAY_MS) return { ok: false, reason: `${value} is more than ${START_WINDOW.pastDays} days ago` };
  if (date.getTime() > day + START_WINDOW.futureDays * DAY_MS) return { ok: false, reason: `${value} is more than a year ahead` };
  return { ok: true, date: value.trim() };
}
