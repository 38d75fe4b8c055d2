/**
 * Workspace memberships over Microsoft Graph v1.0 with app-only permissions
 * (TeamMember.ReadWrite.All, ChannelMember.ReadWrite.All, GroupMember.ReadWrite.All,
 * Channel.ReadBasic.All). Every add / remove / isMember call goes out as JSON batches (graph-batch.ts).
 *
 * Add: a team or channel is looked up first in the same batch (Graph answers 201 whether or not
 * the person was already a member, and offboarding must know what the bot granted); the write
 * `dependsOn` the lookup, and a channel's write depends on its team's. Groups need no lookup:
 * Graph answers 400 "... already exist ..." for a member. Remove: the membership id is found by
 * `$filter` on the user id, then deleted; a team is left only after its channels.
 *
 * Retries stay inside the call, bounded by a time budget: 429 (waiting what Retry-After says),
 * 502/503/504 and transport failures (backoff), 404 on an add (Graph replicating a new team or
 * membership) and 424 (a request it depended on failed). What still fails is that target's error.
 */
import type { Client } from '@microsoft/microsoft-graph-client';
import { DomainError } from '../../domain/domain-error';
import type {
  MembershipOutcome,
  TargetError,
  TargetResult,
  TeamChannel,
  WorkspaceMemberships,
  WorkspaceTarget,
} from '../../domain/onboarding/workspace-memberships.port';
import { sendBatches, type BatchAnswer, type BatchRequest } from './graph-batch';
import { createGraphClient, type GraphClientHandle, type GraphClientOptions } from './graph-client';
import { statusOf, toDomainError } from './graph-errors';

const GRAPH = 'https://graph.microsoft.com/v1.0';
const RETRYABLE = new Set([-1, 429, 502, 503, 504]);
const MAX_BACKOFF_MS = 8_000;

/** Time as the retries see it; tests pass a manual clock so Retry-After costs no real time. */
export interface RetryClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const REAL_CLOCK: RetryClock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

export interface GraphWorkspaceMembershipsOptions extends GraphClientOptions {
  /** How long one call may spend waiting between retries in total. Default 30 s. */
  retryBudgetMs?: number;
  /** First wait when Graph gives no Retry-After; doubles each round up to 8 s. Default 500 ms. */
  backoffMs?: number;
  clock?: RetryClock;
}

type Target = WorkspaceTarget;
type TeamOrChannel = Extract<Target, { kind: 'team' | 'channel' }>;

interface State {
  target: Target;
  index: number;
  done?: TargetResult<Target>;
  /** Add: whether the lookup found a membership before we wrote one. */
  wasMember?: boolean;
  /** Add to a group: an earlier write may have happened though its answer was lost. */
  maybeWritten?: boolean;
  /** Remove: the membership to delete, once looked up. */
  membershipId?: string;
  last?: TargetError;
}

export class GraphWorkspaceMemberships implements WorkspaceMemberships {
  private readonly client: Client;
  private readonly handle: GraphClientHandle;
  private readonly budgetMs: number;
  private readonly backoffMs: number;
  private readonly clock: RetryClock;

  constructor(options: GraphWorkspaceMembershipsOptions) {
    // Our own bounded retries replace the SDK's (which would wait ~16 s on a 429 without Retry-After).
    this.handle = createGraphClient({ ...options, retry: options.retry ?? { maxRetries: 0 } });
    this.client = this.handle.client;
    this.budgetMs = options.retryBudgetMs ?? 30_000;
    this.backoffMs = options.backoffMs ?? 500;
    this.clock = options.clock ?? REAL_CLOCK;
  }

  close(): void {
    this.handle.close();
  }

  async channelsOf(teamId: string): Promise<TeamChannel[]> {
    const started = this.clock.now();
    for (let round = 0; ; round++) {
      try {
        const page = (await this.client.api(`/teams/${encodeURIComponent(teamId)}/channels`).select('id,displayName,membershipType').get()) as { value: TeamChannel[] };
        return page.value.map((c) => ({ id: c.id, displayName: c.displayName, membershipType: c.membershipType ?? 'standard' }));
      } catch (e) {
        const status = statusOf(e);
        if (status === 404) throw new DomainError('ONBOARDING.TEAM_NOT_FOUND', `Microsoft Teams has no team ${teamId}.`, { teamId });
        const error = toDomainError(e, "list a team's channels");
        const wait = this.waitFor(round, [{ status, retryAfterSeconds: error.details.retryAfterSeconds as number | undefined }]);
        if (!RETRYABLE.has(status) || this.clock.now() - started + wait > this.budgetMs) throw error;
        await this.clock.sleep(wait);
      }
    }
  }

  add(userId: string, targets: Target[]): Promise<TargetResult<Target>[]> {
    return this.rounds(targets, (pending) => this.addRequests(userId, pending), (s, answers) => this.settleAdd(s, answers));
  }

  remove(userId: string, targets: Target[]): Promise<TargetResult<Target>[]> {
    return this.rounds(targets, (pending) => this.removeRequests(userId, pending), (s, answers) => this.settleRemove(s, answers));
  }

  async isMember(userId: string, targets: Target[]): Promise<boolean[]> {
    const found = new Map<number, boolean>();
    const results = await this.rounds(
      targets,
      (pending) => pending.map((s) => [this.lookup(userId, s)]),
      (s, answers) => {
        const a = answers.get(`c${s.index}`)!;
        if (a.status === 200 || a.status === 404) {
          found.set(s.index, a.status === 200 && memberships(a).length > 0);
          return ok(s, 'already-member');
        }
        return this.retryOrFail(s, a, 'check membership of', false);
      },
    );
    const failed = results.find((r) => !r.ok);
    if (failed && !failed.ok) throw new DomainError(failed.error.code, failed.error.message, { service: 'graph', retryAfterSeconds: failed.error.retryAfterSeconds });
    return targets.map((_t, i) => found.get(i) ?? false);
  }

  // ---- the rounds: send what is pending, settle each answer, wait, again ---------------------

  private async rounds(
    targets: Target[],
    plan: (pending: State[]) => BatchRequest[][],
    settle: (s: State, answers: Map<string, BatchAnswer>) => TargetResult<Target> | undefined,
  ): Promise<TargetResult<Target>[]> {
    const states: State[] = targets.map((target, index) => ({ target, index }));
    const started = this.clock.now();
    for (let round = 0; ; round++) {
      const pending = states.filter((s) => !s.done);
      const answers = await sendBatches(this.client, plan(pending));
      const retryable: BatchAnswer[] = [];
      for (const s of pending) {
        s.done = settle(s, answers);
        if (!s.done) retryable.push(...[...answers.entries()].filter(([id]) => id.slice(1) === String(s.index)).map(([, a]) => a));
      }
      this.failChannelsOfFailedTeams(states);
      const left = states.filter((s) => !s.done);
      if (!left.length) break;
      const wait = this.waitFor(round, retryable);
      if (this.clock.now() - started + wait > this.budgetMs) {
        for (const s of left) s.done = { target: s.target, ok: false, error: s.last ?? { code: 'UPSTREAM.UNAVAILABLE', message: 'Microsoft Graph did not answer in time.' } };
        break;
      }
      await this.clock.sleep(wait);
    }
    return states.map((s) => s.done!);
  }

  /** The longest Retry-After among throttled answers, else exponential backoff. */
  private waitFor(round: number, answers: { status: number; retryAfterSeconds?: number }[]): number {
    const retryAfter = Math.max(0, ...answers.filter((a) => a.status === 429 && a.retryAfterSeconds !== undefined).map((a) => a.retryAfterSeconds! * 1000));
    return Math.max(retryAfter, Math.min(this.backoffMs * 2 ** round, MAX_BACKOFF_MS));
  }

  /** A channel cannot be joined once its team failed for good: it fails with the team's error. */
  private failChannelsOfFailedTeams(states: State[]): void {
    for (const s of states) {
      if (s.done || s.target.kind !== 'channel') continue;
      const teamId = s.target.teamId;
      const team = states.find((t) => t.target.kind === 'team' && t.target.teamId === teamId && t.done && !t.done.ok);
      if (team?.done && !team.done.ok) {
        s.done = { target: s.target, ok: false, error: { ...team.done.error, message: `Not done because the team failed: ${team.done.error.message}` } };
      }
    }
  }

  // ---- add ----------------------------------------------------------------------------------

  private addRequests(userId: string, pending: State[]): BatchRequest[][] {
    const member = { '@odata.type': '#microsoft.graph.aadUserConversationMember', roles: [], 'user@odata.bind': `${GRAPH}/users('${userId}')` };
    const ref = { '@odata.id': `${GRAPH}/directoryObjects/${userId}` };
    const units = new Map<string, BatchRequest[]>();
    const unit = (key: string) => units.get(key) ?? units.set(key, []).get(key)!;
    // Teams first, so a channel's write can depend on its team's in the same batch.
    const ordered = [...pending].sort((a, b) => rank(a.target) - rank(b.target));
    for (const s of ordered) {
      const t = s.target;
      if (t.kind === 'group') {
        unit(`g${s.index}`).push({ id: `w${s.index}`, method: 'POST', url: `/groups/${encodeURIComponent(t.groupId)}/members/$ref`, body: ref });
        continue;
      }
      const requests = unit(`t${t.teamId}`);
      const checked = s.wasMember !== undefined;
      if (!checked) requests.push(this.lookup(userId, s));
      const teamWrite = t.kind === 'channel' ? pending.find((p) => p.target.kind === 'team' && p.target.teamId === t.teamId) : undefined;
      const dependsOn = [...(checked ? [] : [`c${s.index}`]), ...(teamWrite ? [`w${teamWrite.index}`] : [])];
      requests.push({ id: `w${s.index}`, method: 'POST', url: `${membersUrl(t)}`, body: member, dependsOn });
    }
    return [...units.values()];
  }

  private settleAdd(s: State, answers: Map<string, BatchAnswer>): TargetResult<Target> | undefined {
    const write = answers.get(`w${s.index}`)!;
    const check = answers.get(`c${s.index}`);
    if (s.target.kind === 'group') {
      if (write.status === 204 || write.status === 200) return ok(s, 'added');
      if (write.status === 400 && /already exist/i.test(write.message ?? '')) return ok(s, s.maybeWritten ? 'added' : 'already-member');
      if (write.status >= 500 || write.status === -1) s.maybeWritten = true;
      return this.retryOrFail(s, write, 'add the user to', true);
    }
    if (check?.status === 200 && s.wasMember === undefined) s.wasMember = memberships(check).length > 0;
    if (write.status === 201 || write.status === 200 || s.wasMember) return ok(s, s.wasMember ? 'already-member' : 'added');
    // A write that never ran (424) fails with what its lookup answered, when that failed.
    const cause = write.status === 424 && check && check.status >= 400 ? check : write;
    return this.retryOrFail(s, cause, 'add the user to', true);
  }

  // ---- remove -------------------------------------------------------------------------------

  private removeRequests(userId: string, pending: State[]): BatchRequest[][] {
    const units = new Map<string, BatchRequest[]>();
    const unit = (key: string) => units.get(key) ?? units.set(key, []).get(key)!;
    // Channels first: leaving a team also empties its private channels, which would read as "already gone".
    const ordered = [...pending].sort((a, b) => rank(b.target) - rank(a.target));
    for (const s of ordered) {
      const t = s.target;
      if (t.kind === 'group') {
        unit(`g${s.index}`).push({ id: `w${s.index}`, method: 'DELETE', url: `/groups/${encodeURIComponent(t.groupId)}/members/${encodeURIComponent(userId)}/$ref` });
        continue;
      }
      const requests = unit(`t${t.teamId}`);
      if (s.membershipId === undefined) {
        requests.push(this.lookup(userId, s));
        continue;
      }
      const channels = t.kind === 'team' ? pending.filter((p) => p.target.kind === 'channel' && p.target.teamId === t.teamId) : [];
      // The team waits for a round in which its channels' memberships are known and deleted first.
      if (channels.some((c) => c.membershipId === undefined)) continue;
      requests.push({ id: `w${s.index}`, method: 'DELETE', url: `${membersUrl(t)}/${encodeURIComponent(s.membershipId)}`, dependsOn: channels.map((c) => `w${c.index}`) });
    }
    return [...units.values()].filter((u) => u.length);
  }

  private settleRemove(s: State, answers: Map<string, BatchAnswer>): TargetResult<Target> | undefined {
    const check = answers.get(`c${s.index}`);
    if (check) {
      if (check.status === 404) return ok(s, 'already-gone');
      if (check.status !== 200) return this.retryOrFail(s, check, 'look up the membership in', false);
      const found = memberships(check)[0];
      if (!found) return ok(s, 'already-gone');
      s.membershipId = found.id;
      return undefined; // deleted next round
    }
    const write = answers.get(`w${s.index}`);
    if (!write) return undefined; // a team waiting for its channels
    if (write.status === 204 || write.status === 200) return ok(s, 'removed');
    if (write.status === 404) return ok(s, 'already-gone');
    return this.retryOrFail(s, write, 'remove the user from', false);
  }

  // ---- shared -------------------------------------------------------------------------------

  /** The membership lookup of a team, channel or group by user id (`c{index}`). */
  private lookup(userId: string, s: State): BatchRequest {
    const t = s.target;
    if (t.kind === 'group') {
      // Filtering a group's members by id is an advanced query: Graph wants ConsistencyLevel and $count.
      const filter = encodeURIComponent(`id eq '${userId}'`);
      return { id: `c${s.index}`, method: 'GET', url: `/groups/${encodeURIComponent(t.groupId)}/members?$filter=${filter}&$select=id&$count=true`, headers: { ConsistencyLevel: 'eventual' } };
    }
    const filter = encodeURIComponent(`(microsoft.graph.aadUserConversationMember/userId eq '${userId}')`);
    return { id: `c${s.index}`, method: 'GET', url: `${membersUrl(t)}?$filter=${filter}` };
  }

  /** Undefined (try again next round) for what may pass on retry; else the target's final error. */
  private retryOrFail(s: State, a: BatchAnswer, action: string, write: boolean): TargetResult<Target> | undefined {
    s.last = targetError(a, `${action} ${s.target.name}`);
    const transient = RETRYABLE.has(a.status) || a.status === 424 || (write && a.status === 404);
    return transient ? undefined : { target: s.target, ok: false, error: s.last };
  }
}

const rank = (t: Target) => (t.kind === 'team' ? 0 : t.kind === 'channel' ? 1 : 2);

const membersUrl = (t: TeamOrChannel) =>
  t.kind === 'team' ? `/teams/${encodeURIComponent(t.teamId)}/members` : `/teams/${encodeURIComponent(t.teamId)}/channels/${encodeURIComponent(t.channelId)}/members`;

const memberships = (a: BatchAnswer): { id: string }[] => ((a.body as { value?: { id: string }[] } | undefined)?.value ?? []);

const ok = (s: State, outcome: MembershipOutcome): TargetResult<Target> => ({ target: s.target, ok: true, outcome });

/** The DomainError code and a log-safe message for what Graph answered (never the user's data beyond ids). */
function targetError(a: BatchAnswer, what: string): TargetError {
  const detail = `${a.code ?? 'no code'}, HTTP ${a.status}`;
  if (a.status === 429) return { code: 'UPSTREAM.THROTTLED', message: `Microsoft Graph is throttling requests to ${what} (${detail}).`, ...(a.retryAfterSeconds !== undefined ? { retryAfterSeconds: a.retryAfterSeconds } : {}) };
  if (a.status === 401 || a.status === 403) return { code: 'UPSTREAM.FORBIDDEN', message: `Microsoft Graph refused to let me ${what} (${detail}).` };
  if (a.status === 404) return { code: 'ONBOARDING.TARGET_NOT_FOUND', message: `Microsoft Graph does not find the user or ${what.replace(/^.* (to|from|in) /, '')} (${detail}).` };
  if (a.status === -1 || a.status >= 500 || a.status === 424) return { code: 'UPSTREAM.UNAVAILABLE', message: `Microsoft Graph did not answer a request to ${what} (${detail}).` };
  return { code: 'UPSTREAM.FAILED', message: `Microsoft Graph refused to ${what} (${detail}).` };
}
