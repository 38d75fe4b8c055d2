/**
 * The one-shot `onboard` / `offboard` text and the start date: what was given (aliases, quotes,
 * bare words naming the person) and every problem in the words the requester reads.
 */
import { checkStartDate, parseOnboardText, START_WINDOW } from '../../src/domain/onboarding/onboarding-input';

const KNOWN = 'known keys: person, team, role, start, buddy';

describe('parseOnboardText', () => {
  it.each([
    ['every field by its own name', 'onboard person=henry@contoso.example team=team-payments role=backend start=2031-04-01 buddy=bob@contoso.example', { person: 'henry@contoso.example', team: 'team-payments', role: 'backend', start: '2031-04-01', buddy: 'bob@contoso.example' }],
    ['aliases: joiner, owner, stack, startdate, mentor', 'onboard joiner=henry owner=team-payments stack=frontend startdate=2031-04-01 mentor=bob', { person: 'henry', team: 'team-payments', role: 'frontend', start: '2031-04-01', buddy: 'bob' }],
    ['aliases: user, starts, and keys in any case', 'onboard USER=henry Team=team-payments STARTS=2031-04-01', { person: 'henry', team: 'team-payments', start: '2031-04-01' }],
    ['aliases: who, date', 'onboard who=henry date=2031-04-01', { person: 'henry', start: '2031-04-01' }],
    ['aliases: upn, start-date and start_date read as startdate', 'onboard upn=henry@contoso.example start-date=2031-04-01', { person: 'henry@contoso.example', start: '2031-04-01' }],
    ['start_date', 'onboard start_date=2031-04-01', { start: '2031-04-01' }],
    ['a quoted display name', 'onboard person="Henry Joiner" team=team-payments', { person: 'Henry Joiner', team: 'team-payments' }],
    ['typographic quotes, as Teams writes them', 'onboard person=\u201cHenry Joiner\u201d buddy=\u2018Bob Manager\u2019', { person: 'Henry Joiner', buddy: 'Bob Manager' }],
    ['bare words are the person', 'onboard Henry Joiner team=team-payments role=backend', { person: 'Henry Joiner', team: 'team-payments', role: 'backend' }],
    ['offboard with the person as a bare word', 'offboard alice@x team=y', { person: 'alice@x', team: 'y' }],
    ['the command word in capitals', 'Offboard alice@x', { person: 'alice@x' }],
    ['no command word (the card form text)', 'person=henry team=team-payments', { person: 'henry', team: 'team-payments' }],
    ['a value with spaces around it is trimmed', 'onboard team="  team-payments  "', { team: 'team-payments' }],
  ])('%s', (_case, text, values) => {
    expect(parseOnboardText(text)).toEqual({ values, problems: [] });
  });

  it.each([
    ['a key given twice: the last value counts', 'onboard person=anna person=henry', { person: 'henry' }, ['person is given twice; the last value counts']],
    ['an alias and its key both given', 'onboard team=team-a owner=team-b', { team: 'team-b' }, ['team is given twice; the last value counts']],
    ['an unknown key', 'onboard person=henry colour=blue', { person: 'henry' }, [`unknown key "colour" (${KNOWN})`]],
    ['an empty value before the next key', 'onboard team= role=backend', { role: 'backend' }, ['team has no value']],
    ['an empty quoted value', 'onboard person=henry buddy=""', { person: 'henry' }, ['buddy has no value']],
    ['an empty value at the end', 'onboard person=henry start=', { person: 'henry' }, ['start has no value']],
    ['bare words when the person is given too', 'onboard person=henry please team=t', { person: 'henry', team: 't' }, ['"please" is not a key=value pair (for example team=team-payments)']],
    ['an unclosed quote', 'onboard person="Henry Joiner team=t', { person: 'Henry Joiner team=t' }, ['the value of person has no closing quote']],
    ['several problems at once, in order', 'onboard who=a who=b pet=cat role=', { person: 'b' }, ['person is given twice; the last value counts', `unknown key "pet" (${KNOWN})`, 'role has no value']],
  ])('%s', (_case, text, values, problems) => {
    expect(parseOnboardText(text)).toEqual({ values, problems });
  });

  it('an empty command gives nothing and no problem (the form asks for the fields)', () => {
    expect(parseOnboardText('onboard')).toEqual({ values: {}, problems: [] });
  });
});

describe('checkStartDate', () => {
  const today = new Date('2031-03-02T09:00:00Z');
  const notADate = (v: string) => `"${v}" is not a date written YYYY-MM-DD (for example 2027-01-04)`;

  it.each([
    ['words', 'next monday', notADate('next monday')],
    ['February 30th', '2031-02-30', notADate('2031-02-30')],
    ['February 29th in a year that has none', '2031-02-29', notADate('2031-02-29')],
    ['month 13', '2031-13-01', notADate('2031-13-01')],
    ['no leading zeros', '2031-3-5', notADate('2031-3-5')],
    ['day first', '05-03-2031', notADate('05-03-2031')],
    ['a timestamp', '2031-03-05T09:00:00Z', notADate('2031-03-05T09:00:00Z')],
    ['31 days ago', '2031-01-30', `2031-01-30 is more than ${START_WINDOW.pastDays} days ago`],
    ['last year', '2030-03-02', '2030-03-02 is more than 30 days ago'],
    ['367 days ahead', '2032-03-03', '2032-03-03 is more than a year ahead'],
  ])('refuses %s', (_case, value, reason) => {
    expect(checkStartDate(value, today)).toEqual({ ok: false, reason });
  });

  it.each([
    ['today', '2031-03-02', '2031-03-02'],
    ['exactly 30 days ago', '2031-01-31', '2031-01-31'],
    ['exactly 366 days ahead (a leap year in between)', '2032-03-02', '2032-03-02'],
    ['February 29th in a leap year', '2032-02-29', '2032-02-29'],
    ['spaces around it', ' 2031-03-10 ', '2031-03-10'],
  ])('accepts %s', (_case, value, date) => {
    expect(checkStartDate(value, today)).toEqual({ ok: true, date });
  });

  it('counts days from the calendar day of today, whatever the hour (UTC)', () => {
    const lateEvening = new Date('2031-03-02T23:59:59Z');
    expect(checkStartDate('2031-01-31', lateEvening)).toEqual({ ok: true, date: '2031-01-31' });
    expect(checkStartDate('2031-01-30', lateEvening)).toEqual({ ok: false, reason: '2031-01-30 is more than 30 days ago' });
  });
});
