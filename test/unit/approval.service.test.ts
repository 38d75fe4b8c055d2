/** ApprovalService on the in-memory store: who approves, who may do what, what is audited and told, the sweeps. */
import { approvalSweepSchedule } from '../../src/domain/approvals/approval-schedule';
import type { ApprovalStore } from '../../src/domain/approvals/approval-store.port';
import { ApprovalService } from '../../src/domain/approvals/approval.service';
import { viewFor } from '../../src/domain/approvals/approval-view';
import type { ApprovalRequest } from '../../src/domain/approvals/approval.types';
import { DirectoryApproverResolver } from '../../src/domain/approvals/directory-approver-resolver';
import { DomainError } from '../../src/domain/domain-error';
import { userMessageFor } from '../../src/bot/messages';
import { InMemoryApprovalStore } from '../fakes/in-memory-approval-store';
import { InMemoryAuditLog } from '../fakes/in-memory-audit-log';
import { approvalWorld, catalog, directory, HOUR, minutes, onboardingAsk, P, secretAsk, T0, TEAM, TIMINGS, type ApprovalWorld } from '../helpers/approval-world';

let w: ApprovalWorld;
let audit: InMemoryAuditLog;
beforeEach(() => {
  audit = new InMemoryAuditLog();
  w = approvalWorld(new InMemoryApprovalStore(), audit);
});

const refusal = async (p: Promise<unknown>): Promise<DomainError> => {
  const e = await p.then(
    () => null,
    (error: unknown) => error,
  );
  if (!(e instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(e)}`);
  return e;
};
const actions = (action: string) => audit.entries.filter((e) => e.action === action);
const names = (r: ApprovalRequest) => r.approvers.people.map((p) => p.name);

describe('request: approvers resolved once, in the order the flow asks', () => {
  it("the joiner's manager approves an onboarding; times come from the configured durations; one audit record", async () => {
    const { request, outcome } = await w.service.request(onboardingAsk());
    expect(outcome).toBe('created');
    expect(request).toEqual(
      expect.objectContaining({
        state: 'pending',
        requester: P.lead,
        approvers: { people: [P.manager], resolvedBy: { kind: 'manager', of: P.joiner.id } },
        createdAt: T0,
        remindAt: new Date(T0.getTime() + 24 * HOUR),
        expiresAt: new Date(T0.getTime() + 72 * HOUR),
        payload: { joiner: P.joiner.id, team: TEAM },
        version: 1,
      }),
    );
    expect(actions('approval.request')).toEqual([expect.objectContaining({ actor: P.lead.id, target: `approval:${request.id}`, result: 'success', details: expect.objectContaining({ flow: 'onboarding', approvers: [P.manager.id], resolvedBy: 'manager' }) })]);
  });

  it('without a manager the next strategy (the team lead) approves; a disabled manager counts as none', async () => {
    w.directory.users.get(P.joiner.id)!.managerId = undefined;
    const first = await w.service.request(onboardingAsk({ requester: P.ann }));
    expect(first.request.approvers).toEqual({ people: [P.lead], resolvedBy: { kind: 'users', ids: [P.lead.id], except: P.ann.id } });
    w.directory.users.get(P.joiner.id)!.managerId = P.off.id;
    const second = await w.service.request(onboardingAsk({ requester: P.ann, idempotencyKey: 'act-2', subjectKey: 'onboard:other' }));
    expect(names(second.request)).toEqual([P.lead.name]);
  });

  it('a production secret: any member of the owning team but the requester, from the catalog and the Entra group; disabled, orphaned and id-less ones left out', async () => {
    const { request } = await w.service.request(secretAsk());
    expect(names(request)).toEqual([P.bob.name, P.cy.name, P.lead.name]);
    expect(request.approvers.resolvedBy).toEqual({ kind: 'team-members', team: TEAM, except: P.ann.id });
    const asBob = await w.service.request(secretAsk({ requester: P.bob, subjectKey: 'secret:other', idempotencyKey: 'act-s2' }));
    expect(names(asBob.request)).toEqual([P.ann.name, P.cy.name, P.lead.name]);
  });

  it('the requester never counts as an approver: a manager asking for their own report falls through to the next strategy', async () => {
    const { request } = await w.service.request(onboardingAsk({ requester: P.manager }));
    expect(request.approvers.people).toEqual([P.lead]);
  });

  it('nobody but the requester can approve: refused with APPROVALS.NO_APPROVER, nothing stored, the refusal audited', async () => {
    w.directory.users.get(P.joiner.id)!.managerId = undefined;
    const e = await refusal(w.service.request(onboardingAsk({ approvers: [{ kind: 'manager', of: P.joiner.id }, { kind: 'users', ids: [P.lead.id, 'aad-unknown'] }, { kind: 'team-members', team: 'group:default/empty' }] })));
    expect(e.code).toBe('APPROVALS.NO_APPROVER');
    expect(e.details).toEqual({ flow: 'onboarding', tried: ['manager', 'users', 'team-members'], team: 'group:default/empty' });
    expect(userMessageFor(e, 'r').text).toBe(
      'I found nobody but you who can approve this (the directory names no manager with an enabled account; none of the people named can approve; group:default/empty has no other member with an enabled account), so I asked no one. Nothing was requested; ask the platform team who should approve it.',
    );
    expect(await w.store.findPending('onboarding', onboardingAsk().subjectKey)).toBeNull();
    expect(actions('approval.request')).toEqual([expect.objectContaining({ result: 'denied', actor: P.lead.id })]);
    expect((await refusal(w.service.request(secretAsk({ approvers: [{ kind: 'team-members', team: 'group:default/nope' }] })))).code).toBe('APPROVALS.NO_APPROVER');
  });

  it('a retried ask lands on the same request; another ask about a pending subject is offered the pending one', async () => {
    const first = await w.service.request(onboardingAsk());
    expect(await w.service.request(onboardingAsk())).toEqual({ request: first.request, outcome: 'retried' });
    expect(await w.service.request(onboardingAsk({ idempotencyKey: 'act-other', requester: P.ann }))).toEqual({ request: first.request, outcome: 'already-pending' });
    await w.service.decide(first.request.id, P.manager, 'approve');
    const afterDecision = await w.service.request(onboardingAsk());
    expect(afterDecision.outcome).toBe('retried');
    expect(afterDecision.request.state).toBe('approved');
    const fresh = await w.service.request(onboardingAsk({ idempotencyKey: 'act-3' }));
    expect(fresh.outcome).toBe('created');
    expect(actions('approval.request')).toHaveLength(2);
  });

  it('no reminder when it would come at or after expiry, or when reminders are off', async () => {
    const late = approvalWorld(new InMemoryApprovalStore(), audit, { remindAfterMs: 72 * HOUR, expireAfterMs: 72 * HOUR });
    expect((await late.service.request(onboardingAsk())).request.remindAt).toBeNull();
    const off = approvalWorld(new InMemoryApprovalStore(), audit, { remindAfterMs: null, expireAfterMs: HOUR });
    expect((await off.service.request(onboardingAsk())).request.remindAt).toBeNull();
    expect(() => approvalWorld(new InMemoryApprovalStore(), audit, { remindAfterMs: 0, expireAfterMs: HOUR })).toThrow(/remindAfterMs/);
    expect(() => approvalWorld(new InMemoryApprovalStore(), audit, { remindAfterMs: null, expireAfterMs: -1 })).toThrow(/expireAfterMs/);
  });
});

describe('decide and cancel: enforced on the server', () => {
  it('an approver approves with a comment: one transition, one audit record, one notice, the decision kept', async () => {
    const { request } = await w.service.request(onboardingAsk());
    w.clock.now = minutes(5);
    const { request: decided, changed } = await w.service.decide(request.id, P.manager, 'approve', '  welcome aboard  ', 'act-9');
    expect(changed).toBe(true);
    expect(decided).toEqual(expect.objectContaining({ state: 'approved', version: 2, endedAt: minutes(5), remindAt: null, decisions: [{ by: P.manager, decision: 'approve', comment: 'welcome aboard', at: minutes(5) }] }));
    expect(actions('approval.decide')).toEqual([expect.objectContaining({ actor: P.manager.id, actorName: P.manager.name, result: 'success', activityId: 'act-9', details: expect.objectContaining({ decision: 'approve', comment: 'welcome aboard', state: 'approved' }) })]);
    expect(w.notifier.afterRequest).toEqual([{ event: 'decided', id: request.id, state: 'approved', remindersSent: 0 }]);
  });

  it('a rejection may come without a comment (blank reads as none)', async () => {
    const { request } = await w.service.request(secretAsk());
    const { request: decided } = await w.service.decide(request.id, P.cy, 'reject', '   ');
    expect(decided.state).toBe('rejected');
    expect(decided.decisions).toEqual([{ by: P.cy, decision: 'reject', at: T0 }]);
  });

  it('the requester never decides their own request, even if a flow listed them', async () => {
    const { request } = await w.service.request(secretAsk());
    for (const decision of ['approve', 'reject'] as const) {
      const e = await refusal(w.service.decide(request.id, P.ann, decision));
      expect(e.code).toBe('APPROVALS.SELF_APPROVAL');
    }
    // A request whose approvers include the requester (written by hand): still refused.
    const { id: _id, state: _s, decisions: _d, remindersSent: _r, updatedAt: _u, version: _v, ...asked } = request;
    const listed = await w.store.create({ ...asked, idempotencyKey: 'hand', subjectKey: 'secret:hand', approvers: { people: [P.ann, P.bob], resolvedBy: { kind: 'users', ids: [P.ann.id, P.bob.id], except: 'nobody' } } });
    expect((await refusal(w.service.decide(listed.request.id, { id: P.ann.id.toUpperCase(), name: 'Ann' }, 'approve'))).code).toBe('APPROVALS.SELF_APPROVAL');
    expect(userMessageFor(await refusal(w.service.decide(request.id, P.ann, 'approve')), 'r').text).toBe(
      'You asked for "Set payments-api--prod--db-password", so you cannot approve or reject it yourself; one of its approvers decides. You can cancel it.',
    );
    expect((await w.store.get(request.id))?.state).toBe('pending');
    expect(actions('approval.decide').map((e) => e.result)).toEqual(['denied', 'denied', 'denied', 'denied']);
  });

  it('anyone who is not a resolved approver is refused with the approvers named', async () => {
    const { request } = await w.service.request(onboardingAsk());
    const e = await refusal(w.service.decide(request.id, P.outsider, 'approve'));
    expect(e.code).toBe('APPROVALS.NOT_APPROVER');
    expect(userMessageFor(e, 'r')).toEqual({ text: 'Only Mia Manager can approve or reject "Onboard Jo Joiner to Payments". Nothing was changed.', status: 403 });
    // A directory change after the request does not move who decides (approvers are fixed at creation).
    w.directory.users.get(P.joiner.id)!.managerId = P.outsider.id;
    expect((await refusal(w.service.decide(request.id, P.outsider, 'approve'))).code).toBe('APPROVALS.NOT_APPROVER');
    expect((await w.store.get(request.id))?.version).toBe(1);
  });

  it('a stale card (decided, cancelled, expired) cannot be acted on; the refusal says what became of it', async () => {
    const a = await w.service.request(secretAsk());
    await w.service.decide(a.request.id, P.bob, 'approve');
    const stale = await refusal(w.service.decide(a.request.id, P.lead, 'reject'));
    expect([stale.code, stale.details.state, stale.details.by]).toEqual(['APPROVALS.STALE', 'approved', P.bob.name]);
    expect(userMessageFor(stale, 'r').text).toBe('"Set payments-api--prod--db-password" is already approved (by Bob Berry), so it can no longer be approved, rejected or cancelled. Nothing was changed.');
    expect((await refusal(w.service.decide(a.request.id, P.bob, 'reject'))).code).toBe('APPROVALS.STALE');
    expect((await refusal(w.service.cancel(a.request.id, P.ann))).code).toBe('APPROVALS.STALE');

    const b = await w.service.request(secretAsk({ idempotencyKey: 'k-b', subjectKey: 'secret:b' }));
    await w.service.cancel(b.request.id, P.ann);
    expect((await refusal(w.service.decide(b.request.id, P.bob, 'approve'))).details).toEqual(expect.objectContaining({ state: 'cancelled', by: P.ann.name }));

    const c = await w.service.request(secretAsk({ idempotencyKey: 'k-c', subjectKey: 'secret:c' }));
    await w.service.expire(new Date(T0.getTime() + 72 * HOUR));
    expect((await refusal(w.service.decide(c.request.id, P.bob, 'approve'))).details.state).toBe('expired');
    expect(actions('approval.decide').filter((e) => e.result === 'success')).toHaveLength(1);
  });

  it('a double click by the same approver decides once: the repeat answers the decided request, audits and tells nothing new', async () => {
    const { request } = await w.service.request(onboardingAsk());
    const first = await w.service.decide(request.id, P.manager, 'approve');
    const again = await w.service.decide(request.id, P.manager, 'approve');
    expect(again).toEqual({ request: first.request, changed: false });
    expect(actions('approval.decide')).toHaveLength(1);
    expect(w.notifier.afterRequest).toHaveLength(1);
  });

  it('a reminder landing between the read and the write does not lose the click: the decision is retried on the new version', async () => {
    const { request } = await w.service.request(onboardingAsk());
    const store = w.store;
    let interfered = false;
    const racing: ApprovalStore = Object.assign(Object.create(store) as ApprovalStore, {
      transition: async (...args: Parameters<ApprovalStore['transition']>) => {
        if (!interfered && args[2].state) {
          interfered = true;
          await store.transition(request.id, 1, { now: minutes(1), remindersSent: 1, remindAt: minutes(100) });
        }
        return store.transition(...args);
      },
    });
    const other = approvalWorld(racing, audit);
    const { request: decided, changed } = await other.service.decide(request.id, P.manager, 'approve');
    expect(interfered).toBe(true);
    expect([changed, decided.state, decided.version, decided.remindersSent]).toEqual([true, 'approved', 3, 1]);
  });

  it('a too-long comment is refused before anything changes; an unknown request is not found', async () => {
    const { request } = await w.service.request(onboardingAsk());
    const e = await refusal(w.service.decide(request.id, P.manager, 'reject', 'x'.repeat(1001)));
    expect([e.code, e.details]).toEqual(['APPROVALS.COMMENT_TOO_LONG', { max: 1000, length: 1001 }]);
    expect((await w.store.get(request.id))?.state).toBe('pending');
    expect((await w.service.decide(request.id, P.manager, 'reject', 'x'.repeat(1000))).request.decisions[0]?.comment).toHaveLength(1000);
    expect((await refusal(w.service.decide('0123456789abcdef01234567', P.manager, 'approve'))).code).toBe('APPROVALS.NOT_FOUND');
    expect((await refusal(w.service.cancel('nope', P.lead))).code).toBe('APPROVALS.NOT_FOUND');
  });

  it('only the requester cancels; a repeated cancel changes nothing; the approvers are told', async () => {
    const { request } = await w.service.request(onboardingAsk());
    const e = await refusal(w.service.cancel(request.id, P.manager));
    expect(e.code).toBe('APPROVALS.NOT_REQUESTER');
    expect(userMessageFor(e, 'r').text).toBe('Only Lee Lead, who asked for "Onboard Jo Joiner to Payments", can cancel it.');
    const cancelled = await w.service.cancel(request.id, P.lead);
    expect([cancelled.changed, cancelled.request.state, cancelled.request.decisions]).toEqual([true, 'cancelled', []]);
    expect((await w.service.cancel(request.id, P.lead)).changed).toBe(false);
    expect(actions('approval.cancel').map((a) => a.result)).toEqual(['denied', 'success']);
    expect(w.notifier.afterRequest.map((s) => s.event)).toEqual(['cancelled']);
  });

  it('a notice that cannot be delivered leaves the decision standing and is on record', async () => {
    w.notifier.failing.add('decided');
    const { request } = await w.service.request(onboardingAsk());
    const { request: decided } = await w.service.decide(request.id, P.manager, 'reject', 'wrong team');
    expect(decided.state).toBe('rejected');
    expect(actions('approval.decide')).toHaveLength(1);
    expect(actions('approval.notify')).toEqual([expect.objectContaining({ actor: 'system:approvals', result: 'failure', details: expect.objectContaining({ event: 'decided', error: { code: 'UNEXPECTED', message: 'decided: Teams is not answering' } }) })]);
  });
});

describe('viewFor: one function of (request, viewer)', () => {
  it.each([
    ['pending', P.manager.id, { role: 'approver', actions: ['approve', 'reject'] }],
    ['pending', P.manager.id.toUpperCase(), { role: 'approver', actions: ['approve', 'reject'] }],
    ['pending', P.lead.id, { role: 'requester', actions: ['cancel'] }],
    ['pending', P.outsider.id, { role: 'other', actions: [] }],
    ['approved', P.manager.id, { role: 'approver', actions: [] }],
    ['rejected', P.lead.id, { role: 'requester', actions: [] }],
    ['expired', P.outsider.id, { role: 'other', actions: [] }],
    ['cancelled', P.manager.id, { role: 'approver', actions: [] }],
  ] as const)('%s, viewed by %s', async (state, viewer, view) => {
    const { request } = await w.service.request(onboardingAsk());
    expect(w.service.viewFor({ ...request, state }, viewer)).toEqual(view);
  });

  it('a requester listed among the approvers still only sees Cancel', () => {
    const request = { state: 'pending' as const, requester: P.ann, approvers: { people: [P.ann, P.bob], resolvedBy: { kind: 'users' as const, ids: [P.ann.id, P.bob.id], except: '' } } };
    expect(viewFor(request, P.ann.id)).toEqual({ role: 'requester', actions: ['cancel'] });
  });
});

describe('sweeps: reminders and expiry, each once', () => {
  it('reminds at remindAt, then every interval, never after expiry; a second run at the same moment does nothing', async () => {
    const { request } = await w.service.request(onboardingAsk());
    expect(await w.service.remind(new Date(T0.getTime() + 24 * HOUR - 1))).toEqual([]);
    expect(await w.service.remind(new Date(T0.getTime() + 24 * HOUR))).toEqual([request.id]);
    expect(await w.service.remind(new Date(T0.getTime() + 24 * HOUR))).toEqual([]);
    const second = new Date(T0.getTime() + 48 * HOUR);
    expect(await w.service.remind(second)).toEqual([request.id]);
    const stored = await w.store.get(request.id);
    // The next one would be at 72 h, when the request expires: none is scheduled.
    expect([stored?.remindersSent, stored?.remindAt, stored?.state]).toEqual([2, null, 'pending']);
    expect(w.notifier.afterRequest).toEqual([
      { event: 'reminded', id: request.id, state: 'pending', remindersSent: 1 },
      { event: 'reminded', id: request.id, state: 'pending', remindersSent: 2 },
    ]);
    expect(actions('approval.remind')).toEqual([
      expect.objectContaining({ actor: 'system:approvals', details: expect.objectContaining({ approvers: [P.manager.id], remindersSent: 1 }) }),
      expect.objectContaining({ details: expect.objectContaining({ remindersSent: 2 }) }),
    ]);
  });

  it('expires undecided requests at expiresAt and tells the requester; decided ones are left alone; a second run does nothing', async () => {
    const open = await w.service.request(onboardingAsk());
    const decided = await w.service.request(secretAsk());
    await w.service.decide(decided.request.id, P.bob, 'approve');
    const at = new Date(T0.getTime() + 72 * HOUR);
    expect(await w.service.expire(new Date(at.getTime() - 1))).toEqual([]);
    expect(await w.service.expire(at)).toEqual([open.request.id]);
    expect(await w.service.expire(at)).toEqual([]);
    expect(await w.store.get(open.request.id)).toEqual(expect.objectContaining({ state: 'expired', endedAt: at, remindAt: null }));
    expect((await w.store.get(decided.request.id))?.state).toBe('approved');
    expect(w.notifier.of('expired')).toEqual([open.request.id]);
    expect(actions('approval.expire')).toEqual([expect.objectContaining({ target: `approval:${open.request.id}`, result: 'success' })]);
  });

  it('a request past both its reminder and its expiry (all replicas were down) expires without a reminder', async () => {
    const { request } = await w.service.request(onboardingAsk());
    const late = new Date(T0.getTime() + 100 * HOUR);
    expect(await w.service.remind(late)).toEqual([]);
    expect(await w.service.sweep(late)).toEqual({ expired: [request.id], reminded: [], followedUp: [] });
    expect(w.notifier.afterRequest.map((s) => s.event)).toEqual(['expired']);
  });

  it('one sweep takes at most its batch; the next takes the rest', async () => {
    const store = new InMemoryApprovalStore();
    const batched = new ApprovalService({
      store,
      resolver: new DirectoryApproverResolver({ directory: directory(), catalog: catalog() }),
      audit,
      notifier: w.notifier,
      timings: TIMINGS,
      clock: () => T0,
      sweepBatch: 2,
    });
    for (let i = 0; i < 3; i++) await batched.request(onboardingAsk({ idempotencyKey: `b${i}`, subjectKey: `s${i}` }));
    const at = new Date(T0.getTime() + 72 * HOUR);
    expect(await batched.expire(at)).toHaveLength(2);
    expect(await batched.expire(at)).toHaveLength(1);
    expect(await batched.expire(at)).toHaveLength(0);
  });

  it('the scheduled work runs both sweeps and reports what they did', async () => {
    const { request } = await w.service.request(onboardingAsk());
    w.clock.now = new Date(T0.getTime() + 24 * HOUR);
    const seen: unknown[] = [];
    const work = approvalSweepSchedule(w.service, { everyMs: 60_000, onSweep: (r) => seen.push(r) });
    expect([work.name, work.everyMs]).toEqual(['approval-sweep', 60_000]);
    await work.run({ name: work.name, slot: 1, signal: new AbortController().signal });
    await work.run({ name: work.name, slot: 1, signal: new AbortController().signal });
    expect(seen).toEqual([{ expired: [], reminded: [request.id], followedUp: [] }, { expired: [], reminded: [], followedUp: [] }]);
  });
});

describe('the approvers are told of a new request, and the flow acts on an approval', () => {
  it('a new request is sent to its approvers once; a retried ask or one meeting a pending request sends nothing', async () => {
    const { request } = await w.service.request(onboardingAsk());
    await w.service.request(onboardingAsk());
    expect((await w.service.request(onboardingAsk({ idempotencyKey: 'act-other' }))).outcome).toBe('already-pending');
    expect(w.notifier.sent).toEqual([{ event: 'requested', id: request.id, state: 'pending', remindersSent: 0 }]);
  });

  it('an approval runs its flow follow-up once and records it; a rejection runs none', async () => {
    const ran: string[] = [];
    w = approvalWorld(new InMemoryApprovalStore(), audit, TIMINGS, { onboarding: async (r) => void ran.push(r.id) });
    const { request } = await w.service.request(onboardingAsk());
    await w.service.decide(request.id, P.manager, 'approve');
    await w.service.decide(request.id, P.manager, 'approve');
    expect(ran).toEqual([request.id]);
    expect((await w.store.get(request.id))?.followedUpAt).toEqual(T0);
    const other = await w.service.request(onboardingAsk({ idempotencyKey: 'act-r', subjectKey: 'onboard:r' }));
    await w.service.decide(other.request.id, P.manager, 'reject');
    expect(ran).toEqual([request.id]);
  });

  it('a follow-up that fails leaves the approval standing, is audited, and the sweep runs it again after the grace period until it succeeds', async () => {
    let failures = 1;
    const ran: string[] = [];
    w = approvalWorld(new InMemoryApprovalStore(), audit, TIMINGS, {
      onboarding: async (r) => {
        if (failures-- > 0) throw new DomainError('UPSTREAM.UNAVAILABLE', 'job store down');
        ran.push(r.id);
      },
    });
    const { request } = await w.service.request(onboardingAsk());
    const decided = await w.service.decide(request.id, P.manager, 'approve');
    expect(decided.request.state).toBe('approved');
    expect(actions('approval.follow-up')).toEqual([expect.objectContaining({ result: 'failure', details: expect.objectContaining({ error: { code: 'UPSTREAM.UNAVAILABLE', message: 'job store down' } }) })]);
    expect(await w.service.followUpMissed(new Date(T0.getTime() + 30_000))).toEqual([]);
    expect(await w.service.followUpMissed(new Date(T0.getTime() + 61_000))).toEqual([request.id]);
    expect(ran).toEqual([request.id]);
    expect(await w.service.followUpMissed(new Date(T0.getTime() + 3_600_000))).toEqual([]);
  });
});
