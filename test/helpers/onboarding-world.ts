/**
 * A small organisation for the onboarding domain on in-memory fakes: Henry joins Payments (his
 * manager Mia, the catalog's team lead Lee, Mia's and Lee's manager Max), Alice asks (a member of
 * the team), Hanna asks from the People Ops group, Otto may not ask. Payments' Teams team has a
 * standard, a private and a shared channel it lists, and one it lists that does not exist; it lists
 * two directory groups (one missing) and Payments/Contributors. Search lists nothing: its Azure
 * DevOps groups come from its repositories. The catalog is read from descriptors, like production.
 */
import type { DirectoryUser } from '../../src/domain/access/access.types';
import type { Actor } from '../../src/domain/access/team-access.policy';
import { TeamAccessPolicy } from '../../src/domain/access/team-access.policy';
import { ApprovalService } from '../../src/domain/approvals/approval.service';
import { DirectoryApproverResolver } from '../../src/domain/approvals/directory-approver-resolver';
import type { CatalogEntity } from '../../src/domain/catalog/catalog.types';
import { parseDescriptors } from '../../src/domain/catalog/descriptor-parser';
import { JobRunner } from '../../src/domain/jobs/job-runner';
import type { OnboardingNotifier, WelcomeOutcome } from '../../src/domain/onboarding/onboarding-notifier.port';
import type { OnboardingRoles, TeamFinder } from '../../src/domain/onboarding/onboarding-request.service';
import type { OffboardingAsk, OnboardingRecord } from '../../src/domain/onboarding/onboarding.types';
import { InMemoryApprovalStore } from '../fakes/in-memory-approval-store';
import { InMemoryAuditLog } from '../fakes/in-memory-audit-log';
import { InMemoryCatalogStore } from '../fakes/in-memory-catalog-store';
import { InMemoryDevOpsAccess } from '../fakes/in-memory-devops-access';
import { InMemoryDirectory } from '../fakes/in-memory-directory';
import { InMemoryJobStore } from '../fakes/in-memory-job-store';
import { InMemoryOnboardingStore } from '../fakes/in-memory-onboarding-store';
import { InMemoryWorkspaceMemberships } from '../fakes/in-memory-workspace-memberships';
import { RecordingApprovalNotifier } from '../fakes/recording-approval-notifier';

export const T0 = new Date('2031-03-02T09:00:00Z');
export const START = '2031-03-16';
export const PAYMENTS = 'group:default/team-payments';
export const SEARCH = 'group:default/team-search';
export const IDS = { payments: 'entra-payments', search: 'entra-search', developers: 'grp-developers', pci: 'grp-pci', peopleOps: 'grp-people-ops', general: 'ch-general', onCall: 'ch-on-call', partners: 'ch-partners', design: 'ch-design' } as const;

type Person = { id: string; name: string; upn: string; managerId?: string; enabled?: boolean };
const person = (slug: string, name: string, extra: Partial<Person> = {}): Person => ({ id: `aad-${slug}`, name, upn: `${slug}@contoso.example`, ...extra });

export const P = {
  henry: person('henry', 'Henry Joiner', { managerId: 'aad-mia' }),
  mia: person('mia', 'Mia Manager', { managerId: 'aad-max' }),
  max: person('max', 'Max Director'),
  lee: person('lee', 'Lee Lead', { managerId: 'aad-max' }),
  alice: person('alice', 'Alice Developer', { managerId: 'aad-mia' }),
  bob: person('bob', 'Bob Buddy'),
  hanna: person('hanna', 'Hanna People'),
  otto: person('otto', 'Otto Outsider'),
  dora: person('dora', 'Dora Disabled', { enabled: false }),
  nora: person('nora', 'Nora Nomanager'),
  ivy: person('ivy', 'Ivy Leadreport', { managerId: 'aad-lee' }),
  dan: person('dan', 'Dan Disabledmanager', { managerId: 'aad-dora' }),
  sam1: person('sam.smith', 'Sam Smith'),
  sam2: person('sam.stone', 'Sam Stone'),
} as const;

export const actor = (p: Person): Actor => ({ id: p.id, name: p.name, email: p.upn });
export const who = (p: Person) => ({ id: p.id, userPrincipalName: p.upn, name: p.name });

export const ROLES: OnboardingRoles = { roles: { backend: { title: 'Backend (Java)' }, frontend: { title: 'Frontend (TypeScript)' } }, devopsAccessLevel: 'express' };

const CATALOG = `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-payments
  title: Payments
  annotations:
    graph.microsoft.com/group-id: ${IDS.payments}
    idp.dev/team-lead: lee
    idp.dev/onboarding-channels: On-call, Checkout partners, Design, Lounge
    idp.dev/onboarding-groups: Developers, PCI Cardholder Data, Ghost Group
    dev.azure.com/project-groups: Payments/Contributors
spec:
  type: team
  profile: { displayName: Payments }
  children: []
  members: [alice, lee]
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-search
  title: Search
  annotations:
    graph.microsoft.com/group-id: ${IDS.search}
spec:
  type: team
  profile: { displayName: Search }
  children: []
  members: [sam.smith]
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-nowhere
  title: Nowhere
spec:
  type: team
  children: []
  members: [alice]
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: search-api
  annotations:
    dev.azure.com/project-repo: Search/search-api
spec: { type: service, lifecycle: production, owner: team-search }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: search-ui
  annotations:
    dev.azure.com/project-repo: Shared/search-ui
spec: { type: website, lifecycle: production, owner: team-search }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: search-indexer
  annotations:
    dev.azure.com/project-repo: Search/search-indexer
spec: { type: service, lifecycle: production, owner: team-search }
${['alice', 'lee', 'sam.smith']
  .map(
    (slug) => `---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: ${slug}
  annotations:
    graph.microsoft.com/user-id: aad-${slug}
spec:
  profile: { email: ${slug}@contoso.example }
  memberOf: []
`,
  )
  .join('')}`;

/** A Search repository that left the catalog: its project gives no access. */
const LEGACY = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: search-legacy
  annotations:
    dev.azure.com/project-repo: Legacy/search-legacy
spec: { type: service, lifecycle: deprecated, owner: team-search }
`;

export async function catalogStore(): Promise<InMemoryCatalogStore> {
  const store = new InMemoryCatalogStore();
  for (const [location, text] of [['file:/catalog/all.yaml', CATALOG], ['file:/catalog/legacy.yaml', LEGACY]] as const) {
    const parsed = await parseDescriptors(text, location);
    if (parsed.problems.length) throw new Error(JSON.stringify(parsed.problems));
    await store.applyLocation(location, parsed.entities);
  }
  await store.applyLocation('file:/catalog/legacy.yaml', []); // orphaned
  return store;
}

export function directory(): InMemoryDirectory {
  const d = new InMemoryDirectory();
  for (const p of Object.values(P)) {
    const user: DirectoryUser & { managerId?: string } = { id: p.id, userPrincipalName: p.upn, displayName: p.name, mail: p.upn, jobTitle: null, department: null, accountEnabled: p.enabled ?? true, ...(p.managerId ? { managerId: p.managerId } : {}) };
    d.addUser(user);
  }
  d.addGroup({ id: IDS.payments, displayName: 'Payments', mail: null, isTeam: true, memberIds: [P.alice.id, P.lee.id] });
  d.addGroup({ id: IDS.search, displayName: 'Search', mail: null, isTeam: true, memberIds: [P.sam1.id] });
  d.addGroup({ id: IDS.developers, displayName: 'Developers', mail: null, isTeam: false, memberIds: [] });
  d.addGroup({ id: IDS.pci, displayName: 'PCI Cardholder Data', mail: null, isTeam: false, memberIds: [] });
  d.addGroup({ id: IDS.peopleOps, displayName: 'People Ops', mail: null, isTeam: false, memberIds: [P.hanna.id] });
  return d;
}

export function memberships(): InMemoryWorkspaceMemberships {
  const m = new InMemoryWorkspaceMemberships();
  for (const p of Object.values(P)) m.users.set(p.id, p.enabled ?? true);
  m.teams.set(IDS.payments, {
    memberIds: new Set([P.alice.id, P.lee.id]),
    channels: [
      { id: IDS.general, displayName: 'General', membershipType: 'standard', memberIds: new Set() },
      { id: IDS.onCall, displayName: 'On-call', membershipType: 'private', memberIds: new Set([P.lee.id]) },
      { id: IDS.partners, displayName: 'Checkout partners', membershipType: 'shared', memberIds: new Set([P.lee.id]) },
      { id: IDS.design, displayName: 'Design', membershipType: 'standard', memberIds: new Set() },
    ],
  });
  m.teams.set(IDS.search, { memberIds: new Set([P.sam1.id]), channels: [{ id: 'ch-search-general', displayName: 'General', membershipType: 'standard', memberIds: new Set() }] });
  m.groups.set(IDS.developers, new Set());
  m.groups.set(IDS.pci, new Set());
  return m;
}

export function devops(entitlements: { upn: string; level?: string; groups: string[] }[] = []): InMemoryDevOpsAccess {
  return new InMemoryDevOpsAccess({
    projects: ['Payments', 'Search', 'Shared', 'Legacy'].map((name) => ({ id: `proj-${name.toLowerCase()}`, name })),
    principals: Object.values(P).map((p) => ({ principalName: p.upn, displayName: p.name, originId: p.id, enabled: p.enabled ?? true })),
    entitlements: entitlements.map((e) => ({ principalName: e.upn, accountLicenseType: e.level ?? 'express', groups: e.groups.map((g) => ({ project: g.split('/')[0]!, groupType: g.split('/')[1]! })) })),
  });
}

/** Teams by name, ref or title; suggestions share the first letters of the name after `team-`. */
export function teamFinder(catalog: InMemoryCatalogStore): TeamFinder {
  const refs = [PAYMENTS, SEARCH, 'group:default/team-nowhere'];
  const stem = (s: string) => s.toLowerCase().replace(/^(group:default\/)?(team-)?/, '');
  return {
    find: async (text) => {
      const wanted = text.trim().toLowerCase();
      for (const ref of refs) {
        const e = await catalog.get(ref);
        if (e && e.status === 'active' && [e.ref, e.name, e.title ?? ''].some((v) => v.toLowerCase() === wanted)) return e;
      }
      return null;
    },
    suggest: (text) => refs.filter((r) => stem(r).slice(0, 3) === stem(text).slice(0, 3)).map((r) => r.split('/')[1]!),
    owned: async (team: CatalogEntity) => {
      const all: CatalogEntity[] = [];
      for await (const batch of catalog.streamAll(100)) all.push(...batch);
      return all.filter((e) => e.owner === team.ref);
    },
  };
}

/** The chat edge of onboarding, recorded; the welcome outcome is chosen per test. */
export class RecordingOnboardingNotifier implements OnboardingNotifier {
  readonly calls: { method: string; args: unknown[] }[] = [];
  welcome: WelcomeOutcome | (() => WelcomeOutcome) = { delivered: { conversationId: 'conv-henry', activityId: 'act-welcome' } };

  async sendWelcome(record: OnboardingRecord): Promise<WelcomeOutcome> {
    this.calls.push({ method: 'sendWelcome', args: [record.id] });
    return typeof this.welcome === 'function' ? this.welcome() : this.welcome;
  }
  async welcomeWaiting(record: OnboardingRecord, reason: string): Promise<void> {
    this.calls.push({ method: 'welcomeWaiting', args: [record.id, reason] });
  }
  async provisioned(record: OnboardingRecord): Promise<void> {
    this.calls.push({ method: 'provisioned', args: [record.id, record.state] });
  }
  async offboarded(ask: OffboardingAsk, removed: string[], alreadyGone: string[]): Promise<void> {
    this.calls.push({ method: 'offboarded', args: [ask.person.id, removed, alreadyGone] });
  }
}

export async function onboardingWorld() {
  const catalog = await catalogStore();
  const dir = directory();
  const audit = new InMemoryAuditLog();
  const approvalStore = new InMemoryApprovalStore();
  const clock = { now: T0 };
  const approvals = new ApprovalService({ store: approvalStore, resolver: new DirectoryApproverResolver({ directory: dir, catalog }), audit, notifier: new RecordingApprovalNotifier(), timings: { remindAfterMs: null, expireAfterMs: 7 * 86_400_000 }, clock: () => clock.now });
  const onboardings = new InMemoryOnboardingStore(() => clock.now);
  const policy = new TeamAccessPolicy({ directory: dir, catalog, platformGroups: ['People Ops'] });
  const jobStore = new InMemoryJobStore();
  const jobs = new JobRunner({ store: jobStore, clock: () => clock.now.getTime(), owner: 'test' });
  return { catalog, directory: dir, audit, approvalStore, approvals, onboardings, policy, memberships: memberships(), teams: teamFinder(catalog), jobStore, jobs, clock };
}

/** An approved onboarding record of Henry in Payments (approved by Mia, asked by Alice). */
export function newRecord(extra: Partial<import('../../src/domain/onboarding/onboarding.types').NewOnboardingRecord> = {}): import('../../src/domain/onboarding/onboarding.types').NewOnboardingRecord {
  return {
    id: 'req-henry-payments',
    joiner: who(P.henry),
    team: { ref: PAYMENTS, name: 'team-payments', displayName: 'Payments' },
    role: 'backend',
    startDate: '2031-01-12',
    manager: { ...who(P.mia), source: 'directory-manager' },
    requester: who(P.alice),
    approvedBy: { id: P.mia.id, name: P.mia.name },
    checklist: [{ id: 'laptop', text: 'Get your laptop' }],
    downloadToken: 'tok',
    createdAt: new Date('2031-01-10T10:00:00Z'),
    ...extra,
  };
}
