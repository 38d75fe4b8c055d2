/**
 * Concurrent clicks and sweeps on one request, run on the in-memory store (unit) and the Mongo
 * adapter (integration): each race changes the request once and leaves exactly one audit record.
 */
import type { AuditLog } from '../../src/domain/audit/audit.port';
import type { ApprovalStore } from '../../src/domain/approvals/approval-store.port';
import { approvalWorld, HOUR, P, secretAsk, T0 } from './approval-world';

export interface RaceFixture {
  store: ApprovalStore;
  audit: AuditLog;
  close(): Promise<void>;
}

const settle = <T>(ps: Promise<T>[]) => Promise.allSettled(ps);

export function approvalRaces(name: string, makeFixture: () => Promise<RaceFixture>): void {
  describe(`Approval races: ${name}`, () => {
    let f: RaceFixture;
    beforeEach(async () => {
      f = await makeFixture();
    });
    afterEach(async () => {
      await f?.close();
    });

    const audited = async (action: string, id: string) => (await f.audit.find({ action, target: `approval:${id}` })).filter((e) => e.result === 'success');

    it('a double click on two replicas at once approves once, with one audit record and one notice', async () => {
      const w = approvalWorld(f.store, f.audit);
      const { request } = await w.service.request(secretAsk());
      const other = w.replica();
      const results = await settle([w.service.decide(request.id, P.bob, 'approve', 'ok'), other.decide(request.id, P.bob, 'approve', 'ok')]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
      const changed = results.map((r) => (r.status === 'fulfilled' ? r.value.changed : null));
      expect(changed.sort()).toEqual([false, true]);
      const stored = await f.store.get(request.id);
      expect(stored?.state).toBe('approved');
      expect(stored?.decisions).toHaveLength(1);
      expect(await audited('approval.decide', request.id)).toHaveLength(1);
      expect(w.notifier.of('decided')).toEqual([request.id]);
    });

    it('two approvers at once (approve and reject): one decides, the other is told it is stale', async () => {
      const w = approvalWorld(f.store, f.audit);
      const { request } = await w.service.request(secretAsk());
      const results = await settle([w.service.decide(request.id, P.bob, 'approve'), w.replica().decide(request.id, P.lead, 'reject', 'not now')]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost.map((r) => (r.reason as { code: string }).code)).toEqual(['APPROVALS.STALE']);
      const stored = await f.store.get(request.id);
      expect(stored?.decisions).toHaveLength(1);
      expect(stored?.state).toBe(stored?.decisions[0]?.decision === 'approve' ? 'approved' : 'rejected');
      expect(await audited('approval.decide', request.id)).toHaveLength(1);
      expect(w.notifier.of('decided')).toHaveLength(1);
    });

    it('cancel and approve at once: exactly one of them happens', async () => {
      const w = approvalWorld(f.store, f.audit);
      const { request } = await w.service.request(secretAsk());
      const results = await settle([w.service.cancel(request.id, P.ann), w.replica().decide(request.id, P.lead, 'approve')]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const stored = await f.store.get(request.id);
      const succeeded = [...(await audited('approval.decide', request.id)), ...(await audited('approval.cancel', request.id))];
      expect(succeeded).toHaveLength(1);
      expect(['cancelled', 'approved']).toContain(stored?.state);
    });

    it('the sweep on three replicas at once reminds once and expires once', async () => {
      const w = approvalWorld(f.store, f.audit);
      const { request } = await w.service.request(secretAsk());
      const replicas = [w.service, w.replica(), w.replica()];
      const reminded = await Promise.all(replicas.map((s) => s.remind(new Date(T0.getTime() + 24 * HOUR))));
      expect(reminded.flat()).toEqual([request.id]);
      expect(w.notifier.of('reminded')).toEqual([request.id]);
      expect(await audited('approval.remind', request.id)).toHaveLength(1);
      const expired = await Promise.all(replicas.map((s) => s.expire(new Date(T0.getTime() + 72 * HOUR))));
      expect(expired.flat()).toEqual([request.id]);
      expect(w.notifier.of('expired')).toEqual([request.id]);
      expect(await audited('approval.expire', request.id)).toHaveLength(1);
      expect((await f.store.get(request.id))?.state).toBe('expired');
    });
  });
}
