/**
 * OnboardingRequestService on fakes: every refusal in the words the requester reads (and nothing
 * stored), who approves and why, exactly what access the plan grants, and the one approval request
 * a confirmed preview makes (a retried click meets it, a second requester is shown it).
 */
import type { OnboardInput } from '../../src/domain/onboarding/onboarding-input';
import { OnboardingRequestService } from '../../src/domain/onboarding/onboarding-request.service';
import { domainFailure } from '../helpers/domain-failure';
import { actor, IDS, newRecord, onboardingWorld, P, PAYMENTS, ROLES, SEARCH, START, T0 } from '../helpers/onboarding-world';

type World = Awaited<ReturnType<typeof onboardingWorld>>;

const service = (w: World) =>
  new OnboardingRequestService({ directory: w.directory, catalog: w.catalog, teams: w.teams, memberships: w.memberships, policy: w.policy, approvals: w.approvals, onboardings: w.onboardings, settings: ROLES, audit: w.audit, clock: () => w.clock.now });

const HENRY: OnboardInput = { person: 'henry@contoso.example', team: 'team-payments', role: 'backend', start: START, buddy: 'bob@contoso.example' };

let w: World;
beforeEach(async () => {
  w = await onboardingWorld();
});

const nothingStored = () => {
  expect(w.approvalStore.requests.size).toBe(0);
  expect(w.onboardings.records.size).toBe(0);
};

describe('refusals: the problems in words, nothing stored', () => {
  it.each<[string, OnboardInput, string[]]>([
    ['nothing given', {}, ['missing: person, team, role, start']],
    ['no role and no start date', { person: 'henry@contoso.example', team: 'team-payments' }, ['missing: role, start']],
    ['blank values count as missing', { ...HENRY, team: '  ', role: ' ' }, ['missing: team, role']],
    ['a person nobody is called', { ...HENRY, person: 'Zed Nobody' }, ['person: nobody in the directory is called "Zed Nobody"']],
    ['a name two people share', { ...HENRY, person: 'Sam' }, ['person: "Sam" matches 2 people (Sam Smith (sam.smith@contoso.example), Sam Stone (sam.stone@contoso.example)); give the userPrincipalName']],
    ['a disabled account', { ...HENRY, person: 'Dora Disabled' }, ['person: the account of Dora Disabled is disabled; it must be enabled before they can be given access']],
    ['a buddy nobody is called', { ...HENRY, buddy: 'nobody@contoso.example' }, ['buddy: nobody in the directory is called "nobody@contoso.example"']],
    ['a disabled buddy', { ...HENRY, buddy: 'dora@contoso.example' }, ['buddy: the account of Dora Disabled is disabled']],
    ['the joiner as their own buddy', { ...HENRY, buddy: 'Henry Joiner' }, ['buddy: the buddy must be someone other than the joiner']],
    ['a team with a typo', { ...HENRY, team: 'paymnts' }, ['team: there is no team "paymnts" in the catalog (did you mean team-payments?)']],
    ['a team with nothing close', { ...HENRY, team: 'zebra' }, ['team: there is no team "zebra" in the catalog']],
    ['a role without a dev environment', { ...HENRY, role: 'devops' }, ['role: "devops" is not a role with a dev environment (backend, frontend)']],
    ['February 30th', { ...HENRY, start: '2031-02-30' }, ['start: "2031-02-30" is not a date written YYYY-MM-DD (for example 2027-01-04)']],
    ['a start date last year', { ...HENRY, start: '2030-03-01' }, ['start: 2030-03-01 is more than 30 days ago']],
    ['several problems at once, in order', { person: 'Zed Nobody', team: 'zebra', role: 'devops', start: 'monday' }, ['person: nobody in the directory is called "Zed Nobody"', 'team: there is no team "zebra" in the catalog', 'role: "devops" is not a role with a dev environment (backend, frontend)', 'start: "monday" is not a date written YYYY-MM-DD (for example 2027-01-04)']],
  ])('%s', async (_case, input, problems) => {
    const error = await domainFailure(service(w).preview(input, actor(P.alice)));
    expect(error.code).toBe('ONBOARDING.REQUEST_INVALID');
    expect(error.details).toEqual({ problems });
    expect(error.message).toBe(`onboarding request refused: ${problems.join('; ')}`);
    nothingStored();
    expect(w.audit.entries).toEqual([]);
  });

  it('a requester who is not in the team nor in People Ops: ONBOARDING.NOT_ALLOWED, audited as denied', async () => {
    const reason = 'Otto Outsider is not a member of the team Payments (team-payments) or of "People Ops". Ask someone in Payments to do it, or to add you to the team.';
    const error = await domainFailure(service(w).ask(HENRY, actor(P.otto), 'preview-1'));
    expect([error.code, error.details]).toEqual(['ONBOARDING.NOT_ALLOWED', { reason }]);
    expect(w.audit.entries.map(({ at: _at, ...e }) => e)).toEqual([{ actor: P.otto.id, actorName: P.otto.name, action: 'onboarding.request', target: PAYMENTS, result: 'denied', details: { reason } }]);
    nothingStored();
  });

  it('someone already onboarded to the team: ONBOARDING.ALREADY_ONBOARDED with since and who approved', async () => {
    await w.onboardings.create(newRecord());
    const error = await domainFailure(service(w).ask(HENRY, actor(P.alice), 'preview-1'));
    expect([error.code, error.details]).toEqual(['ONBOARDING.ALREADY_ONBOARDED', { person: 'Henry Joiner', team: 'Payments', since: '2031-01-10', approvedBy: 'Mia Manager' }]);
    expect(w.approvalStore.requests.size).toBe(0);
  });

  it('an offboarded record does not count: they can join again', async () => {
    await w.onboardings.create(newRecord());
    await w.onboardings.markOffboarded('req-henry-payments', T0);
    await expect(service(w).preview(HENRY, actor(P.alice))).resolves.toMatchObject({ ask: { joiner: { id: P.henry.id } } });
  });

  it('nobody but the requester could approve: ONBOARDING.NO_APPROVER', async () => {
    // Nora has no manager, Search names no lead, and Sam (who asks) has no manager either.
    const error = await domainFailure(service(w).ask({ person: 'nora@contoso.example', team: 'team-search', role: 'backend', start: START }, actor(P.sam1), 'preview-1'));
    expect([error.code, error.details]).toEqual(['ONBOARDING.NO_APPROVER', { person: 'Nora Nomanager', team: 'Search' }]);
    nothingStored();
  });

  it('a team whose catalog Group names no Entra group: ONBOARDING.TEAM_NOT_CONNECTED', async () => {
    const error = await domainFailure(service(w).ask({ ...HENRY, team: 'team-nowhere' }, actor(P.alice), 'preview-1'));
    expect([error.code, error.details]).toEqual(['ONBOARDING.TEAM_NOT_CONNECTED', { team: 'team-nowhere' }]);
    nothingStored();
  });
});

describe('who approves', () => {
  const addToPaymentsTeam = (id: string) => w.directory.groups.get(IDS.payments)!.memberIds.push(id);

  it.each<[string, OnboardInput, keyof typeof P, (() => void) | undefined, keyof typeof P, string, string]>([
    ['the joiner’s manager in the directory', HENRY, 'alice', undefined, 'mia', 'directory-manager', 'Mia Manager, their manager in the directory'],
    ['no manager: the team lead from the catalog', { ...HENRY, person: 'nora@contoso.example' }, 'alice', undefined, 'lee', 'catalog-team-lead', "Lee Lead, the team's lead in the catalog (the directory names no other manager)"],
    ['the manager asks: the team lead', HENRY, 'mia', () => addToPaymentsTeam(P.mia.id), 'lee', 'catalog-team-lead', "Lee Lead, the team's lead in the catalog (the directory names no other manager)"],
    ['the manager is the lead and asks: the requester’s own manager', { ...HENRY, person: 'ivy@contoso.example' }, 'lee', undefined, 'max', 'requester-manager', "Max Director, the requester's manager (the requester is the person's manager or team lead)"],
    ['a disabled manager is skipped', { ...HENRY, person: 'dan@contoso.example' }, 'alice', undefined, 'lee', 'catalog-team-lead', "Lee Lead, the team's lead in the catalog (the directory names no other manager)"],
    ['People Ops asks: the manager still approves', HENRY, 'hanna', undefined, 'mia', 'directory-manager', 'Mia Manager, their manager in the directory'],
  ])('%s', async (_case, input, requester, setup, approver, source, words) => {
    setup?.();
    const preview = await service(w).preview(input, actor(P[requester]));
    expect(preview.ask.manager).toEqual({ id: P[approver].id, userPrincipalName: P[approver].upn, name: P[approver].name, source });
    expect(preview.summary.facts.find((f) => f.label === 'Approver')?.value).toBe(words);
  });

  it('the manager is the joiner’s buddy: still the manager (only the requester is left out)', async () => {
    const preview = await service(w).preview({ ...HENRY, buddy: 'mia@contoso.example' }, actor(P.alice));
    expect(preview.ask.manager.id).toBe(P.mia.id);
  });
});

describe('the plan', () => {
  it('Payments: the team, its listed private and shared channels, its groups, its project group; the standard channel comes with the team; what is missing is a warning', async () => {
    const preview = await service(w).preview(HENRY, actor(P.alice));
    expect(preview.ask.plan).toEqual({
      workspace: [
        { kind: 'team', teamId: IDS.payments, name: 'Payments' },
        { kind: 'channel', teamId: IDS.payments, channelId: IDS.onCall, name: 'Payments / On-call', membershipType: 'private' },
        { kind: 'channel', teamId: IDS.payments, channelId: IDS.partners, name: 'Payments / Checkout partners', membershipType: 'shared' },
        { kind: 'group', groupId: IDS.developers, name: 'Developers' },
        { kind: 'group', groupId: IDS.pci, name: 'PCI Cardholder Data' },
      ],
      standardChannels: ['Design'],
      devops: { accessLevel: 'express', groups: [{ project: 'Payments', group: 'projectContributor' }] },
    });
    expect(preview.warnings).toEqual([
      'The catalog lists the channel "Lounge", which the team Payments does not have: skipped.',
      'The catalog lists the directory group "Ghost Group", which does not exist: skipped.',
    ]);
    expect(preview).not.toHaveProperty('pending');
  });

  it('Search lists nothing: the team alone, and Contributors of the projects of its active repositories', async () => {
    const preview = await service(w).preview({ ...HENRY, team: 'Search' }, actor(P.sam1));
    expect(preview.ask.team).toEqual({ ref: SEARCH, name: 'team-search', displayName: 'Search' });
    expect(preview.ask.plan).toEqual({
      workspace: [{ kind: 'team', teamId: IDS.search, name: 'Search' }],
      standardChannels: [],
      devops: { accessLevel: 'express', groups: [{ project: 'Search', group: 'projectContributor' }, { project: 'Shared', group: 'projectContributor' }] },
    });
    expect(preview.warnings).toEqual([]);
  });

  it('the summary the requester and approver read', async () => {
    const preview = await service(w).preview({ ...HENRY, person: 'Henry Joiner', role: 'Backend (Java)', start: ` ${START} ` }, actor(P.alice));
    expect(preview.summary).toEqual({
      title: 'Onboard Henry Joiner to Payments',
      facts: [
        { label: 'Person', value: 'Henry Joiner (henry@contoso.example)' },
        { label: 'Team', value: 'Payments (team-payments)' },
        { label: 'Role', value: 'Backend (Java)' },
        { label: 'Starts', value: START },
        { label: 'Buddy', value: 'Bob Buddy (bob@contoso.example)' },
        { label: 'Approver', value: 'Mia Manager, their manager in the directory' },
        { label: 'Teams', value: 'Payments, with Design' },
        { label: 'Channels', value: 'On-call (private), Checkout partners (shared)' },
        { label: 'Groups', value: 'Developers, PCI Cardholder Data' },
        { label: 'Azure DevOps', value: 'Basic access; Payments Contributors' },
      ],
    });
    expect(preview.ask).toMatchObject({ role: 'backend', startDate: START, requester: { id: P.alice.id, userPrincipalName: P.alice.upn, name: P.alice.name } });
  });

  it('preview changes nothing', async () => {
    await service(w).preview(HENRY, actor(P.alice));
    nothingStored();
    expect(w.audit.entries).toEqual([]);
    expect(w.memberships.calls.filter((c) => c.op !== 'isMember')).toEqual([]);
  });
});

describe('ask', () => {
  it('makes one approval request for the chosen manager; the same preview clicked twice meets it', async () => {
    const first = await service(w).ask(HENRY, actor(P.alice), 'preview-1', 'act-1');
    expect(first.outcome).toBe('created');
    expect(first.request).toMatchObject({
      flow: 'onboarding',
      idempotencyKey: `${P.alice.id}:preview-1`,
      subjectKey: `onboard:${P.henry.id}:${PAYMENTS}`,
      requester: { id: P.alice.id, name: P.alice.name },
      state: 'pending',
      summary: first.preview.summary,
      payload: first.preview.ask,
    });
    expect(first.request.approvers.people).toEqual([{ id: P.mia.id, name: P.mia.name }]);
    const again = await service(w).ask(HENRY, actor(P.alice), 'preview-1');
    expect([again.outcome, again.request.id]).toEqual(['retried', first.request.id]);
    expect(w.approvalStore.requests.size).toBe(1);
    expect(w.onboardings.records.size).toBe(0); // nothing granted or recorded before approval
  });

  it('a request already waiting about the same joiner and team shows in the preview, and a second ask meets it', async () => {
    const first = await service(w).ask(HENRY, actor(P.alice), 'preview-1');
    const preview = await service(w).preview({ ...HENRY, buddy: undefined }, actor(P.hanna));
    expect(preview.pending?.id).toBe(first.request.id);
    expect(preview.pending?.state).toBe('pending');
    const second = await service(w).ask(HENRY, actor(P.hanna), 'preview-9');
    expect([second.outcome, second.request.id]).toEqual(['already-pending', first.request.id]);
    expect(w.approvalStore.requests.size).toBe(1);
  });

  it('a waiting request about another team is not offered', async () => {
    await service(w).ask(HENRY, actor(P.alice), 'preview-1');
    const preview = await service(w).preview({ ...HENRY, team: 'team-search' }, actor(P.sam1));
    expect(preview).not.toHaveProperty('pending');
  });

  it('ask checks again: a joiner whose account was disabled since the preview is refused, and nothing is asked', async () => {
    await service(w).preview(HENRY, actor(P.alice));
    w.directory.users.get(P.henry.id)!.accountEnabled = false;
    const error = await domainFailure(service(w).ask(HENRY, actor(P.alice), 'preview-1'));
    expect([error.code, error.details]).toEqual(['ONBOARDING.REQUEST_INVALID', { problems: ['person: the account of Henry Joiner is disabled; it must be enabled before they can be given access'] }]);
    nothingStored();
  });
});
