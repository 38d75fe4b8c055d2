/**
 * What every RepoRequestStore must do, run against the in-memory fake
 * (test/unit/repo-request-store.contract.test.ts) and MongoRepoRequestStore on the run's store
 * (test/integration/repo-request-store.contract.int.test.ts): status changes are one conditional
 * write, so racing clicks (Confirm and Cancel, two Confirms) have exactly one winner.
 */
import type { RepoRequest } from '../../src/domain/repos/repo-request';
import type { NewPendingRepoRequest, PendingRepoRequest, PendingRequestStatus, RepoRequestStore } from '../../src/domain/repos/repo-request-store.port';
import { buildPreview } from '../../src/domain/repos/repo-preview';
import { TEST_SETTINGS } from '../helpers/repo-fakes';

export interface RepoRequestStoreFixture {
  store: RepoRequestStore;
  close(): Promise<void>;
}

const at = (ms: number) => new Date(Date.UTC(2030, 0, 1) + ms);

const REQUEST: RepoRequest = {
  name: 'payments-ledger',
  project: 'Payments',
  stack: 'node',
  ownerTeam: 'team-payments',
  description: 'Ledger of card payments',
  environments: ['dev', 'staging', 'prod'],
  requestedBy: { id: 'aad-alice', name: 'Alice Developer', email: 'alice@contoso.example' },
};
const OWNER = { team: 'team-payments', displayName: 'Payments', email: 'payments@contoso.example' };

function newRequest(overrides: Partial<NewPendingRepoRequest> = {}): NewPendingRepoRequest {
  return {
    status: 'pending',
    request: REQUEST,
    owner: OWNER,
    requesterChannelId: '29:alice',
    preview: buildPreview(REQUEST, OWNER, TEST_SETTINGS),
    createdAt: at(0),
    updatedAt: at(0),
    ...overrides,
  };
}

export function repoRequestStoreContract(name: string, open: () => Promise<RepoRequestStoreFixture>): void {
  describe(`RepoRequestStore contract: ${name}`, () => {
    let f: RepoRequestStoreFixture;
    let store: RepoRequestStore;
    beforeAll(async () => {
      f = await open();
      store = f.store;
    });
    afterAll(async () => {
      await f?.close();
    });

    it('stores the request as given, with an id, and reads it back', async () => {
      const request = newRequest();
      const stored = await store.insert(request);
      expect(stored).toEqual({ ...request, id: expect.stringMatching(/^[0-9a-f]{24}$/) });
      await expect(store.get(stored.id)).resolves.toEqual(stored);
      const other = await store.insert(newRequest());
      expect(other.id).not.toBe(stored.id);
    });

    it('answers null for unknown and malformed ids, for reads and transitions', async () => {
      await expect(store.get('0123456789abcdef01234567')).resolves.toBeNull();
      await expect(store.get('not-an-id')).resolves.toBeNull();
      await expect(store.transition('0123456789abcdef01234567', 'pending', 'confirmed', 'aad-alice', at(1))).resolves.toBeNull();
      await expect(store.transition('not-an-id', 'pending', 'confirmed', 'aad-alice', at(1))).resolves.toBeNull();
    });

    it('a transition moves the status and records who and when; createdAt, where expiry counts from, stays', async () => {
      const { id } = await store.insert(newRequest());
      const moved = await store.transition(id, 'pending', 'confirmed', 'aad-alice', at(5000));
      expect(moved).toMatchObject({ id, status: 'confirmed', decidedBy: 'aad-alice', updatedAt: at(5000), createdAt: at(0) });
      await expect(store.get(id)).resolves.toEqual(moved);
      // Dates come back as Dates (checked by tag: jest's realm has its own Date).
      expect(Object.prototype.toString.call(moved!.createdAt)).toBe('[object Date]');
    });

    it('keeps an expired preview readable, with its createdAt to the millisecond (the service decides expiry from it)', async () => {
      const created = new Date(Date.UTC(2030, 0, 1, 12, 0, 0, 123));
      const { id } = await store.insert(newRequest({ createdAt: created, updatedAt: created }));
      const read = await store.get(id);
      expect(read!.createdAt.getTime()).toBe(created.getTime());
      expect(read!.status).toBe('pending');
    });

    it('a transition from a status the request no longer has changes nothing', async () => {
      const { id } = await store.insert(newRequest());
      const cancelled = await store.transition(id, 'pending', 'cancelled', 'aad-alice', at(1000));
      expect(cancelled!.status).toBe('cancelled');
      const cases: [PendingRequestStatus, PendingRequestStatus][] = [
        ['pending', 'confirmed'],
        ['pending', 'cancelled'],
        ['confirmed', 'cancelled'],
      ];
      for (const [from, to] of cases) await expect(store.transition(id, from, to, 'aad-mallory', at(2000))).resolves.toBeNull();
      await expect(store.get(id)).resolves.toEqual(cancelled);
    });

    it('Confirm and Cancel racing, 20 rounds: exactly one wins each round, and the stored request is the winner', async () => {
      for (let round = 0; round < 20; round++) {
        const { id } = await store.insert(newRequest());
        const attempts: [PendingRequestStatus, string][] = round % 2 ? [['confirmed', 'confirm'], ['cancelled', 'cancel']] : [['cancelled', 'cancel'], ['confirmed', 'confirm']];
        const results = await Promise.all(attempts.map(([to, by]) => store.transition(id, 'pending', to, by, at(round))));
        const winners = results.filter((r): r is PendingRepoRequest => r !== null);
        expect(winners).toHaveLength(1);
        await expect(store.get(id)).resolves.toEqual(winners[0]);
      }
    });

    it('ten Confirms at once: one wins', async () => {
      const { id } = await store.insert(newRequest());
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => store.transition(id, 'pending', 'confirmed', `click-${i}`, at(i))));
      expect(results.filter(Boolean)).toHaveLength(1);
    });
  });
}
