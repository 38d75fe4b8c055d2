/**
 * OffboardingService and the offboarding job on fakes: the preview removes only what is there among
 * what the bot granted for this team and what the team lists, reports the rest as already gone,
 * never touches another team's access, and removes the Azure DevOps entitlement only when the bot
 * made it and no other onboarding of the person still uses it. The job removes exactly that.
 */
import { SILENT_JOB_LOG, type StepContext } from '../../src/domain/jobs/jobs.types';
import { OFFBOARDING_JOB, offboardingJob, type OffboardingJobInput } from '../../src/domain/onboarding/offboarding.job';
import { OffboardingService } from '../../src/domain/onboarding/offboarding.service';
import type { OnboardInput } from '../../src/domain/onboarding/onboarding-input';
import { onboardingJob, type OnboardingJobInput } from '../../src/domain/onboarding/onboarding.job';
import { OnboardingRequestService } from '../../src/domain/onboarding/onboarding-request.service';
import type { Grant, OffboardingAsk } from '../../src/domain/onboarding/onboarding.types';
import type { WorkspaceTarget } from '../../src/domain/onboarding/workspace-memberships.port';
import { domainFailure } from '../helpers/domain-failure';
import { actor, devops, IDS, newRecord, onboardingWorld, P, PAYMENTS, RecordingOnboardingNotifier, ROLES, SEARCH, START, T0 } from '../helpers/onboarding-world';

type World = Awaited<ReturnType<typeof onboardingWorld>>;
const BOT = 'bot:app-1';

let w: World;
let ado: ReturnType<typeof devops>;
let notifier: RecordingOnboardingNotifier;

const offboarding = () =>
  new OffboardingService({ directory: w.directory, catalog: w.catalog, teams: w.teams, memberships: w.memberships, devops: ado, policy: w.policy, approvals: w.approvals, onboardings: w.onboardings, jobs: w.jobs, settings: ROLES, audit: w.audit });

const T = {
  team: { kind: 'team', teamId: IDS.payments, name: 'Payments' },
  onCall: { kind: 'channel', teamId: IDS.payments, channelId: IDS.onCall, name: 'Payments / On-call', membershipType: 'private' },
  partners: { kind: 'channel', teamId: IDS.payments, channelId: IDS.partners, name: 'Payments / Checkout partners', membershipType: 'shared' },
  developers: { kind: 'group', groupId: IDS.developers, name: 'Developers' },
  pci: { kind: 'group', groupId: IDS.pci, name: 'PCI Cardholder Data' },
  search: { kind: 'team', teamId: IDS.search, name: 'Search' },
} satisfies Record<string, WorkspaceTarget>;
const CONTRIBUTORS = { project: 'Payments', group: 'projectContributor' } as const;

/** Henry onboarded to a team by the real job (access steps only): the record holds what the bot added. */
async function onboard(team: string, id: string, createdAt = T0): Promise<void> {
  const requests = new OnboardingRequestService({ directory: w.directory, catalog: w.catalog, teams: w.teams, memberships: w.memberships, policy: w.policy, approvals: w.approvals, onboardings: w.onboardings, settings: ROLES, audit: w.audit, clock: () => w.clock.now });
  const requester = team === 'team-search' ? P.sam1 : P.alice;
  const { ask } = await requests.preview({ person: P.henry.upn, team, role: 'backend', start: START }, actor(requester));
  await w.onboardings.create(newRecord({ id, team: ask.team, createdAt }));
  const input: OnboardingJobInput = { onboardingId: id, ask, target: `person:${P.henry.id}`, approvedBy: { id: P.mia.id, name: P.mia.name }, requestedBy: { id: requester.id, name: requester.name } };
  const job = onboardingJob({ memberships: w.memberships, devops: ado, onboardings: w.onboardings, notifier, audit: w.audit, botIdentity: BOT });
  for (const step of job.steps.filter((s) => s.parallelGroup === 'access')) await step.run({ jobId: `job-${id}`, log: SILENT_JOB_LOG, input, context: {}, requestedBy: P.mia.id, outputs: {}, attempt: 1, signal: new AbortController().signal });
}

type NoDate<G> = G extends Grant ? Omit<G, 'at'> : never;
const grant = (g: NoDate<Grant>): Grant => ({ ...g, at: T0 }) as Grant;
const henry: OnboardInput = { person: P.henry.upn, team: 'team-payments' };

beforeEach(async () => {
  w = await onboardingWorld();
  ado = devops();
  notifier = new RecordingOnboardingNotifier();
});

describe('preview: what will be removed', () => {
  it('everything the onboarding added, from one Payments onboarding', async () => {
    await onboard('team-payments', 'rec-pay');
    const { ask, summary } = await offboarding().preview(henry, actor(P.alice));
    expect(ask).toEqual({
      kind: 'offboard',
      person: { id: P.henry.id, userPrincipalName: P.henry.upn, name: P.henry.name },
      team: { ref: PAYMENTS, name: 'team-payments', displayName: 'Payments' },
      manager: { id: P.mia.id, userPrincipalName: P.mia.upn, name: P.mia.name, source: 'directory-manager' },
      requester: { id: P.alice.id, userPrincipalName: P.alice.upn, name: P.alice.name },
      remove: { workspace: [T.team, T.onCall, T.partners, T.developers, T.pci], devops: { entitlement: true, groups: [CONTRIBUTORS] } },
      alreadyGone: [],
      onboardingIds: ['rec-pay'],
    } satisfies OffboardingAsk);
    expect(summary).toEqual({
      title: 'Offboard Henry Joiner from Payments',
      facts: [
        { label: 'Person', value: 'Henry Joiner (henry@contoso.example)' },
        { label: 'Team', value: 'Payments (team-payments)' },
        { label: 'Will remove', value: 'Payments, Payments / On-call, Payments / Checkout partners, Developers, PCI Cardholder Data, Azure DevOps Payments/projectContributor, the Azure DevOps entitlement the bot gave' },
        { label: 'Approver', value: 'Mia Manager, their manager in the directory' },
      ],
    });
    expect(w.memberships.calls.filter((c) => c.op === 'remove')).toEqual([]); // a preview changes nothing
  });

  it('what the team lists but the person no longer has is already gone; what they had before onboarding but the team lists is removed', async () => {
    w.memberships.groups.get(IDS.developers)!.add(P.henry.id); // theirs before the onboarding: no grant
    await onboard('team-payments', 'rec-pay');
    w.memberships.groups.get(IDS.pci)!.delete(P.henry.id); // someone removed it by hand
    await ado.revoke(P.henry.upn, { entitlement: false, groups: [CONTRIBUTORS] });
    const { ask, summary } = await offboarding().preview(henry, actor(P.alice));
    expect(ask.remove).toEqual({ workspace: [T.team, T.onCall, T.partners, T.developers], devops: { entitlement: true, groups: [] } });
    expect(ask.alreadyGone).toEqual(['PCI Cardholder Data', 'Azure DevOps Payments/projectContributor']);
    expect(summary.facts.find((f) => f.label === 'Already gone')?.value).toBe('PCI Cardholder Data, Azure DevOps Payments/projectContributor');
  });

  it('a grant of this team the catalog no longer lists is still taken back; access of another kind the bot never granted is not looked at', async () => {
    await onboard('team-payments', 'rec-pay');
    w.memberships.groups.set('grp-old', new Set([P.henry.id]));
    const old = { kind: 'group', groupId: 'grp-old', name: 'Old Payments Group' } as const;
    await w.onboardings.addGrants('rec-pay', [grant({ kind: 'workspace', target: old })]);
    w.memberships.teams.get(IDS.search)!.memberIds.add(P.henry.id); // not this team's, not granted
    const { ask } = await offboarding().preview(henry, actor(P.alice));
    expect(ask.remove.workspace).toEqual([T.team, T.onCall, T.partners, T.developers, T.pci, old]);
    const asked = w.memberships.calls.filter((c) => c.op === 'isMember').flatMap((c) => c.targets.map((t) => t.name));
    expect(asked).not.toContain('Search');
  });

  it('a person never onboarded: everything listed is already gone', async () => {
    const { ask } = await offboarding().preview(henry, actor(P.alice));
    expect(ask.remove).toEqual({ workspace: [], devops: { entitlement: false, groups: [] } });
    expect(ask.alreadyGone).toEqual(['Payments', 'Payments / On-call', 'Payments / Checkout partners', 'Developers', 'PCI Cardholder Data', 'Azure DevOps Payments/projectContributor']);
    expect(ask.onboardingIds).toEqual([]);
  });
});

describe('preview: another team of the person keeps its access', () => {
  it('a project group another team’s record granted is kept (not removed, not gone)', async () => {
    await onboard('team-payments', 'rec-pay');
    await w.onboardings.create(newRecord({ id: 'rec-search', team: { ref: SEARCH, name: 'team-search', displayName: 'Search' } }));
    await w.onboardings.addGrants('rec-search', [grant({ kind: 'devops-group', group: CONTRIBUTORS })]);
    const { ask } = await offboarding().preview(henry, actor(P.alice));
    expect(ask.remove.devops).toEqual({ entitlement: false, groups: [] });
    expect(ask.alreadyGone).toEqual([]);
    expect(ask.onboardingIds).toEqual(['rec-pay']);
  });

  it('a directory group another team’s record granted is kept', async () => {
    await onboard('team-payments', 'rec-pay');
    await w.onboardings.create(newRecord({ id: 'rec-search', team: { ref: SEARCH, name: 'team-search', displayName: 'Search' } }));
    await w.onboardings.addGrants('rec-search', [grant({ kind: 'workspace', target: T.developers })]);
    const { ask } = await offboarding().preview(henry, actor(P.alice));
    expect(ask.remove.workspace).toEqual([T.team, T.onCall, T.partners, T.pci]);
    expect(ask.alreadyGone).toEqual([]);
  });

  it.each<[string, () => Promise<void>, boolean]>([
    ['the bot made it and no other onboarding: removed', async () => undefined, true],
    [
      'it was there before the onboarding: kept',
      async () => {
        const record = w.onboardings.records.get('rec-pay')!;
        record.grants = record.grants.filter((g) => g.kind !== 'devops-entitlement');
      },
      false,
    ],
    [
      'another onboarding whose grants include Azure DevOps: kept',
      async () => {
        await w.onboardings.create(newRecord({ id: 'rec-search', team: { ref: SEARCH, name: 'team-search', displayName: 'Search' } }));
        await w.onboardings.addGrants('rec-search', [grant({ kind: 'devops-group', group: { project: 'Search', group: 'projectContributor' } })]);
      },
      false,
    ],
    [
      'another active onboarding that found its Azure DevOps access already there (no grant recorded): kept',
      async () => {
        await w.onboardings.create(newRecord({ id: 'rec-search', team: { ref: SEARCH, name: 'team-search', displayName: 'Search' } }));
      },
      false,
    ],
    [
      'another onboarding that was offboarded already: removed',
      async () => {
        await w.onboardings.create(newRecord({ id: 'rec-search', team: { ref: SEARCH, name: 'team-search', displayName: 'Search' } }));
        await w.onboardings.markOffboarded('rec-search', T0);
      },
      true,
    ],
    [
      'the entitlement is gone already: nothing to remove',
      async () => {
        await ado.revoke(P.henry.upn, { entitlement: true, groups: [] });
      },
      false,
    ],
  ])('the Azure DevOps entitlement: %s', async (_case, setup, removed) => {
    await onboard('team-payments', 'rec-pay');
    await setup();
    const { ask } = await offboarding().preview(henry, actor(P.alice));
    expect(ask.remove.devops.entitlement).toBe(removed);
  });
});

describe('preview: which team, and refusals', () => {
  it('no team given and one onboarding: that team', async () => {
    await onboard('team-payments', 'rec-pay');
    const { ask } = await offboarding().preview({ person: 'Henry Joiner' }, actor(P.alice));
    expect(ask.team.ref).toBe(PAYMENTS);
  });

  it.each<[string, (() => Promise<void>) | undefined, OnboardInput, string]>([
    ['no team given and no onboarding', undefined, { person: P.henry.upn }, 'team: I onboarded Henry Joiner to no team; say which team they leave with team=<team>'],
    [
      'no team given and two onboardings',
      async () => {
        await w.onboardings.create(newRecord({ id: 'rec-pay' }));
        await w.onboardings.create(newRecord({ id: 'rec-search', team: { ref: SEARCH, name: 'team-search', displayName: 'Search' }, createdAt: new Date('2031-02-01T00:00:00Z') }));
      },
      { person: P.henry.upn },
      'team: Henry Joiner was onboarded to team-search, team-payments; say which with team=<team>',
    ],
    ['no person', undefined, { team: 'team-payments' }, 'missing: person (offboard <name or userPrincipalName> team=<team>)'],
    ['a person nobody is called', undefined, { person: 'Zed Nobody' }, 'person: nobody in the directory is called "Zed Nobody"'],
    ['a team with a typo', undefined, { person: P.henry.upn, team: 'paymnts' }, 'team: there is no team "paymnts" in the catalog (did you mean team-payments?)'],
  ])('%s: the words', async (_case, setup, input, problem) => {
    await setup?.();
    const error = await domainFailure(offboarding().preview(input, actor(P.alice)));
    expect([error.code, error.details]).toEqual(['ONBOARDING.REQUEST_INVALID', { problems: [problem] }]);
  });

  it('a requester who may not act for the team: ONBOARDING.NOT_ALLOWED, audited as denied', async () => {
    await onboard('team-payments', 'rec-pay');
    const entries = w.audit.entries.length;
    const error = await domainFailure(offboarding().ask(henry, actor(P.otto), 'preview-1'));
    expect(error.code).toBe('ONBOARDING.NOT_ALLOWED');
    expect(w.audit.entries.slice(entries).map(({ at: _at, ...e }) => e)).toEqual([{ actor: P.otto.id, actorName: P.otto.name, action: 'offboarding.request', target: PAYMENTS, result: 'denied', details: { reason: (error.details as { reason: string }).reason } }]);
    expect(w.approvalStore.requests.size).toBe(0);
  });
});

describe('ask and the offboarding job', () => {
  it('nothing to remove: ONBOARDING.NOTHING_TO_REMOVE, no approval asked', async () => {
    const error = await domainFailure(offboarding().ask(henry, actor(P.alice), 'preview-1'));
    expect([error.code, error.details]).toEqual(['ONBOARDING.NOTHING_TO_REMOVE', { person: 'Henry Joiner', team: 'Payments' }]);
    expect(w.approvalStore.requests.size).toBe(0);
  });

  it('one approval request for the manager; the same preview twice meets it', async () => {
    await onboard('team-payments', 'rec-pay');
    const first = await offboarding().ask(henry, actor(P.alice), 'preview-1');
    expect(first.request).toMatchObject({ flow: 'offboarding', subjectKey: `offboard:${P.henry.id}:${PAYMENTS}`, state: 'pending', payload: first.preview.ask });
    expect(first.request.approvers.people).toEqual([{ id: P.mia.id, name: P.mia.name }]);
    const again = await offboarding().ask(henry, actor(P.alice), 'preview-1');
    expect([first.outcome, again.outcome, again.request.id]).toEqual(['created', 'retried', first.request.id]);
    expect((await offboarding().preview(henry, actor(P.alice))).pending?.id).toBe(first.request.id);
  });

  it('approved: one job; it removes exactly the ask’s lists, closes the records, and reports removed and already gone', async () => {
    await onboard('team-payments', 'rec-pay');
    w.memberships.teams.get(IDS.search)!.memberIds.add(P.henry.id); // never to be touched
    const service = offboarding();
    w.jobs.register(offboardingJob({ memberships: w.memberships, devops: ado, onboardings: w.onboardings, notifier, audit: w.audit, botIdentity: BOT }));
    const { request } = await service.ask(henry, actor(P.alice), 'preview-1');
    const approved = (await w.approvals.decide(request.id, { id: P.mia.id, name: P.mia.name }, 'approve')).request;
    await service.followUp(approved);
    await service.followUp(approved);
    const job = (await service.jobOf(request.id))!;
    expect(job).toMatchObject({ type: OFFBOARDING_JOB, idempotencyKey: request.id, requestedBy: P.mia.id });

    // Between the ask and the job, someone took PCI away by hand.
    w.memberships.groups.get(IDS.pci)!.delete(P.henry.id);
    const input = job.input as unknown as OffboardingJobInput;
    expect(input).toMatchObject({ offboardingId: request.id, target: `person:${P.henry.id}`, approvedBy: { id: P.mia.id }, requestedBy: { id: P.alice.id } });
    const definition = offboardingJob({ memberships: w.memberships, devops: ado, onboardings: w.onboardings, notifier, audit: w.audit, botIdentity: BOT, clock: () => T0 });
    const outputs: Record<string, Record<string, unknown>> = {};
    const ctx = (): StepContext<OffboardingJobInput> => ({ jobId: job.id, log: SILENT_JOB_LOG, input, context: {}, requestedBy: P.mia.id, outputs, attempt: 1, signal: new AbortController().signal });
    for (const step of definition.steps) outputs[step.name] = (await step.run(ctx())) ?? {};

    expect(outputs['teams-team']).toEqual({ added: [], alreadyMember: [], removed: ['Payments', 'Payments / On-call', 'Payments / Checkout partners'], alreadyGone: [], failed: [] });
    expect(outputs['directory-groups']).toEqual({ added: [], alreadyMember: [], removed: ['Developers'], alreadyGone: ['PCI Cardholder Data'], failed: [] });
    expect(outputs['azure-devops']).toEqual({ entitlementRemoved: true, groupsRemoved: ['Payments/projectContributor'], alreadyGone: [] });
    expect(outputs.finish).toEqual({
      removed: ['Payments', 'Payments / On-call', 'Payments / Checkout partners', 'Developers', 'Payments/projectContributor', 'Azure DevOps entitlement'],
      alreadyGone: ['PCI Cardholder Data'],
      closed: ['rec-pay'],
    });
    expect(notifier.calls).toEqual([{ method: 'offboarded', args: [P.henry.id, (outputs.finish as { removed: string[] }).removed, ['PCI Cardholder Data']] }]);
    expect(await w.onboardings.get('rec-pay')).toMatchObject({ state: 'offboarded', offboardedAt: T0 });
    expect(await w.memberships.isMember(P.henry.id, [T.team, T.onCall, T.partners, T.developers, T.search])).toEqual([false, false, false, false, true]);
    expect(await ado.entitlementOf(P.henry.upn)).toBeNull();
    const removals = w.memberships.calls.filter((c) => c.op === 'remove').flatMap((c) => c.targets.map((t) => t.name));
    expect(removals.sort()).toEqual(['Developers', 'PCI Cardholder Data', 'Payments', 'Payments / Checkout partners', 'Payments / On-call']);
    expect(w.audit.entries.filter((e) => e.action.startsWith('offboarding.')).map((e) => [e.action, e.actor, e.result, (e.details as { approvedBy?: string }).approvedBy])).toEqual(
      ['teams-team', 'directory-groups', 'azure-devops', 'finish'].map((n) => [`offboarding.${n}`, BOT, 'success', P.mia.id]),
    );
  });

  it('followUp ignores other flows and requests not approved', async () => {
    await onboard('team-payments', 'rec-pay');
    w.jobs.register(offboardingJob({ memberships: w.memberships, devops: ado, onboardings: w.onboardings, notifier, audit: w.audit, botIdentity: BOT }));
    const service = offboarding();
    const { request } = await service.ask(henry, actor(P.alice), 'preview-1');
    await service.followUp(request); // pending
    await service.followUp({ ...request, flow: 'onboarding', state: 'approved', decisions: [{ by: { id: P.mia.id, name: P.mia.name }, decision: 'approve', at: T0 }] });
    expect(await service.jobOf(request.id)).toBeNull();
  });
});
