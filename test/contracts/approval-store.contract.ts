/**
 * What every ApprovalStore must do, run against the in-memory fake (test/unit/approval-store.contract.test.ts)
 * and the Mongo adapter on the run's store (test/integration/approval-store.contract.int.test.ts).
 */
import type { ApprovalStore } from '../../src/domain/approvals/approval-store.port';
import type { ApprovalDecision, NewApprovalRequest } from '../../src/domain/approvals/approval.types';

export interface ApprovalStoreFixture {
  store: ApprovalStore;
  close(): Promise<void>;
}

const t0 = new Date('2031-03-02T09:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

export const newRequest = (extra: Partial<NewApprovalRequest> = {}): NewApprovalRequest => ({
  flow: 'onboarding',
  idempotencyKey: 'k1',
  subjectKey: 'onboard:aad-joiner:group:default/payments',
  summary: { title: 'Onboard Jo Joiner to Payments', facts: [{ label: 'Role', value: 'backend' }, { label: 'Start', value: '2031-03-09' }] },
  requester: { id: 'aad-lead', name: 'Lee Lead' },
  approvers: { people: [{ id: 'aad-manager', name: 'Mia Manager' }], resolvedBy: { kind: 'manager', of: 'aad-joiner' } },
  createdAt: t0,
  expiresAt: at(60 * 24 * 3),
  remindAt: at(60 * 24),
  payload: { joiner: { id: 'aad-joiner', upn: 'jo@contoso.example' }, channels: ['General', 'Ops'], start: '2031-03-09' },
  ...extra,
});

const approval = (comment?: string): ApprovalDecision => ({ by: { id: 'aad-manager', name: 'Mia Manager' }, decision: 'approve', ...(comment === undefined ? {} : { comment }), at: at(5) });

export function approvalStoreContract(name: string, makeFixture: () => Promise<ApprovalStoreFixture>): void {
  describe(`Approval store contract: ${name}`, () => {
    let f: ApprovalStoreFixture;
    beforeEach(async () => {
      f = await makeFixture();
    });
    afterEach(async () => {
      await f?.close();
    });

    it('a created request is pending at version 1 and reads back whole', async () => {
      const { request, created } = await f.store.create(newRequest());
      expect(created).toBe(true);
      expect(request).toEqual({ ...newRequest(), id: expect.stringMatching(/^[0-9a-f]{24}$/), state: 'pending', decisions: [], remindersSent: 0, updatedAt: t0, version: 1 });
      expect(await f.store.get(request.id)).toEqual(request);
      const empty = await f.store.create(newRequest({ idempotencyKey: 'k-empty', subjectKey: 'subject-empty', payload: {}, remindAt: null, approvers: { people: [{ id: 'a', name: 'A' }, { id: 'b', name: 'B' }], resolvedBy: { kind: 'team-members', team: 'group:default/payments', except: 'aad-lead' } } }));
      expect(await f.store.get(empty.request.id)).toEqual(expect.objectContaining({ payload: {}, remindAt: null, approvers: empty.request.approvers }));
    });

    it('create is idempotent by (flow, idempotency key): the second returns the first untouched', async () => {
      const first = await f.store.create(newRequest());
      const again = await f.store.create(newRequest({ summary: { title: 'something else', facts: [] } }));
      expect(again).toEqual({ request: first.request, created: false });
      const otherKey = await f.store.create(newRequest({ idempotencyKey: 'k2', subjectKey: 'subject-k2' }));
      const otherFlow = await f.store.create(newRequest({ flow: 'secret' }));
      expect(new Set([first.request.id, otherKey.request.id, otherFlow.request.id]).size).toBe(3);
      expect([otherKey.created, otherFlow.created]).toEqual([true, true]);
    });

    it('twenty concurrent creates of one key make one request', async () => {
      const results = await Promise.all(Array.from({ length: 20 }, () => f.store.create(newRequest({ idempotencyKey: 'racing' }))));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.request.id)).size).toBe(1);
    });

    it('an unknown or malformed id reads as null and changes nothing', async () => {
      expect(await f.store.get('0123456789abcdef01234567')).toBeNull();
      expect(await f.store.get('not-an-id')).toBeNull();
      expect(await f.store.transition('not-an-id', 1, { now: at(1), state: 'cancelled' })).toBeNull();
      expect(await f.store.transition('0123456789abcdef01234567', 1, { now: at(1), state: 'cancelled' })).toBeNull();
    });

    it('a decision is applied once: the version moves on, a stale version or a closed request matches nothing', async () => {
      const { request } = await f.store.create(newRequest());
      const decided = await f.store.transition(request.id, 1, { now: at(5), state: 'approved', addDecision: approval('welcome aboard') });
      expect(decided).toEqual({ ...request, state: 'approved', decisions: [approval('welcome aboard')], updatedAt: at(5), endedAt: at(5), remindAt: null, version: 2 });
      expect(await f.store.get(request.id)).toEqual(decided);
      expect(await f.store.transition(request.id, 1, { now: at(6), state: 'rejected' })).toBeNull();
      expect(await f.store.transition(request.id, 2, { now: at(6), state: 'rejected' })).toBeNull();
      expect(await f.store.get(request.id)).toEqual(decided);
    });

    it('a reminder keeps it pending and moves remindAt; a decision without a comment has none', async () => {
      const { request } = await f.store.create(newRequest());
      const reminded = await f.store.transition(request.id, 1, { now: at(60 * 24), remindersSent: 1, remindAt: at(60 * 48) });
      expect(reminded).toEqual({ ...request, remindersSent: 1, remindAt: at(60 * 48), updatedAt: at(60 * 24), version: 2 });
      const last = await f.store.transition(request.id, 2, { now: at(60 * 48), remindersSent: 2, remindAt: null });
      expect(last?.remindAt).toBeNull();
      const decided = await f.store.transition(request.id, 3, { now: at(60 * 49), state: 'approved', addDecision: approval() });
      expect(decided?.decisions).toEqual([approval()]);
      expect(Object.keys(decided!.decisions[0]!)).not.toContain('comment');
      expect(decided?.remindersSent).toBe(2);
    });

    it('of ten racing changes at one version exactly one applies', async () => {
      const { request } = await f.store.create(newRequest());
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => f.store.transition(request.id, 1, { now: at(5), state: i % 2 ? 'approved' : 'rejected', addDecision: { ...approval(`click ${i}`), decision: i % 2 ? 'approve' : 'reject' } })));
      const winners = results.filter((r) => r !== null);
      expect(winners).toHaveLength(1);
      const stored = await f.store.get(request.id);
      expect(stored?.decisions).toHaveLength(1);
      expect(stored?.version).toBe(2);
      expect(stored).toEqual(winners[0]);
    });

    it('one request pending per subject: a second ask meets the pending one; once it is closed a new one can be asked', async () => {
      const first = await f.store.create(newRequest({ idempotencyKey: 'old', createdAt: at(0) }));
      const second = await f.store.create(newRequest({ idempotencyKey: 'new', createdAt: at(1) }));
      expect(second).toEqual({ request: first.request, created: false });
      await f.store.create(newRequest({ idempotencyKey: 'other', subjectKey: 'onboard:someone-else' }));
      expect((await f.store.findPending('onboarding', newRequest().subjectKey))?.id).toBe(first.request.id);
      expect(await f.store.findPending('secret', newRequest().subjectKey)).toBeNull();
      await f.store.transition(first.request.id, 1, { now: at(2), state: 'cancelled' });
      expect(await f.store.findPending('onboarding', newRequest().subjectKey)).toBeNull();
      const third = await f.store.create(newRequest({ idempotencyKey: 'third', createdAt: at(3) }));
      expect(third.created).toBe(true);
      expect((await f.store.findPending('onboarding', newRequest().subjectKey))?.id).toBe(third.request.id);
      // The same subject in another flow is another subject.
      expect((await f.store.create(newRequest({ flow: 'offboarding', idempotencyKey: 'old' }))).created).toBe(true);
    });

    it('ten asks about one subject at the same moment, with different keys, leave exactly one pending', async () => {
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => f.store.create(newRequest({ idempotencyKey: `race-${i}` }))));
      const created = results.filter((r) => r.created);
      expect(created).toHaveLength(1);
      expect(new Set(results.map((r) => r.request.id))).toEqual(new Set([created[0]!.request.id]));
    });

    it('follow-up: approved requests the flow has not acted on, oldest first, until marked', async () => {
      const approve = async (key: string, when: number) => {
        const { request } = await f.store.create(newRequest({ idempotencyKey: key, subjectKey: `s-${key}` }));
        await f.store.transition(request.id, 1, { now: at(when), state: 'approved', addDecision: { by: { id: 'm', name: 'M' }, decision: 'approve', at: at(when) } });
        return request.id;
      };
      const late = await approve('late', 20);
      const early = await approve('early', 10);
      const rejected = (await f.store.create(newRequest({ idempotencyKey: 'rejected', subjectKey: 's-rejected' }))).request.id;
      await f.store.transition(rejected, 1, { now: at(5), state: 'rejected' });
      const ids = (rs: { id: string }[]) => rs.map((r) => r.id);
      expect(ids(await f.store.awaitingFollowUp(at(30), 10))).toEqual([early, late]);
      expect(ids(await f.store.awaitingFollowUp(at(15), 10))).toEqual([early]);
      await f.store.markFollowedUp(early, at(31));
      expect(ids(await f.store.awaitingFollowUp(at(30), 10))).toEqual([late]);
      expect((await f.store.get(early))?.followedUpAt).toEqual(at(31));
      await f.store.markFollowedUp(rejected, at(31));
      expect((await f.store.get(rejected))?.followedUpAt).toBeUndefined();
    });

    it('due for reminder / expiry: pending ones whose moment has come, earliest first, at most the limit', async () => {
      const make = async (key: string, remindAt: Date | null, expiresAt: Date) => (await f.store.create(newRequest({ idempotencyKey: key, subjectKey: `subject-${key}`, remindAt, expiresAt }))).request.id;
      const a = await make('a', at(10), at(100));
      const b = await make('b', at(5), at(50));
      const c = await make('c', null, at(20));
      const d = await make('d', at(30), at(200));
      const closed = await make('closed', at(1), at(2));
      await f.store.transition(closed, 1, { now: at(0), state: 'rejected' });
      const ids = (rs: { id: string }[]) => rs.map((r) => r.id);
      expect(ids(await f.store.dueForReminder(at(10), 10))).toEqual([b, a]);
      expect(ids(await f.store.dueForReminder(at(30), 2))).toEqual([b, a]);
      expect(ids(await f.store.dueForReminder(at(4), 10))).toEqual([]);
      expect(ids(await f.store.dueForExpiry(at(50), 10))).toEqual([c, b]);
      expect(ids(await f.store.dueForExpiry(at(1000), 1))).toEqual([c]);
      expect(ids(await f.store.dueForExpiry(at(19), 10))).toEqual([]);
      expect(d).toBeDefined();
    });
  });
}
