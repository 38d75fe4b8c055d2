/**
 * WorkspaceMemberships in memory, seeded from the demo organisation, passing the same contract as
 * GraphWorkspaceMemberships + the Graph stand-in (test/contracts/workspace-memberships.contract.ts).
 * It keeps Graph's rules that show in results: a private channel takes only members of its team,
 * leaving a team empties its private channels, a disabled or unknown user cannot be added.
 * Tests inject failures per target: a failure that happens fewer times than the fake's attempts is
 * absorbed (as the adapter's retries absorb it); one that lasts longer comes back as that target's error.
 */
import type {
  MembershipOutcome,
  TargetError,
  TargetResult,
  TeamChannel,
  WorkspaceMemberships,
  WorkspaceTarget,
} from '../../src/domain/onboarding/workspace-memberships.port';
import { DomainError } from '../../src/domain/domain-error';
import { DEMO_GROUPS, DEMO_TEAMS, DEMO_USERS } from '../../src/sandbox/seed/demo-org';

interface FakeChannel extends TeamChannel {
  memberIds: Set<string>;
}

interface FakeTeam {
  memberIds: Set<string>;
  channels: FakeChannel[];
}

interface Injected {
  key: string;
  error: TargetError;
  /** Attempts it still fails; Infinity until cleared. */
  times: number;
}

/** The key a failure is injected under: `team:{id}`, `channel:{teamId}/{channelId}`, `group:{id}`. */
export const targetKey = (t: WorkspaceTarget): string => (t.kind === 'team' ? `team:${t.teamId}` : t.kind === 'channel' ? `channel:${t.teamId}/${t.channelId}` : `group:${t.groupId}`);

export class InMemoryWorkspaceMemberships implements WorkspaceMemberships {
  readonly teams = new Map<string, FakeTeam>();
  readonly groups = new Map<string, Set<string>>();
  /** User id -> account enabled. */
  readonly users = new Map<string, boolean>();
  readonly calls: { op: 'add' | 'remove' | 'isMember'; userId: string; targets: WorkspaceTarget[] }[] = [];
  private injected: Injected[] = [];

  /** How many times one call tries a target before its failure counts (the adapter's retries). */
  constructor(readonly attempts = 3) {}

  static fromDemoOrg(): InMemoryWorkspaceMemberships {
    const fake = new InMemoryWorkspaceMemberships();
    for (const u of DEMO_USERS) fake.users.set(u.id, u.accountEnabled ?? true);
    for (const t of DEMO_TEAMS) {
      fake.teams.set(t.id, {
        memberIds: new Set([...t.memberIds, t.managerId]),
        channels: [
          { id: t.channelId, displayName: 'General', membershipType: 'standard', memberIds: new Set() },
          ...t.channels.map((c) => ({ id: c.id, displayName: c.displayName, membershipType: c.membershipType, memberIds: new Set(c.membershipType === 'standard' ? [] : c.memberIds) })),
        ],
      });
    }
    for (const g of DEMO_GROUPS) fake.groups.set(g.id, new Set(g.memberIds));
    return fake;
  }

  /** The target's next `times` attempts fail with `error` (default: every attempt, until clearFailures). */
  injectFailure(target: WorkspaceTarget, error: TargetError, times = Infinity): void {
    this.injected.push({ key: targetKey(target), error, times });
  }

  clearFailures(): void {
    this.injected = [];
  }

  async channelsOf(teamId: string): Promise<TeamChannel[]> {
    const team = this.teams.get(teamId);
    if (!team) throw new DomainError('ONBOARDING.TEAM_NOT_FOUND', `Microsoft Teams has no team ${teamId}.`, { teamId });
    return team.channels.map(({ id, displayName, membershipType }) => ({ id, displayName, membershipType }));
  }

  async add(userId: string, targets: WorkspaceTarget[]): Promise<TargetResult<WorkspaceTarget>[]> {
    this.calls.push({ op: 'add', userId, targets });
    const results = new Map<WorkspaceTarget, TargetResult<WorkspaceTarget>>();
    // Teams first: a private channel takes only members of its team.
    for (const t of [...targets].sort((a, b) => rank(a) - rank(b))) {
      const team = t.kind === 'channel' ? targets.find((x) => x.kind === 'team' && x.teamId === t.teamId) : undefined;
      const teamResult = team && results.get(team);
      if (teamResult && !teamResult.ok) {
        results.set(t, { target: t, ok: false, error: { ...teamResult.error, message: `Not done because the team failed: ${teamResult.error.message}` } });
        continue;
      }
      results.set(t, this.attempt(t, () => this.addOne(userId, t)));
    }
    return targets.map((t) => results.get(t)!);
  }

  async remove(userId: string, targets: WorkspaceTarget[]): Promise<TargetResult<WorkspaceTarget>[]> {
    this.calls.push({ op: 'remove', userId, targets });
    const results = new Map<WorkspaceTarget, TargetResult<WorkspaceTarget>>();
    // Channels before their team: leaving the team empties its private channels.
    for (const t of [...targets].sort((a, b) => rank(b) - rank(a))) results.set(t, this.attempt(t, () => this.removeOne(userId, t)));
    return targets.map((t) => results.get(t)!);
  }

  async isMember(userId: string, targets: WorkspaceTarget[]): Promise<boolean[]> {
    this.calls.push({ op: 'isMember', userId, targets });
    return targets.map((t) => this.membersOf(t)?.has(userId) ?? false);
  }

  private attempt(t: WorkspaceTarget, run: () => MembershipOutcome | TargetError): TargetResult<WorkspaceTarget> {
    let failure: TargetError | undefined;
    for (let i = 0; i < this.attempts; i++) {
      failure = this.consume(targetKey(t));
      if (!failure) break;
    }
    if (failure) return { target: t, ok: false, error: failure };
    const outcome = run();
    return typeof outcome === 'string' ? { target: t, ok: true, outcome } : { target: t, ok: false, error: outcome };
  }

  private consume(key: string): TargetError | undefined {
    const found = this.injected.find((f) => f.key === key && f.times > 0);
    if (!found) return undefined;
    found.times -= 1;
    return found.error;
  }

  private addOne(userId: string, t: WorkspaceTarget): MembershipOutcome | TargetError {
    const members = this.membersOf(t);
    // Graph keeps disabled accounts out of teams and channels (404), not out of groups.
    if (!members || !this.users.has(userId) || (t.kind !== 'group' && !this.users.get(userId))) return notFound(t);
    if (t.kind === 'channel' && t.membershipType === 'private' && !this.teams.get(t.teamId)!.memberIds.has(userId)) return notFound(t);
    if (members.has(userId)) return 'already-member';
    members.add(userId);
    return 'added';
  }

  private removeOne(userId: string, t: WorkspaceTarget): MembershipOutcome {
    const members = this.membersOf(t);
    if (!members?.has(userId)) return 'already-gone';
    members.delete(userId);
    if (t.kind === 'team') for (const c of this.teams.get(t.teamId)!.channels) if (c.membershipType === 'private') c.memberIds.delete(userId);
    return 'removed';
  }

  /** The member set of a target; a standard channel's is its team's. */
  private membersOf(t: WorkspaceTarget): Set<string> | undefined {
    if (t.kind === 'group') return this.groups.get(t.groupId);
    const team = this.teams.get(t.teamId);
    if (!team || t.kind === 'team') return team?.memberIds;
    const channel = team.channels.find((c) => c.id === t.channelId);
    return channel && (channel.membershipType === 'standard' ? team.memberIds : channel.memberIds);
  }
}

const rank = (t: WorkspaceTarget) => (t.kind === 'team' ? 0 : t.kind === 'channel' ? 1 : 2);

const notFound = (t: WorkspaceTarget): TargetError => ({ code: 'ONBOARDING.TARGET_NOT_FOUND', message: `Microsoft Graph does not find the user or ${t.name} (fake).` });
