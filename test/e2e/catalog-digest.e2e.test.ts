/**
 * The weekly digest end to end, in sandbox mode: the bot installed in the Payments team records
 * its General channel; the scheduled digest job sends the team one card there (Bot Connector
 * stand-in); Fix by a member opens one pull request on the Azure DevOps stand-in whose
 * catalog-info.yaml keeps its comments and validates; a non-member is refused; a snooze hides its
 * check from the next digest.
 */
import { parseAllDocuments } from 'yaml';
import { AzureDevOpsConnection } from '../../src/adapters/azure-devops/azure-devops-connection';
import { AzureDevOpsRepositoryProvisioning } from '../../src/adapters/azure-devops/azure-devops-provisioning.adapter';
import { AzureDevOpsSourceControl } from '../../src/adapters/azure-devops/azure-devops-source-control.adapter';
import { validateAsBackstageReads } from '../../src/domain/catalog-digest/descriptor-edit';
import { fixBranch } from '../../src/domain/catalog-digest/health-actions.service';
import { ruleInfo } from '../../src/domain/catalog-health/health-rules';
import type { HealthFinding, HealthRun, TeamHealth } from '../../src/domain/catalog-health/health.types';
import { occurrenceKey, scheduledJobType } from '../../src/domain/jobs/scheduler';
import { DEMO_TEAMS, userBySlug } from '../../src/sandbox/seed/demo-org';
import { BOT_ID, channelChat, TestBot } from '../helpers/bot-harness';
import { waitFor } from '../helpers/manual-time';

/** The digest names rules with the health rules' own titles. */
const ON_CALL = ruleInfo('production-on-call-missing').title;
const RUNBOOK = ruleInfo('production-runbook-missing').title;

const TEAM = 'group:default/team-payments';
const LEDGER = 'component:default/payments-ledger';
const payments = DEMO_TEAMS.find((t) => t.name === 'team-payments')!;
const LEDGER_YAML = `# The ledger's descriptor. Keep the comments: reviewers read them.
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments-ledger   # renamed from "ledger" in 2025
  title: Payments ledger
  annotations:
    dev.azure.com/project-repo: Payments/payments-ledger
    idp.dev/tier: tier-1 # pages at night
  links:
    - url: https://grafana.contoso.example/d/payments-ledger
      title: Ledger dashboard
spec:
  type: service
  lifecycle: production
  owner: team-payments
`;

const finding = (ref: string, ruleId: HealthFinding['ruleId'], detail: string): HealthFinding => ({ ref, ruleId, severity: ruleId === 'production-on-call-missing' ? 'error' : 'warning', detail });
const healthRun = (id: string, finishedAt: Date, failing: number): HealthRun => ({ id, startedAt: finishedAt, finishedAt, entityCount: 3, failingByRule: {}, failingByTeam: { [TEAM]: failing }, liveOwnerCoverage: 100, rules: ['production-runbook-missing', 'production-on-call-missing'] });

describe('the catalog digest through /api/messages', () => {
  let bot: TestBot;
  let sourceControl: AzureDevOpsSourceControl;
  let provisioning: AzureDevOpsRepositoryProvisioning;
  const channel = channelChat(payments.channelId);
  const general = payments.channelId;

  beforeAll(async () => {
    bot = await TestBot.start();
    const conn = new AzureDevOpsConnection({ orgUrl: bot.running.config.AZURE_DEVOPS_ORG_URL!, token: bot.running.config.AZURE_DEVOPS_PAT! });
    sourceControl = new AzureDevOpsSourceControl(conn);
    provisioning = new AzureDevOpsRepositoryProvisioning(conn);
    // A repository whose catalog-info.yaml has comments, imported from Azure DevOps.
    const { repository } = await provisioning.ensureRepository('Payments', 'payments-ledger');
    await provisioning.ensureInitialCommit('Payments', repository.id, 'main', [{ path: '/catalog-info.yaml', content: LEDGER_YAML }], 'Add the descriptor');
    await bot.running.catalog.importAll();
    const runs = bot.running.catalogHealth.runs;
    // The health run the bot makes at its first start is dropped: this test's runs are the history.
    await waitFor(async () => (await runs.latestRuns(1)).length === 1, 'the first health run');
    await runs.prune(0);
    const now = Date.now();
    const findings = [finding(LEDGER, 'production-on-call-missing', 'tier-1 production service without an on-call rotation'), finding(LEDGER, 'production-runbook-missing', 'tier-1 production service without a runbook')];
    await runs.saveRun(healthRun('e2e-week-1', new Date(now - 7 * 24 * 3600_000), 1), [teamOf('e2e-week-1', [findings[0]!])]);
    await runs.saveRun(healthRun('e2e-week-2', new Date(now - 60_000), 2), [teamOf('e2e-week-2', findings)]);
  });
  afterAll(() => bot.stop());

  const teamOf = (runId: string, findings: HealthFinding[]): TeamHealth => ({ runId, team: TEAM, entityCount: 3, findings, waived: 0 });

  /** The scheduled job of one occurrence, run by the bot's job runner as the scheduler would enqueue it. */
  async function runDigestJob(slot: number): Promise<void> {
    const name = 'catalog-digest';
    const { job } = await bot.running.jobs.enqueue({ type: scheduledJobType(name), idempotencyKey: occurrenceKey(name, slot), input: { name, slot }, requestedBy: 'e2e' });
    await new Promise<void>((resolve, reject) => {
      const check = (status: string) => (status === 'succeeded' ? resolve() : status === 'failed' || status === 'cancelled' ? reject(new Error(`digest job ${status}`)) : undefined);
      const off = bot.running.jobs.onProgress((j) => {
        if (j.id !== job.id) return;
        check(j.status);
        if (['succeeded', 'failed', 'cancelled'].includes(j.status)) off();
      });
      void bot.running.jobs.get(job.id).then((j) => j && check(j.status));
    });
  }

  const cardsIn = (conversationId: string) => bot.running.sandbox!.connector.activities(conversationId).filter((a) => JSON.stringify(a).includes('Catalog health for'));
  const executeAs = (slug: string, verb: string, data: Record<string, unknown>) => bot.execute(verb, data, { as: slug, conversation: channel });
  const check = (rule: string) => ({ team: TEAM, ref: LEDGER, rule });

  it('installed in the team, the digest job sends one card to its General channel; a re-run of the occurrence sends nothing more', async () => {
    await bot.conversationUpdate([{ id: BOT_ID, name: 'IDP Bot' }], { conversation: channel, extra: { channelData: { tenant: { id: 't' }, eventType: 'teamMemberAdded', team: { id: general, name: 'Payments', aadGroupId: payments.id.toUpperCase() } } } });
    const stored = await bot.running.connection.db!.collection('conversations').findOne({ key: `team:${general}` });
    expect(stored).toMatchObject({ conversationType: 'channel', teamId: general, aadGroupId: payments.id });

    await runDigestJob(1);
    const [card] = cardsIn(general);
    expect(cardsIn(general)).toHaveLength(1);
    const text = JSON.stringify(card);
    expect(text).toContain('Catalog health for Payments: 2 failing checks');
    expect(text).toContain('1 new, 0 fixed');
    expect(text).toContain('"verb":"catalog-digest.fix"');
    expect(text.indexOf(ON_CALL)).toBeLessThan(text.indexOf(RUNBOOK)); // worst first

    await bot.running.catalogDigest.runOccurrence(occurrenceKey('catalog-digest', 1));
    expect(cardsIn(general)).toHaveLength(1);
  });

  it("a non-member's Fix and Snooze are refused and change nothing", async () => {
    const onFixBranch = (await sourceControl.listFiles('Payments', 'payments-ledger', { branch: fixBranch({ ref: LEDGER, name: 'payments-ledger' }, 'production-runbook-missing') })).length;
    const fix = await executeAs('dave', 'catalog-digest.fix.submit', { ...check('production-runbook-missing'), value: 'https://runbooks.contoso.example/payments-ledger' });
    expect(fix.status).toBe(200);
    expect(JSON.stringify(fix.body)).toMatch(/Dave Searcher is not a member of the team Payments/);
    const snooze = await executeAs('dave', 'catalog-digest.snooze', check('production-on-call-missing'));
    expect(JSON.stringify(snooze.body)).toMatch(/not a member of the team Payments/);
    expect(onFixBranch).toBe(0); // no fix branch was made
    await expect(bot.running.catalogHealth.waivers.forEntities([LEDGER])).resolves.toEqual([]);
  });

  it('Fix by a member: the form, then one pull request whose catalog-info.yaml keeps its comments and validates, even on a double click', async () => {
    const form = await executeAs('alice', 'catalog-digest.fix', check('production-runbook-missing'));
    expect(JSON.stringify(form.body)).toContain('"id":"value"');

    const submit = () => executeAs('alice', 'catalog-digest.fix.submit', { ...check('production-runbook-missing'), value: 'https://runbooks.contoso.example/payments-ledger' });
    const [first, second] = await Promise.all([submit(), submit()]);
    const third = await submit();
    for (const r of [first, second, third]) expect(JSON.stringify(r.body)).toMatch(/Pull request \[\\\\#\d+\]\(http:\/\/127\.0\.0\.1:\d+\/contoso\/Payments\/_git\/payments-ledger\/pullrequest\/\d+\)/);

    const standIn = bot.running.sandbox!.azureDevOps.state;
    const prs = standIn.pullRequests.filter((pr) => pr.sourceRefName === `refs/heads/${fixBranch({ ref: LEDGER, name: 'payments-ledger' }, 'production-runbook-missing')}`);
    expect(prs).toHaveLength(1);
    const yamlText = (await sourceControl.readFile('Payments', 'payments-ledger', '/catalog-info.yaml', fixBranch({ ref: LEDGER, name: 'payments-ledger' }, 'production-runbook-missing')))!;
    expect(yamlText).toContain("# The ledger's descriptor. Keep the comments: reviewers read them.");
    expect(yamlText).toContain('# renamed from "ledger" in 2025');
    expect(yamlText).toContain('idp.dev/tier: tier-1 # pages at night');
    const [doc] = parseAllDocuments(yamlText).map((d) => d.toJS());
    expect(doc.metadata.links).toContainEqual({ url: 'https://runbooks.contoso.example/payments-ledger', title: 'Runbook', type: 'runbook' });
    await expect(validateAsBackstageReads(doc)).resolves.toBeUndefined();
    await expect(sourceControl.readFile('Payments', 'payments-ledger', '/catalog-info.yaml', 'main')).resolves.toBe(LEDGER_YAML);
    const audit = await bot.running.connection.db!.collection('audit').find({ action: 'catalog-health.fix', result: 'success' }).toArray();
    expect(audit.length).toBeGreaterThanOrEqual(3);
    expect(audit.every((a) => a.actor === userBySlug('alice').id)).toBe(true);
  });

  it('Snooze 30 days by a member: the card is redrawn without the check, and the next digest hides it', async () => {
    const snooze = await executeAs('alice', 'catalog-digest.snooze', check('production-on-call-missing'));
    const redrawn = JSON.stringify(snooze.body);
    expect(redrawn).toContain(`payments-ledger · ${ON_CALL} snoozed until`);
    expect(redrawn).not.toContain(`**${ON_CALL}**`); // its group is gone from the card
    expect(redrawn).toContain('1 snoozed or not applicable');

    await runDigestJob(2);
    const cards = cardsIn(general);
    expect(cards).toHaveLength(2);
    const next = JSON.stringify(cards[1]);
    expect(next).not.toContain(ON_CALL);
    expect(next).toContain(`**${RUNBOOK}**`);
    expect(next).toContain('opened by Alice Developer'); // the pull request from the Fix
  });

  const RELEASES = '19:payments-releases@thread.tacv2';
  const setChannelLink = async (channelId: string, name: string) => {
    const entities = bot.running.connection.db!.collection('catalog_entities');
    const group = await entities.findOne({ ref: TEAM });
    const teamsChannelUrl = `https://teams.microsoft.com/l/channel/${encodeURIComponent(channelId)}/${name}?groupId=${payments.id}&tenantId=c0ffee00-0000-4000-8000-000000000001`;
    await entities.updateOne({ ref: TEAM }, { $set: { contacts: { ...(group!.contacts as object), teamsChannelUrl } } });
  };

  it("the Group's channel link names another channel of the team: the card lands in THAT channel; refused there for good, in General", async () => {
    await setChannelLink(RELEASES, 'Releases');
    await runDigestJob(3);
    const [card] = cardsIn(RELEASES);
    expect(cardsIn(RELEASES)).toHaveLength(1);
    expect(card!.conversation).toMatchObject({ id: RELEASES });
    expect(cardsIn(general)).toHaveLength(2); // not in General

    bot.running.sandbox!.connector.refuseConversation(RELEASES, 403);
    try {
      await runDigestJob(4); // succeeds: a refused channel is not a failed delivery
    } finally {
      bot.running.sandbox!.connector.clearFaults();
    }
    expect(cardsIn(RELEASES)).toHaveLength(1);
    expect(cardsIn(general)).toHaveLength(3);
    await setChannelLink(general, 'General');
  });

  it('the bot removed from the team forgets its channel; the next digest goes 1:1 to the members with a chat', async () => {
    for (const slug of ['alice', 'bob']) await bot.say('help', { as: slug });
    const conversations = bot.running.connection.db!.collection('conversations');
    await bot.post(bot.activity('conversationUpdate', { conversation: channel }, { membersRemoved: [{ id: BOT_ID, name: 'IDP Bot' }], channelData: { tenant: { id: 't' }, eventType: 'teamMemberRemoved', team: { id: general, name: 'Payments', aadGroupId: payments.id } } }));
    await expect(conversations.findOne({ key: `team:${general}` })).resolves.toBeNull();

    await runDigestJob(5);
    expect(cardsIn(general)).toHaveLength(3);
    for (const slug of ['alice', 'bob']) {
      const personal = await conversations.findOne({ key: `user:${userBySlug(slug).id}` });
      expect(cardsIn(personal!.conversationId as string)).toHaveLength(1);
    }
  });
});
