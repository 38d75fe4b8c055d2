/**
 * Onboarding and offboarding end to end in sandbox mode, through /api/messages as the requester
 * (Alice), the manager (Bob) and third users, against the Graph, Azure DevOps (vsaex) and Bot
 * Connector stand-ins: the one-shot command and its preview, the approval card delivered to Bob,
 * Bob's approval starting the provisioning job whose steps show on his card, the stand-ins' state
 * afterwards (Teams team, private and shared channels, groups, Azure DevOps entitlement), the
 * welcome card in the chat the bot opened for Henry (who never opened Teams), and offboarding
 * removing exactly what onboarding added. Refusals, rejection, cancellation, expiry, a joiner the
 * bot cannot reach yet, and Graph throttling / replication 404s mid-way with a Retry.
 */
import type { Job } from '../../src/domain/jobs/jobs.types';
import { DEMO_TEAMS, DEMO_TEAMS_APP, userBySlug, type DemoUser } from '../../src/sandbox/seed/demo-org';
import { personalChatId } from '../../src/sandbox/standins/graph-teamwork';
import { personalChat, replyCard, TestBot, type HttpResult } from '../helpers/bot-harness';
import { waitFor } from '../helpers/manual-time';

/* eslint-disable @typescript-eslint/no-explicit-any */
const [alice, bob, carol, dave, henry, ivan, jules] = ['alice', 'bob', 'carol', 'dave', 'henry', 'ivan', 'jules'].map(userBySlug) as DemoUser[];
const payments = DEMO_TEAMS.find((t) => t.name === 'team-payments')!;
const onCall = payments.channels.find((c) => c.displayName === 'On-call')!;
const partners = payments.channels.find((c) => c.displayName === 'Checkout partners')!;
const GROUPS = { developers: '20000000-0000-4000-b000-000000000003', pci: '20000000-0000-4000-b000-000000000004' };
const PAYMENTS_PROJECT = '30000000-0000-4000-c000-000000000001';

const isCard = (res: HttpResult) => res.status === 200 && res.body?.type === 'application/vnd.microsoft.card.adaptive';
const words = (res: HttpResult): string => (res.body?.type === 'application/vnd.microsoft.activity.message' ? String(res.body.value) : `not a message: ${res.text}`);
const actionsOf = (card: any): any[] => (card?.actions ?? []) as any[];
const text = (v: unknown) => JSON.stringify(v);
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

describe('onboarding and offboarding through /api/messages', () => {
  let bot: TestBot;

  beforeAll(async () => {
    bot = await TestBot.start({ APPROVAL_EXPIRE_AFTER_DAYS: '7' });
    // The requester and the manager have talked to the bot 1:1; Henry never opened Teams.
    for (const who of ['alice', 'bob', 'carol', 'dave', 'erin', 'paula']) await bot.say('hi', { as: who });
  }, 60_000);
  afterAll(() => bot.stop());

  const sandbox = () => bot.running.sandbox!;
  const graph = () => sandbox().graph;
  const db = () => bot.running.connection.db!;
  const chatOf = (u: DemoUser) => personalChat(u).id;
  const activitiesIn = (conversationId: string) => sandbox().connector.activities(conversationId);
  const cardsIn = (conversationId: string) => activitiesIn(conversationId).filter((a) => a.attachments?.length);
  const textsIn = (conversationId: string) => activitiesIn(conversationId).map((a) => String(a.text ?? ''));
  const teamMember = (u: DemoUser) => graph().groups.get(payments.id)!.memberIds.includes(u.id);
  const channelMember = (channelId: string, u: DemoUser) => (graph().groups.get(payments.id)!.channels.find((c) => c.id === channelId)?.memberIds ?? []).includes(u.id);
  const groupMember = (groupId: string, u: DemoUser) => graph().groups.get(groupId)!.memberIds.includes(u.id);
  const entitlement = (u: DemoUser) => sandbox().azureDevOps.state.entitlements.find((e) => e.principalName.toLowerCase() === u.userPrincipalName.toLowerCase());
  const job = (type: string, requestId: string) => db().collection('jobs').findOne({ type, idempotencyKey: requestId }) as Promise<(Job & { _id: unknown }) | null>;
  const finished = (type: string, requestId: string) =>
    waitFor(async () => {
      const j = await job(type, requestId);
      return j && ['succeeded', 'failed'].includes(j.status) ? j : null;
    }, `${type} job of ${requestId} to finish`, 30_000);

  /** Types the one-shot command; answers the card the bot replied with. */
  const command = async (line: string, as: string) => {
    const replies = await bot.say(line, { as });
    return replyCard(replies[0]!);
  };
  /** Clicks the preview's Ask button as the requester; answers the invoke response. */
  const askFrom = (preview: any, as: string) => {
    const ask = actionsOf(preview).find((a) => a.verb === 'onboarding.ask');
    if (!ask) throw new Error(`no Ask button on ${text(preview)}`);
    return bot.execute('onboarding.ask', ask.data, { as });
  };
  /** The approval card Bob received for a request, and the request id it carries. */
  const approvalCardFor = async (approver: DemoUser, title: string) => {
    const found = await waitFor(() => cardsIn(chatOf(approver)).reverse().find((a) => text(a.attachments![0]!.content).includes(title)), `the approval card "${title}" in ${approver.displayName}'s chat`);
    const card = found.attachments![0]!.content as any;
    return { activityId: found.id!, requestId: String(actionsOf(card).find((a) => a.verb === 'approval.approve')?.data.requestId), card };
  };
  const approveAs = (u: DemoUser | string, requestId: string, replyToId: string | undefined, comment?: string) =>
    bot.execute('approval.approve', { requestId, ...(comment ? { comment } : {}) }, { as: u, ...(replyToId ? { extra: { replyToId } } : {}) });

  it('refuses bad requests in words and changes nothing', async () => {
    const before = await db().collection('approvals').countDocuments();
    const invalid = await command(`onboard person=ivan@contoso.example team=paymnts role=astronaut start=2026-02-30 buddy=nobody@contoso.example`, 'alice');
    const shown = text(invalid);
    expect(invalid.body[0].text).toBe('Onboard someone to a team');
    expect(shown).toContain('nobody in the directory is called \\"nobody@contoso.example\\"');
    expect(shown).toContain('there is no team \\"paymnts\\" in the catalog (did you mean team-payments');
    expect(shown).toContain('\\"astronaut\\" is not a role with a dev environment');
    expect(shown).toContain('is not a date written YYYY-MM-DD');
    const disabled = await command(`onboard person=${ivan.userPrincipalName} team=team-payments role=backend-java start=${inDays(5)}`, 'alice');
    expect(text(disabled)).toContain('the account of Ivan Former is disabled');
    // Alice is not in Search: she may not ask for it (default deny), in words.
    const refused = await bot.say(`onboard person=${henry.userPrincipalName} team=team-search role=backend-java start=${inDays(5)}`, { as: 'alice' });
    expect(String(refused[0]!.text)).toContain('is not a member of the team Search');
    // Missing fields: the form, with the type-ahead pickers.
    const form = await command('onboard', 'alice');
    expect(form.body.find((b: any) => b.id === 'person')['choices.data']).toEqual({ type: 'Data.Query', dataset: 'directory.people' });
    expect(await db().collection('approvals').countDocuments()).toBe(before);
  });

  it('the type-ahead answers from the directory and the catalog', async () => {
    const search = (dataset: string, queryText: string) => bot.post(bot.activity('invoke', { as: 'alice', deliveryMode: 'normal' }, { name: 'application/search', value: { queryText, dataset, queryOptions: { top: 10, skip: 0 } } }));
    const people = await search('directory.people', 'hen');
    expect(people.status).toBe(200);
    expect(people.body).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.search.searchResponse', value: { results: [{ title: 'Henry Joiner (henry@contoso.example)', value: henry.userPrincipalName }] } });
    const teams = await search('catalog.teams', 'paym');
    expect(teams.body.value.results).toContainEqual({ title: 'Payments (team-payments)', value: 'team-payments' });
    expect((await search('secrets', 'x')).body?.type).toBe('application/vnd.microsoft.error');
  });

  let henryRequest = '';

  it('onboards Henry: preview, approval card to Bob, self-approval and outsiders refused, one approval, every access, the welcome in a chat the bot opened', async () => {
    expect(teamMember(henry) || groupMember(GROUPS.developers, henry) || entitlement(henry)).toBeFalsy();
    const preview = await command(`onboard person=${henry.userPrincipalName} team=team-payments role=backend-java start=${inDays(5)} buddy=${alice.userPrincipalName}`, 'alice');
    const shown = text(preview);
    expect(preview.body[0].text).toBe('Onboard Henry Joiner to Payments');
    expect(shown).toContain('Bob Manager, their manager in the directory');
    expect(shown).toContain('On-call (private), Checkout partners (shared)');
    expect(shown).toContain('payments-developers, pci-cardholder-data');
    expect(shown).toContain('Payments Contributors');
    expect(teamMember(henry)).toBe(false); // nothing before approval

    const asked = await askFrom(preview, 'alice');
    expect(isCard(asked)).toBe(true);
    expect(actionsOf(asked.body.value).map((a) => a.verb)).toEqual(['approval.cancel']); // Alice's own view
    // A double click on Ask meets the same request.
    const again = await askFrom(preview, 'alice');
    expect(text(again.body.value)).toContain('Waiting for approval');
    const { requestId, activityId } = await approvalCardFor(bob, 'Onboard Henry Joiner to Payments');
    henryRequest = requestId;
    expect(await db().collection('approvals').countDocuments({ flow: 'onboarding', 'payload.joiner.id': henry.id })).toBe(1);

    expect(words(await approveAs('alice', requestId, undefined))).toContain('cannot approve or reject it yourself');
    expect(words(await approveAs('dave', requestId, undefined))).toContain('Only Bob Manager can approve or reject');
    // Bob approves twice (a double click): one decision, one job.
    const [first, second] = await Promise.all([approveAs(bob, requestId, activityId, 'Welcome!'), approveAs(bob, requestId, activityId)]);
    expect([first, second].every(isCard)).toBe(true);
    expect(text(first.body.value)).toContain('Giving access to Henry Joiner in Payments');
    const done = await finished('onboarding.provision', requestId);
    expect(done.status).toBe('succeeded');
    expect(await db().collection('jobs').countDocuments({ type: 'onboarding.provision', idempotencyKey: requestId })).toBe(1);
    expect(await db().collection('audit').countDocuments({ action: 'approval.decide', result: 'success', target: `approval:${requestId}` })).toBe(1);

    // The stand-ins: every access the preview listed.
    expect(teamMember(henry)).toBe(true);
    expect(channelMember(onCall.id, henry)).toBe(true);
    expect(channelMember(partners.id, henry)).toBe(true);
    expect(groupMember(GROUPS.developers, henry) && groupMember(GROUPS.pci, henry)).toBe(true);
    expect(entitlement(henry)).toMatchObject({ accountLicenseType: 'express', groups: [{ projectId: PAYMENTS_PROJECT, groupType: 'projectContributor' }] });

    // Henry never opened Teams: the bot installed itself for him through Graph and sent the welcome there.
    const henryChat = personalChatId(DEMO_TEAMS_APP.externalId, henry.id);
    const welcome = await waitFor(() => cardsIn(henryChat)[0], "Henry's welcome card");
    const card = welcome.attachments![0]!.content;
    expect(text(card)).toContain('Welcome to Payments, Henry Joiner!');
    expect(text(card)).toContain('devcontainer.json');
    expect(actionsOf(card).map((a) => a.verb ?? a.type)).toEqual(expect.arrayContaining(['onboarding.checklist']));

    // Bob's card shows the finished job; Alice and Bob were told.
    await waitFor(() => text(activitiesIn(chatOf(bob)).find((a) => a.id === activityId)).includes('Onboarded Henry Joiner in Payments'), "Bob's card to show the finished job");
    await waitFor(() => textsIn(chatOf(alice)).some((t) => t.includes('Henry Joiner is onboarded to Payments')), 'Alice to be told');
    // Every step audited with the bot identity as actor and Bob as approver.
    const steps = await db().collection('audit').find({ action: /^onboarding\./, target: `person:${henry.id}`, result: 'success' }).toArray();
    expect(steps.map((s) => s.action).sort()).toEqual(['onboarding.azure-devops', 'onboarding.directory-groups', 'onboarding.finish', 'onboarding.teams-team', 'onboarding.welcome']);
    expect(steps.every((s) => String(s.actor).startsWith('bot:') && s.details.approvedBy === bob.id)).toBe(true);

    // Henry ticks his checklist (only he may); Bob sees the progress.
    const onboardingId = requestId;
    const first2 = (card as any).body.flatMap((b: any) => (b.items ?? [b])).filter((i: any) => i.type === 'Input.Toggle').slice(0, 2).map((i: any) => i.id);
    const ticks = Object.fromEntries(first2.map((id: string) => [id, 'true']));
    expect(words(await bot.execute('onboarding.checklist', { onboardingId, ...ticks }, { as: 'bob' }))).toContain('Only Henry Joiner can tick this checklist');
    const ticked = await bot.execute('onboarding.checklist', { onboardingId, ...ticks }, { as: 'henry' });
    expect(isCard(ticked)).toBe(true);
    const bobsView = await bot.execute('onboarding.refresh-welcome', { onboardingId }, { as: 'bob' });
    expect(text(bobsView.body.value)).toMatch(/2 of \d+ done/);

    // Asking again: already onboarded.
    const twice = await bot.say(`onboard person=${henry.userPrincipalName} team=team-payments role=backend-java start=${inDays(5)}`, { as: 'alice' });
    expect(String(twice[0]!.text)).toContain('Henry Joiner is already onboarded to Payments (approved by Bob Manager');
  }, 60_000);

  it('a rejection with a comment grants nothing and tells the requester; the team lead approves a joiner without a manager', async () => {
    const preview = await command(`onboard person=${jules.userPrincipalName} team=team-payments role=frontend-node start=${inDays(3)}`, 'alice');
    expect(text(preview)).toContain("Bob Manager, the team's lead in the catalog");
    await askFrom(preview, 'alice');
    const { requestId } = await approvalCardFor(bob, 'Onboard Jules Contractor to Payments');
    const rejected = await bot.execute('approval.reject', { requestId, comment: 'Contract not signed yet' }, { as: 'bob' });
    expect(text(rejected.body.value)).toContain('Rejected by **Bob Manager**');
    await waitFor(() => textsIn(chatOf(alice)).some((t) => t.includes('was rejected by Bob Manager: “Contract not signed yet”')), 'Alice to hear of the rejection');
    expect(await job('onboarding.provision', requestId)).toBeNull();
    expect(teamMember(jules)).toBe(false);
  });

  it('a cancelled request and an expired one cannot be approved', async () => {
    // Carol (platform engineer) may ask for any team; she cancels, Bob's card is stale.
    const preview = await command(`onboard person=${henry.userPrincipalName} team=team-search role=data-python start=${inDays(3)}`, 'carol');
    await askFrom(preview, 'carol');
    const cancelled = await approvalCardFor(bob, 'Onboard Henry Joiner to Search');
    expect(isCard(await bot.execute('approval.cancel', { requestId: cancelled.requestId }, { as: 'carol' }))).toBe(true);
    expect(words(await approveAs(bob, cancelled.requestId, undefined))).toContain('is already cancelled');

    const another = await command(`onboard person=${henry.userPrincipalName} team=team-search role=data-python start=${inDays(3)}`, 'carol');
    await askFrom(another, 'carol');
    const expiring = await waitFor(async () => {
      const found = await approvalCardFor(bob, 'Onboard Henry Joiner to Search');
      return found.requestId !== cancelled.requestId ? found : null;
    }, 'the second request');
    const swept = await bot.running.approvals!.sweep(new Date(Date.now() + 8 * 86_400_000));
    expect(swept.expired).toContain(expiring.requestId);
    expect(words(await approveAs(bob, expiring.requestId, undefined))).toContain('is already expired');
    await waitFor(() => textsIn(chatOf(carol)).some((t) => t.includes('expired: no approver decided in time')), 'Carol to hear of the expiry');
    expect(await job('onboarding.provision', expiring.requestId)).toBeNull();
  });

  it('a joiner the bot cannot reach yet: the manager and buddy are told, the welcome goes with their first message', async () => {
    // Jules cannot get the app yet (no Teams licence): Graph refuses the installation.
    graph().addFault({ method: 'POST', path: `/users/${jules.id}/teamwork/installedApps`, kind: 'status', status: 403 });
    graph().teamwork.uninstallAll(jules.id);
    const preview = await command(`onboard person=${jules.userPrincipalName} team=team-platform role=sre start=${inDays(2)} buddy=${carol.userPrincipalName}`, 'carol');
    await askFrom(preview, 'carol');
    const paula = userBySlug('paula');
    const { requestId, activityId } = await approvalCardFor(paula, 'Onboard Jules Contractor to Platform');
    await approveAs(paula, requestId, activityId);
    expect((await finished('onboarding.provision', requestId)).status).toBe('succeeded');
    await waitFor(() => textsIn(chatOf(carol)).some((t) => t.includes('Jules Contractor has been given access to Platform, but I cannot message them yet')), 'the buddy to be told');
    graph().clearFaults();
    // Jules writes to the bot for the first time: the welcome that waited goes out.
    await bot.say('hello', { as: 'jules', deliveryMode: 'normal' });
    const welcome = await waitFor(() => cardsIn(chatOf(jules)).find((a) => text(a.attachments![0]!.content).includes('Welcome to Platform')), "Jules's welcome in his chat");
    expect(welcome).toBeDefined();
    const record = await db().collection('onboardings').findOne({ 'joiner.id': jules.id, 'team.name': 'team-platform' });
    expect(record?.welcome?.deliveredAt).toBeTruthy();
  }, 60_000);

  it('Graph throttling and a replication 404 mid-way are absorbed; a step that fails for good is retried from the card and grants nothing twice', async () => {
    const joiner = dave; // Dave (Search) joins Payments too; his manager Erin approves
    const erin = userBySlug('erin');
    graph().addFault({ method: 'POST', path: '^/v1.0/\\$batch', kind: 'status', status: 429, retryAfterSeconds: 1, times: 1 });
    graph().replicationDelay({ path: `/teams/${payments.id}/channels/.*/members`, requests: 1, method: 'POST' });
    // The Azure DevOps entitlements host refuses for good until the fault is lifted.
    sandbox().azureDevOps.entitlementsHost.addFault({ path: 'userentitlements', kind: 'status', status: 403 });
    const preview = await command(`onboard person=${joiner.userPrincipalName} team=team-payments role=backend-node start=${inDays(1)}`, 'alice');
    expect(text(preview)).toContain('Erin Lead, their manager in the directory');
    await askFrom(preview, 'alice');
    const { requestId, activityId } = await approvalCardFor(erin, 'Onboard Dave Searcher to Payments');
    await approveAs(erin, requestId, activityId);
    const failed = await finished('onboarding.provision', requestId);
    expect(failed.status).toBe('failed');
    expect(failed.steps.find((s) => s.name === 'azure-devops')?.status).toBe('failed');
    // The faults were met (a 429 on a batch, a 404 on a channel membership), and the other access went through.
    expect(graph().requests.some((r) => r.path === '/v1.0/$batch' && r.status === 429)).toBe(true);
    expect(graph().requests.some((r) => r.method === 'POST' && r.path.startsWith(`/v1.0/teams/${payments.id}/channels/`) && r.status === 404)).toBe(true);
    expect(teamMember(joiner) && channelMember(onCall.id, joiner) && groupMember(GROUPS.developers, joiner)).toBe(true);
    const card = await bot.execute('approval.refresh', { requestId }, { as: erin });
    expect(actionsOf(card.body.value).map((a) => a.verb)).toContain('job.retry');
    sandbox().azureDevOps.entitlementsHost.clearFaults();
    expect(words(await bot.execute('job.retry', { jobId: String(failed._id ?? failed.id) }, { as: 'dave' }))).toContain('Only the approver, the requester or the manager');
    const retried = await bot.execute('job.retry', { jobId: String(failed._id ?? failed.id) }, { as: erin });
    expect(isCard(retried)).toBe(true);
    await waitFor(async () => (await job('onboarding.provision', requestId))?.status === 'succeeded', 'the retried job to succeed', 30_000);
    expect(entitlement(joiner)?.groups).toContainEqual({ projectId: PAYMENTS_PROJECT, groupType: 'projectContributor' });
    const teamAdds = graph().requests.filter((r) => r.method === 'POST' && r.path === `/v1.0/teams/${payments.id}/members` && r.status === 201 && JSON.stringify(r.body).includes(joiner.id));
    expect(teamAdds).toHaveLength(1);
  }, 90_000);

  it('offboarding Henry removes exactly what onboarding added, after his manager approves', async () => {
    expect(henryRequest).not.toBe('');
    const aliceGroups = [groupMember(GROUPS.developers, alice), groupMember(GROUPS.pci, alice), channelMember(onCall.id, alice)];
    const preview = await command(`offboard ${henry.userPrincipalName} team=team-payments`, 'alice');
    const shown = text(preview);
    expect(preview.body[0].text).toBe('Offboard Henry Joiner from Payments');
    expect(shown).toContain('Will remove');
    expect(shown).toContain('the Azure DevOps entitlement the bot gave');
    await askFrom(preview, 'alice');
    const { requestId, activityId } = await approvalCardFor(bob, 'Offboard Henry Joiner from Payments');
    await approveAs(bob, requestId, activityId);
    expect((await finished('offboarding.revoke', requestId)).status).toBe('succeeded');
    expect(teamMember(henry) || channelMember(onCall.id, henry) || channelMember(partners.id, henry)).toBe(false);
    expect(groupMember(GROUPS.developers, henry) || groupMember(GROUPS.pci, henry)).toBe(false);
    expect(entitlement(henry)).toBeUndefined();
    // Nothing else moved.
    expect([groupMember(GROUPS.developers, alice), groupMember(GROUPS.pci, alice), channelMember(onCall.id, alice)]).toEqual(aliceGroups);
    expect(teamMember(alice) && teamMember(bob)).toBe(true);
    const record = await db().collection('onboardings').findOne({ 'joiner.id': henry.id, 'team.name': 'team-payments' });
    expect(record?.state).toBe('offboarded');
    await waitFor(() => textsIn(chatOf(alice)).some((t) => t.includes('Henry Joiner is offboarded from Payments')), 'Alice to be told');
  }, 60_000);
});
