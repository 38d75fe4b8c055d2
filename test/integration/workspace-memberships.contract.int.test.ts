/**
 * The WorkspaceMemberships contract on the in-memory fake and on GraphWorkspaceMemberships + the
 * Graph stand-in, then what only the adapter shows: how many $batch round trips it takes and that
 * it waits what Retry-After says (a manual clock: no real waiting, no timed assertions).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ClientSecretCredential } from '@azure/identity';
import { GraphWorkspaceMemberships, type RetryClock } from '../../src/adapters/graph/graph-workspace-memberships.adapter';
import type { WorkspaceTarget } from '../../src/domain/onboarding/workspace-memberships.port';
import { startIdentityStandIns } from '../../src/sandbox/standins/azure-identity-standins';
import { DEMO_TEAMS, DEMO_TENANT_ID, userBySlug } from '../../src/sandbox/seed/demo-org';
import { workspaceMembershipsContract, type FaultKind } from '../contracts/workspace-memberships.contract';
import { InMemoryWorkspaceMemberships } from '../fakes/in-memory-workspace-memberships';

const CLIENT = { clientId: '11111111-0000-4000-8000-0000000a1b00', clientSecret: 'memberships-test-secret' };
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The path of a target's write, as a fault pattern (Graph's decoded path). */
const writePath = (t: WorkspaceTarget) =>
  t.kind === 'team'
    ? `^/v1\\.0/teams/${escape(t.teamId)}/members$`
    : t.kind === 'channel'
      ? `^/v1\\.0/teams/${escape(t.teamId)}/channels/${escape(t.channelId)}/members$`
      : `^/v1\\.0/groups/${escape(t.groupId)}/members/\\$ref$`;

class ManualClock implements RetryClock {
  at = 0;
  readonly slept: number[] = [];
  now = () => this.at;
  sleep = async (ms: number) => {
    this.slept.push(ms);
    this.at += ms;
  };
}

workspaceMembershipsContract('InMemoryWorkspaceMemberships', async () => {
  let fake = InMemoryWorkspaceMemberships.fromDemoOrg();
  const memberships = {
    channelsOf: (teamId: string) => fake.channelsOf(teamId),
    add: (u: string, t: WorkspaceTarget[]) => fake.add(u, t),
    remove: (u: string, t: WorkspaceTarget[]) => fake.remove(u, t),
    isMember: (u: string, t: WorkspaceTarget[]) => fake.isMember(u, t),
  };
  const errors: Record<FaultKind, (retryAfterSeconds?: number) => { code: string; message: string; retryAfterSeconds?: number }> = {
    throttled: (s) => ({ code: 'UPSTREAM.THROTTLED', message: 'throttled (fake)', ...(s !== undefined ? { retryAfterSeconds: s } : {}) }),
    replication: () => ({ code: 'ONBOARDING.TARGET_NOT_FOUND', message: 'not replicated yet (fake)' }),
    unavailable: () => ({ code: 'UPSTREAM.UNAVAILABLE', message: 'unavailable (fake)' }),
  };
  return {
    memberships,
    fault: async (target, kind, options = {}) => fake.injectFailure(target, errors[kind](options.retryAfterSeconds), options.times),
    reset: async () => {
      fake = InMemoryWorkspaceMemberships.fromDemoOrg();
    },
    close: async () => undefined,
  };
});

async function startAdapter() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'memberships-contract-'));
  const ids = await startIdentityStandIns({ dataDir, tenantId: DEMO_TENANT_ID, clients: [CLIENT] });
  const clock = new ManualClock();
  const credential = new ClientSecretCredential(DEMO_TENANT_ID, CLIENT.clientId, CLIENT.clientSecret, ids.credentialOptions);
  const memberships = new GraphWorkspaceMemberships({ credential, ...ids.graphClientOptions, retryBudgetMs: 10_000, backoffMs: 100, clock });
  const close = async () => {
    memberships.close();
    await ids.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  return { ids, clock, memberships, close };
}

workspaceMembershipsContract('GraphWorkspaceMemberships + Graph stand-in', async () => {
  const { ids, memberships, close } = await startAdapter();
  const status: Record<FaultKind, number> = { throttled: 429, replication: 404, unavailable: 503 };
  return {
    memberships,
    fault: async (target, kind, options = {}) =>
      ids.graph.addFault({ kind: 'status', method: 'POST', path: writePath(target), status: status[kind], times: options.times, retryAfterSeconds: options.retryAfterSeconds }),
    reset: async () => {
      ids.graph.reset();
      ids.graph.clearFaults();
    },
    close,
  };
});

describe('GraphWorkspaceMemberships: round trips and waits', () => {
  const henry = userBySlug('henry');
  const payments = DEMO_TEAMS.find((t) => t.name === 'team-payments')!;
  const team: WorkspaceTarget = { kind: 'team', teamId: payments.id, name: 'Payments' };
  const channels: WorkspaceTarget[] = payments.channels
    .filter((c) => c.membershipType !== 'standard')
    .map((c) => ({ kind: 'channel', teamId: payments.id, channelId: c.id, name: c.displayName, membershipType: c.membershipType as 'private' | 'shared' }));
  let a: Awaited<ReturnType<typeof startAdapter>>;
  const batchCalls = () => a.ids.graph.requests.filter((r) => r.path === '/v1.0/$batch').length;
  const groups = (n: number): WorkspaceTarget[] =>
    Array.from({ length: n }, (_v, i) => {
      const id = `21000000-0000-4000-b000-${String(i).padStart(12, '0')}`;
      a.ids.graph.addGroup({ id, displayName: `access-${i}` });
      return { kind: 'group', groupId: id, name: `access-${i}` } as const;
    });

  beforeAll(async () => {
    a = await startAdapter();
  });
  afterAll(async () => {
    await a?.close();
  });
  beforeEach(() => {
    a.ids.graph.reset();
    a.ids.graph.clearFaults();
    a.ids.graph.requests.length = 0;
    a.clock.slept.length = 0;
  });

  it.each([1, 20, 21, 45])('%i group targets take ceil(N/20) $batch calls and no other request', async (n) => {
    const targets = groups(n);
    a.ids.graph.requests.length = 0;
    const results = await a.memberships.add(henry.id, targets);
    expect(results.every((r) => r.ok && r.outcome === 'added')).toBe(true);
    expect(batchCalls()).toBe(Math.ceil(n / 20));
    expect(a.ids.graph.requests.filter((r) => !r.batchRequestId && r.path !== '/v1.0/$batch')).toEqual([]);
  });

  it("a joiner's team, 2 channels and 2 groups: one $batch to add, two to remove (the membership ids are looked up first)", async () => {
    const targets = [team, ...channels, ...groups(2)];
    await a.memberships.add(henry.id, targets);
    expect(batchCalls()).toBe(1);
    // Inside it, each channel's write depends on the team's.
    const batch = a.ids.graph.requests.find((r) => r.path === '/v1.0/$batch')!.body as { requests: { id: string; url: string; method: string; dependsOn?: string[] }[] };
    const teamWrite = batch.requests.find((r) => r.method === 'POST' && r.url === `/teams/${payments.id}/members`)!;
    const channelWrites = batch.requests.filter((r) => r.method === 'POST' && r.url.includes('/channels/'));
    expect(channelWrites).toHaveLength(2);
    for (const w of channelWrites) expect(w.dependsOn).toContain(teamWrite.id);

    a.ids.graph.requests.length = 0;
    await a.memberships.remove(henry.id, targets);
    expect(batchCalls()).toBe(2);
  });

  it('waits what Retry-After says before trying again; a wait beyond the budget is not taken', async () => {
    a.ids.graph.addFault({ kind: 'status', method: 'POST', path: `^/v1\\.0/teams/${payments.id}/members$`, status: 429, retryAfterSeconds: 3, times: 1 });
    expect((await a.memberships.add(henry.id, [team]))[0]).toMatchObject({ ok: true, outcome: 'added' });
    expect(a.clock.slept).toEqual([3000]);

    a.clock.slept.length = 0;
    const [target] = groups(1);
    a.ids.graph.addFault({ kind: 'status', method: 'POST', path: '/members/\\$ref$', status: 429, retryAfterSeconds: 60 });
    const [result] = await a.memberships.add(henry.id, [target!]);
    expect(result).toMatchObject({ ok: false, error: { code: 'UPSTREAM.THROTTLED', retryAfterSeconds: 60 } });
    expect(a.clock.slept).toEqual([]);
  });

  it('a throttled $batch as a whole is retried too', async () => {
    a.ids.graph.addFault({ kind: 'status', method: 'POST', path: '^/v1\\.0/\\$batch$', status: 429, retryAfterSeconds: 1, times: 1 });
    expect((await a.memberships.add(henry.id, [team]))[0]).toMatchObject({ ok: true, outcome: 'added' });
    expect(batchCalls()).toBe(2);
    expect(a.clock.slept).toEqual([1000]);
  });
});
