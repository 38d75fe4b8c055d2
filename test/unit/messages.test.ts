/** The message table: every code the code base raises reads as words, and the guard unwraps botbuilder's wrappers. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { TestAdapter, TurnContext } from 'botbuilder';
import { DialogContext, DialogContextError, DialogSet } from 'botbuilder-dialogs';
import { rootCause } from '../../src/bot/guard';
import { isFactCode, MESSAGE_CODES, stepFailureText, userMessageFor } from '../../src/bot/messages';
import { DomainError } from '../../src/domain/domain-error';

const ROOT = path.join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'sandbox' ? [] : sources(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

const raised = [...new Set([...sources(path.join(ROOT, 'src')), ...sources(path.join(ROOT, 'dialogs'))].flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/new DomainError\(\s*'([A-Z_]+\.[A-Z_]+)'/g)].map((m) => m[1]!)))];

test('the scan finds the codes (it would pass vacuously otherwise)', () => {
  expect(raised).toEqual(expect.arrayContaining(['ACCESS.DENIED', 'REPOS.NOT_REQUESTER', 'UPSTREAM.FORBIDDEN']));
});

test.each(raised)('%s has words in the table or reads as a fact', (code) => {
  expect(MESSAGE_CODES.includes(code) || isFactCode(code)).toBe(true);
});

test('chat copy comes from the table, with the parameters, escaped', () => {
  const error = new DomainError('REPOS.NOT_REQUESTER', 'u1 is not the requester of r1', { requester: 'Alice __Dev__', name: 'payments-ledger', action: 'confirm' });
  expect(userMessageFor(error, 'ref-1')).toEqual({ text: 'Only Alice \\_\\_Dev\\_\\_, who asked for payments-ledger, can confirm it.', status: 403 });
});

test('anything that is not a refusal: an apology with a reference, never its message', () => {
  const { text, status } = userMessageFor(new Error('ECONNREFUSED 10.0.0.7:27017 password=hunter2'), 'act-9');
  expect(text).toBe('Sorry, something went wrong on my side. The platform team can trace it with reference act-9.');
  expect(status).toBe(500);
  expect(userMessageFor(new DomainError('SECRETS.SOMETHING_NEW', 'internal detail'), 'act-9').text).toMatch(/reference act-9/);
});

test("botbuilder's DialogContextError is unwrapped, so the cause decides what the person reads", () => {
  const cause = new DomainError('UPSTREAM.FORBIDDEN', 'Azure DevOps refused to list projects (HTTP 401): the bot\'s credentials need "Project and Team (Read)" in the organisation.');
  const context = new DialogContext(new DialogSet(), new TurnContext(new TestAdapter(), { type: 'message' }), { dialogStack: [] });
  const wrapped = new DialogContextError(cause, context);
  expect(rootCause(wrapped)).toBe(cause);
  expect(userMessageFor(rootCause(wrapped), 'x').text).toMatch(/^I lack a permission: Azure DevOps refused to list projects \(HTTP 401\)/);
});

test('a failed job step reads like any refusal; a crashed one gives the job as reference', () => {
  expect(stepFailureText({ code: 'UPSTREAM.THROTTLED', message: 'Azure DevOps is throttling requests; could not create pipeline.' }, 'j1')).toMatch(/busy \(throttled\)/);
  expect(stepFailureText({ code: 'JOB.STEP_CRASHED', message: 'TypeError: x is undefined' }, 'j1')).toBe('Sorry, something went wrong on my side. The platform team can trace it with reference job j1.');
});
