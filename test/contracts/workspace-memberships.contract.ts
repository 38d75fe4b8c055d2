/**
 * What every WorkspaceMemberships must do, run against the in-memory fake and against
 * GraphWorkspaceMemberships + the Graph stand-in (test/integration/workspace-memberships.contract.int.test.ts).
 * The data is the demo organisation: Henry joins Payments (its team, private On-call channel,
 * shared Checkout partners channel, the payments-developers and pci-cardholder-data groups).
 */
import { isDomainError } from '../../src/domain/domain-error';
import type { WorkspaceMemberships, WorkspaceTarget } from '../../src/domain/onboarding/workspace-memberships.port';
import { DEMO_GROUPS, DEMO_TEAMS, userBySlug } from '../../src/sandbox/seed/demo-org';

export type FaultKind = 'throttled' | 'replication' | 'unavailable';

export interface WorkspaceMembershipsFixture {
  memberships: WorkspaceMemberships;
  /**
   * Writes to `target` fail with `kind` (throttled: 429 with Retry-After `retryAfterSeconds`;
   * replication: the 404 of a membership Graph has not replicated yet): the next `times` attempts,
   * or, without `times`, until reset (longer than any retry budget).
   */
  fault(target: WorkspaceTarget, kind: FaultKind, options?: { times?: number; retryAfterSeconds?: number }): Promise<void>;
  /** Back to the demo organisation, no faults. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

const henry = userBySlug('henry');
const alice = userBySlug('alice');
const ivan = userBySlug('ivan');
const payments = DEMO_TEAMS.find((t) => t.name === 'team-payments')!;
const channel = (name: string) => {
  const c = payments.channels.find((x) => x.displayName === name)!;
  return { kind: 'channel', teamId: payments.id, channelId: c.id, name: c.displayName, membershipType: c.membershipType as 'private' | 'shared' } as const;
};
const group = (name: string) => ({ kind: 'group', groupId: DEMO_GROUPS.find((g) => g.displayName === name)!.id, name }) as const;

const team: WorkspaceTarget = { kind: 'team', teamId: payments.id, name: payments.displayName };
const oncall: WorkspaceTarget = channel('On-call');
const partners: WorkspaceTarget = channel('Checkout partners');
const developers: WorkspaceTarget = group('payments-developers');
const pci: WorkspaceTarget = group('pci-cardholder-data');
const ALL: WorkspaceTarget[] = [team, oncall, partners, developers, pci];
const UNKNOWN_TEAM = '10000000-0000-4000-b000-00000000dead';

const outcomes = (results: { ok: boolean; outcome?: string; error?: { code: string } }[]) => results.map((r) => (r.ok ? r.outcome : r.error!.code));

export function workspaceMembershipsContract(name: string, open: () => Promise<WorkspaceMembershipsFixture>): void {
  describe(`WorkspaceMemberships contract: ${name}`, () => {
    let f: WorkspaceMembershipsFixture;
    beforeAll(async () => {
      f = await open();
    });
    afterAll(async () => {
      await f?.close();
    });
    beforeEach(async () => {
      await f.reset();
    });

    it("lists a team's channels with their membership types; an unknown team is ONBOARDING.TEAM_NOT_FOUND", async () => {
      const channels = await f.memberships.channelsOf(payments.id);
      expect(channels).toEqual([
        { id: payments.channelId, displayName: 'General', membershipType: 'standard' },
        ...payments.channels.map((c) => ({ id: c.id, displayName: c.displayName, membershipType: c.membershipType })),
      ]);
      const error = await f.memberships.channelsOf(UNKNOWN_TEAM).catch((e: unknown) => e);
      expect(isDomainError(error) && error.code).toBe('ONBOARDING.TEAM_NOT_FOUND');
    });

    it('adds a joiner to a team, its private and shared channels and groups, once; a second add is already-member', async () => {
      expect(await f.memberships.isMember(henry.id, ALL)).toEqual([false, false, false, false, false]);
      expect(outcomes(await f.memberships.add(henry.id, ALL))).toEqual(['added', 'added', 'added', 'added', 'added']);
      expect(await f.memberships.isMember(henry.id, ALL)).toEqual([true, true, true, true, true]);
      expect(outcomes(await f.memberships.add(henry.id, ALL))).toEqual(['already-member', 'already-member', 'already-member', 'already-member', 'already-member']);
    });

    it('answers in the order asked, and joins the team before its private channel whatever the order', async () => {
      const asked = [pci, oncall, developers, partners, team];
      const results = await f.memberships.add(henry.id, asked);
      expect(results.map((r) => r.target)).toEqual(asked);
      expect(outcomes(results)).toEqual(['added', 'added', 'added', 'added', 'added']);
    });

    it('tells what was already there from what it added (offboarding removes only what was granted)', async () => {
      // Alice is in the team, On-call and both groups already; not in Checkout partners.
      expect(outcomes(await f.memberships.add(alice.id, ALL))).toEqual(['already-member', 'already-member', 'added', 'already-member', 'already-member']);
    });

    it('removes channels before their team, each once; a second remove is already-gone', async () => {
      await f.memberships.add(henry.id, ALL);
      // The team first in the list: its private channel is still removed as such, not found gone.
      const asked = [team, developers, oncall, partners, pci];
      const results = await f.memberships.remove(henry.id, asked);
      expect(results.map((r) => r.target)).toEqual(asked);
      expect(outcomes(results)).toEqual(['removed', 'removed', 'removed', 'removed', 'removed']);
      expect(await f.memberships.isMember(henry.id, ALL)).toEqual([false, false, false, false, false]);
      expect(outcomes(await f.memberships.remove(henry.id, asked))).toEqual(['already-gone', 'already-gone', 'already-gone', 'already-gone', 'already-gone']);
    });

    it('isMember reads direct membership per target, in order', async () => {
      expect(await f.memberships.isMember(alice.id, [partners, team, pci, oncall])).toEqual([false, true, true, true]);
    });

    it('a private channel refuses someone outside the team; a disabled account and an unknown team are TARGET_NOT_FOUND', async () => {
      expect(outcomes(await f.memberships.add(henry.id, [oncall]))).toEqual(['ONBOARDING.TARGET_NOT_FOUND']);
      // Graph keeps a disabled account out of teams (404), not out of groups.
      expect(outcomes(await f.memberships.add(ivan.id, [team, developers]))).toEqual(['ONBOARDING.TARGET_NOT_FOUND', 'added']);
      const unknown: WorkspaceTarget = { kind: 'team', teamId: UNKNOWN_TEAM, name: 'Gone' };
      expect(outcomes(await f.memberships.add(henry.id, [unknown, pci]))).toEqual(['ONBOARDING.TARGET_NOT_FOUND', 'added']);
    });

    it('retries a 429 and a replication 404 inside the call, then succeeds', async () => {
      await f.fault(team, 'throttled', { times: 2, retryAfterSeconds: 2 });
      await f.fault(oncall, 'replication', { times: 2 });
      expect(outcomes(await f.memberships.add(henry.id, [team, oncall, developers]))).toEqual(['added', 'added', 'added']);
      expect(await f.memberships.isMember(henry.id, [team, oncall, developers])).toEqual([true, true, true]);
    });

    it('a fault that outlasts the retries is that target error; the other targets still succeed', async () => {
      await f.fault(developers, 'throttled', { retryAfterSeconds: 1 });
      await f.fault(pci, 'unavailable');
      const results = await f.memberships.add(henry.id, [team, developers, partners, pci]);
      expect(outcomes(results)).toEqual(['added', 'UPSTREAM.THROTTLED', 'added', 'UPSTREAM.UNAVAILABLE']);
      const throttled = results[1]!;
      expect(!throttled.ok && throttled.error.retryAfterSeconds).toBe(1);
      expect(await f.memberships.isMember(henry.id, [team, developers, partners, pci])).toEqual([true, false, true, false]);
    });

    it('a channel whose team failed for good fails with it', async () => {
      await f.fault(team, 'unavailable');
      expect(outcomes(await f.memberships.add(henry.id, [team, oncall, developers]))).toEqual(['UPSTREAM.UNAVAILABLE', 'UPSTREAM.UNAVAILABLE', 'added']);
    });
  });
}
