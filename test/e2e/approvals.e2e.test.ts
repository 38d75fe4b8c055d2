/**
 * The approval card end to end, in sandbox mode: a request made through the running bot's
 * ApprovalService finds Alice's manager (Bob) in the Graph stand-in; through /api/messages each
 * person's refresh shows their own buttons, the server refuses self-approval and outsiders, Bob's
 * approval is recorded once with his comment, and a closed request cannot be acted on.
 */
import type { ApprovalService } from '../../src/domain/approvals/approval.service';
import { userBySlug } from '../../src/sandbox/seed/demo-org';
import { TestBot, type HttpResult } from '../helpers/bot-harness';

/* eslint-disable @typescript-eslint/no-explicit-any */
const alice = userBySlug('alice');
const bob = userBySlug('bob');

const verbs = (res: HttpResult): string[] => ((res.body?.value?.actions ?? []) as any[]).map((a) => a.verb);
const words = (res: HttpResult): string => (res.body?.type === 'application/vnd.microsoft.activity.message' ? String(res.body.value) : `not a message: ${res.text}`);
const isCard = (res: HttpResult) => res.status === 200 && res.body?.type === 'application/vnd.microsoft.card.adaptive';

describe('approvals through /api/messages', () => {
  let bot: TestBot;
  let approvals: ApprovalService;

  beforeAll(async () => {
    bot = await TestBot.start();
    approvals = bot.running.approvals!;
    // Alice and Bob have talked to the bot 1:1: their chats are recorded (the notices go there).
    await bot.say('help', { as: 'alice' });
    await bot.say('help', { as: 'bob' });
  });
  afterAll(() => bot.stop());

  const ask = (key: string) =>
    approvals.request({
      flow: 'onboarding',
      idempotencyKey: key,
      subjectKey: `onboard:frank:${key}`,
      summary: { title: 'Onboard Frank Newjoiner to Payments', facts: [{ label: 'Joiner', value: 'Frank Newjoiner' }] },
      requester: { id: alice.id, name: alice.displayName },
      approvers: [{ kind: 'manager', of: alice.id }],
      payload: {},
    });
  const decisions = (id: string) => bot.running.connection.db!.collection('audit').find({ action: 'approval.decide', result: 'success', target: `approval:${id}` }).toArray();

  it('one request, three views, the server rules, one decision with its comment', async () => {
    const { request, outcome } = await ask('e2e-1');
    expect(outcome).toBe('created');
    expect(request.approvers.people).toEqual([{ id: bob.id, name: bob.displayName }]);
    const requestId = request.id;

    const bobs = await bot.execute('approval.refresh', { requestId }, { as: 'bob' });
    expect(isCard(bobs)).toBe(true);
    expect(verbs(bobs)).toEqual(['approval.approve', 'approval.reject']);
    expect(bobs.body.value.refresh).toMatchObject({ action: { verb: 'approval.refresh', data: { requestId } }, userIds: expect.arrayContaining([alice.teamsId, bob.teamsId]) });
    expect(verbs(await bot.execute('approval.refresh', { requestId }, { as: 'alice' }))).toEqual(['approval.cancel']);
    expect(verbs(await bot.execute('approval.refresh', { requestId }, { as: 'dave' }))).toEqual([]);

    expect(words(await bot.execute('approval.approve', { requestId }, { as: 'alice' }))).toContain('cannot approve or reject it yourself');
    expect(words(await bot.execute('approval.approve', { requestId }, { as: 'dave' }))).toContain('Only Bob Manager can approve or reject');
    expect(await decisions(requestId)).toHaveLength(0);

    const approved = await bot.execute('approval.approve', { requestId, comment: 'Welcome **Frank**' }, { as: 'bob' });
    expect(isCard(approved)).toBe(true);
    expect(verbs(approved)).toEqual([]);
    const text = JSON.stringify(approved.body.value);
    expect(text).toMatch(/Approved by \*\*Bob Manager\*\* on \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(text).toContain('Welcome \\\\*\\\\*Frank\\\\*\\\\*');
    const audit = await decisions(requestId);
    expect(audit).toEqual([expect.objectContaining({ actor: bob.id, details: expect.objectContaining({ decision: 'approve', comment: 'Welcome **Frank**' }) })]);

    // Bob's second click: the decided card again, nothing new; a rejection now is refused as already decided.
    const again = await bot.execute('approval.approve', { requestId }, { as: 'bob' });
    expect(isCard(again)).toBe(true);
    expect(words(await bot.execute('approval.reject', { requestId }, { as: 'bob' }))).toContain('is already approved (by Bob Manager)');
    expect(await decisions(requestId)).toHaveLength(1);
    // Alice was told in her 1:1 chat.
    const told = bot.running.sandbox!.connector.activities(`a:personal-${alice.teamsId}`).filter((a) => String(a.text ?? '').includes('was approved by Bob Manager'));
    expect(told).toHaveLength(1);
  });

  it('a cancelled request cannot be acted on', async () => {
    const { request } = await ask('e2e-2');
    const requestId = request.id;
    expect(words(await bot.execute('approval.cancel', { requestId }, { as: 'bob' }))).toContain('Only Alice Developer');
    const cancelled = await bot.execute('approval.cancel', { requestId }, { as: 'alice' });
    expect(isCard(cancelled)).toBe(true);
    expect(JSON.stringify(cancelled.body.value)).toContain('Cancelled by the requester');
    expect(verbs(await bot.execute('approval.refresh', { requestId }, { as: 'bob' }))).toEqual([]);
    expect(words(await bot.execute('approval.approve', { requestId }, { as: 'bob' }))).toContain('is already cancelled');
    expect(await decisions(requestId)).toHaveLength(0);
  });

  it('bad data is refused before anything runs', async () => {
    const res = await bot.execute('approval.approve', { comment: 'no id' }, { as: 'bob' });
    expect(res.body?.type).toBe('application/vnd.microsoft.error');
  });
});

describe('the approval sweep through the scheduler', () => {
  let bot: TestBot;
  // Requests expire about two seconds after they are made; no reminders.
  beforeAll(async () => {
    bot = await TestBot.start({ APPROVAL_EXPIRE_AFTER_DAYS: '0.00002', APPROVAL_REMIND_AFTER_HOURS: '0' });
    await bot.say('help', { as: 'alice' });
  });
  afterAll(() => bot.stop());

  it("expires an undecided request once, on one occurrence, and tells the requester; the approver's click is then refused", async () => {
    const { request } = await bot.running.approvals!.request({
      flow: 'onboarding',
      idempotencyKey: 'sweep-1',
      subjectKey: 'onboard:frank:sweep',
      summary: { title: 'Onboard Frank Newjoiner to Search', facts: [] },
      requester: { id: alice.id, name: alice.displayName },
      approvers: [{ kind: 'manager', of: alice.id }],
      payload: {},
    });
    // Waiting for the clock itself: the request's expiry is a moment, not an event.
    await new Promise((r) => setTimeout(r, Math.max(0, request.expiresAt.getTime() - Date.now()) + 50));
    await bot.running.runScheduled('approval-sweep');
    await bot.running.runScheduled('approval-sweep'); // the same slot: nothing runs twice
    const expired = await bot.running.connection.db!.collection('audit').find({ action: 'approval.expire', target: `approval:${request.id}` }).toArray();
    expect(expired).toHaveLength(1);
    expect((await bot.running.approvals!.get(request.id))?.state).toBe('expired');
    const told = bot.running.sandbox!.connector.activities(`a:personal-${alice.teamsId}`).filter((a) => String(a.text ?? '').includes('expired: no approver decided in time'));
    expect(told).toHaveLength(1);
    expect(words(await bot.execute('approval.approve', { requestId: request.id }, { as: 'bob' }))).toContain('is already expired');
  });
});
