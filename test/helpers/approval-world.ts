/**
 * A small organisation for approval tests: a joiner whose manager is Mia, the Payments team (catalog
 * Group backed by an Entra group) with its lead Lee, members Ann and Bob, a disabled member and an
 * orphaned catalog User; and the service over a store the test chooses, with a clock it moves.
 */
import type { AuditLog } from '../../src/domain/audit/audit.port';
import type { ApprovalStore } from '../../src/domain/approvals/approval-store.port';
import { ApprovalService, type ApprovalAsk, type ApprovalFollowUp, type ApprovalTimings } from '../../src/domain/approvals/approval.service';
import { DirectoryApproverResolver } from '../../src/domain/approvals/directory-approver-resolver';
import type { CatalogEntity } from '../../src/domain/catalog/catalog.types';
import { InMemoryAuditLog } from '../fakes/in-memory-audit-log';
import { InMemoryDirectory } from '../fakes/in-memory-directory';
import { RecordingApprovalNotifier } from '../fakes/recording-approval-notifier';
import { stored } from '../fixtures/health-fixtures';

export const T0 = new Date('2031-03-02T09:00:00Z');
export const HOUR = 3600_000;
export const TIMINGS: ApprovalTimings = { remindAfterMs: 24 * HOUR, expireAfterMs: 72 * HOUR };
export const TEAM = 'group:default/payments';

export const P = {
  joiner: { id: 'aad-joiner', name: 'Jo Joiner' },
  manager: { id: 'aad-mia', name: 'Mia Manager' },
  lead: { id: 'aad-lee', name: 'Lee Lead' },
  ann: { id: 'aad-ann', name: 'Ann Apple' },
  bob: { id: 'aad-bob', name: 'Bob Berry' },
  cy: { id: 'aad-cy', name: 'Cy Catalog' },
  gone: { id: 'aad-gone', name: 'Gus Gone' },
  off: { id: 'aad-off', name: 'Olga Off' },
  outsider: { id: 'aad-out', name: 'Otto Outsider' },
} as const;

export function directory(): InMemoryDirectory {
  const d = new InMemoryDirectory();
  const user = (p: { id: string; name: string }, extra: { managerId?: string; accountEnabled?: boolean } = {}) =>
    d.addUser({ id: p.id, userPrincipalName: `${p.id}@contoso.example`, displayName: p.name, mail: null, jobTitle: null, department: null, accountEnabled: extra.accountEnabled ?? true, ...(extra.managerId ? { managerId: extra.managerId } : {}) });
  user(P.joiner, { managerId: P.manager.id });
  for (const p of [P.manager, P.lead, P.ann, P.bob, P.cy, P.gone, P.outsider]) user(p);
  user(P.off, { accountEnabled: false });
  d.addGroup({ id: 'entra-payments', displayName: 'Payments', mail: null, isTeam: true, memberIds: [P.lead.id, P.ann.id, P.off.id] });
  return d;
}

/** The catalog side: the Group lists Bob and Cy (Cy is in no Entra group) and an orphaned Gus. */
export function catalog(): { get(ref: string): Promise<CatalogEntity | null>; getMany(refs: string[]): Promise<CatalogEntity[]> } {
  const entities = new Map<string, CatalogEntity>(
    [
      stored(TEAM, { members: ['user:default/bob', 'user:default/cy', 'user:default/gus', 'user:default/no-id'], profile: { displayName: 'Payments', aadObjectId: 'entra-payments' } }),
      stored('group:default/empty', { members: [] }),
      stored('user:default/bob', { profile: { displayName: 'Bob Berry', aadObjectId: P.bob.id } }),
      stored('user:default/cy', { profile: { displayName: 'Cy Catalog', aadObjectId: P.cy.id } }),
      stored('user:default/gus', { profile: { displayName: 'Gus Gone', aadObjectId: P.gone.id }, status: 'orphaned' }),
      stored('user:default/no-id', { profile: { displayName: 'No Id' } }),
    ].map((e) => [e.ref, e]),
  );
  return {
    get: async (ref) => entities.get(ref) ?? null,
    getMany: async (refs) => refs.flatMap((r) => (entities.has(r) ? [entities.get(r)!] : [])),
  };
}

export interface ApprovalWorld {
  service: ApprovalService;
  store: ApprovalStore;
  audit: AuditLog & { entries?: unknown[] };
  notifier: RecordingApprovalNotifier;
  directory: InMemoryDirectory;
  clock: { now: Date };
  /** A new service over the same store, audit and notifier: another replica. */
  replica(): ApprovalService;
}

export function approvalWorld(store: ApprovalStore, audit: AuditLog = new InMemoryAuditLog(), timings: ApprovalTimings = TIMINGS, followUps?: Record<string, ApprovalFollowUp>): ApprovalWorld {
  const dir = directory();
  const notifier = new RecordingApprovalNotifier();
  const clock = { now: T0 };
  const make = () => new ApprovalService({ store, resolver: new DirectoryApproverResolver({ directory: dir, catalog: catalog() }), audit, notifier, timings, clock: () => clock.now, ...(followUps ? { followUps } : {}) });
  return { service: make(), store, audit, notifier, directory: dir, clock, replica: make };
}

/** Onboarding of the joiner to Payments, asked by the lead; approvers: the joiner's manager, else the lead. */
export const onboardingAsk = (extra: Partial<ApprovalAsk> = {}): ApprovalAsk => ({
  flow: 'onboarding',
  idempotencyKey: 'act-1',
  subjectKey: `onboard:${P.joiner.id}:${TEAM}`,
  summary: { title: 'Onboard Jo Joiner to Payments', facts: [{ label: 'Role', value: 'backend' }] },
  requester: P.lead,
  approvers: [{ kind: 'manager', of: P.joiner.id }, { kind: 'users', ids: [P.lead.id] }],
  payload: { joiner: P.joiner.id, team: TEAM },
  ...extra,
});

/** A production secret in Payments asked by Ann: any other member of the team approves. */
export const secretAsk = (extra: Partial<ApprovalAsk> = {}): ApprovalAsk => ({
  flow: 'secret',
  idempotencyKey: 'act-s1',
  subjectKey: 'secret:payments-api--prod--db-password',
  summary: { title: 'Set payments-api--prod--db-password', facts: [{ label: 'Vault', value: 'kv-payments-prod' }] },
  requester: P.ann,
  approvers: [{ kind: 'team-members', team: TEAM }],
  payload: { secretName: 'payments-api--prod--db-password' },
  ...extra,
});

export const minutes = (n: number): Date => new Date(T0.getTime() + n * 60_000);
