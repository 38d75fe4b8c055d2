/**
 * Memberships in the collaboration workspace (Microsoft Teams teams, their private and shared
 * channels, directory groups) that onboarding grants and offboarding takes back. Standard channels
 * need nothing: every member of the team is in them. Every call is idempotent: "already a member"
 * is success (`already-member`), removing what is not there is success (`already-gone`).
 * Transient failures (throttling, an outage, the 404 Graph gives while a new membership
 * replicates) are retried inside the call for a bounded time; what still fails comes back per
 * target as an error, so the other targets' outcomes are kept.
 */

export type ChannelMembershipType = 'standard' | 'private' | 'shared';

export interface TeamChannel {
  id: string;
  displayName: string;
  membershipType: ChannelMembershipType;
}

/** Something a person can be a member of. `name` is for people (cards, audit). */
export type WorkspaceTarget =
  | { kind: 'team'; teamId: string; name: string }
  | { kind: 'channel'; teamId: string; channelId: string; name: string; membershipType: 'private' | 'shared' }
  | { kind: 'group'; groupId: string; name: string };

export type MembershipOutcome = 'added' | 'already-member' | 'removed' | 'already-gone';

/** A failure that outlasted the retries: a DomainError code and its log-safe message. */
export interface TargetError {
  code: string;
  message: string;
  retryAfterSeconds?: number;
}

export type TargetResult<T> = { target: T; ok: true; outcome: MembershipOutcome } | { target: T; ok: false; error: TargetError };

export interface WorkspaceMemberships {
  /** The team's channels; DomainError ONBOARDING.TEAM_NOT_FOUND when the team does not exist. */
  channelsOf(teamId: string): Promise<TeamChannel[]>;
  /** Adds the user to every target (a channel after its team), in as few round trips as the technology allows. One result per target, in order. */
  add(userId: string, targets: WorkspaceTarget[]): Promise<TargetResult<WorkspaceTarget>[]>;
  /** Removes the user from every target (channels before their team). One result per target, in order. */
  remove(userId: string, targets: WorkspaceTarget[]): Promise<TargetResult<WorkspaceTarget>[]>;
  /** Whether the user is in each target now (direct membership), in order. */
  isMember(userId: string, targets: WorkspaceTarget[]): Promise<boolean[]>;
}
