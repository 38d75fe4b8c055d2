/**
 * "create repo" and "add pipeline" through /api/messages, as Teams drives them: the conversation
 * (one-shot and multi-turn with the form), the preview card's Confirm/Cancel/refresh as
 * Action.Execute invokes carrying the card's message id, and the progress card updated in place on
 * the Bot Connector stand-in. Then what the Azure DevOps stand-in holds is checked over its
 * GET /_standin/state, and what the catalog and the audit trail say.
 */
import { parse } from 'yaml';
import { REPO_PREVIEW_VERBS } from '../../cards/repo-preview.card';
import { JOB_RETRY_VERB } from '../../cards/job-progress.card';
import { PIPELINE_PREVIEW_VERBS } from '../../cards/pipeline-preview.card';
import { MongoCatalogStore } from '../../src/adapters/mongo/mongo-catalog-store.adapter';
import { POLICY_TYPE_IDS } from '../../src/adapters/azure-devops/branch-policies';
import { APPROVAL_CHECK_TYPE_ID } from '../../src/adapters/azure-devops/deployment-targets';
import { userBySlug } from '../../src/sandbox/seed/demo-org';
import { TestBot, cardText, replyText } from '../helpers/bot-harness';
import { RepoChat, cardOf, requestIdOf, seedCatalog } from '../helpers/repo-chat';

/* eslint-disable @typescript-eslint/no-explicit-any */
interface AdoState {
  repositories: { id: string; name: string; project: string; defaultBranch: string | null; files: Record<string, Record<string, string>>; commits: unknown[]; pushes: unknown[] }[];
  pullRequests: { repositoryId: string; sourceRefName: string; targetRefName: string; status: string; title: string }[];
  policies: { typeId: string; settings: Record<string, any> }[];
  definitions: { id: number; name: string; repositoryId: string; yamlFilename?: string }[];
  environments: { id: number; name: string; project: string }[];
  checks: { typeId: string; resource: { type: string; id: string }; settings: Record<string, any> }[];
  variableGroups: { name: string; projectIds: string[]; variables: Record<string, { value?: string; isSecret?: boolean }> }[];
}

const oneShot = (name: string, extra = '') =>
  `create repo name=${name} project=Payments stack=node owner=team-payments description="Ledger of card payments" envs=dev,staging,prod ${extra}`.trim();

describe('create repo and add pipeline, end to end (sandbox, over /api/messages)', () => {
  let bot: TestBot;
  beforeAll(async () => {
    // One run per step (no automatic re-runs): a 5xx fault gives the failed card quickly.
    bot = await TestBot.start({ REPO_JOB_STEP_ATTEMPTS: '1' });
    await seedCatalog(bot);
  });
  afterAll(() => bot.stop());
  afterEach(() => bot.running.sandbox!.azureDevOps.clearFaults());

  const adoState = async (): Promise<AdoState> => (await (await fetch(`${bot.running.sandbox!.azureDevOps.baseUrl}/_standin/state`)).json()) as AdoState;
  const repoIn = (state: AdoState, name: string) => state.repositories.filter((r) => r.name === name);
  const db = () => bot.running.connection.db!;

  /** Sends the one-shot command and returns the preview message. */
  async function preview(chat: RepoChat, text: string) {
    const replies = await chat.say(text);
    const card = replies.find((r) => cardText(cardOf(r)).includes('repo.create.confirm'));
    if (!card) throw new Error(`no preview: ${JSON.stringify(replies.map((r) => r.text))}`);
    return { message: card, requestId: requestIdOf(cardOf(card)) };
  }

  test('one shot: preview, Confirm, the progress card becomes the final card, and Azure DevOps holds it all', async () => {
    const chat = new RepoChat(bot, 'alice');
    const { message, requestId } = await preview(chat, oneShot('payments-ledger'));
    const card = cardOf(message);
    expect(card.refresh).toMatchObject({ action: { verb: REPO_PREVIEW_VERBS.refresh }, userIds: [userBySlug('alice').teamsId] });
    const text = cardText(card);
    for (const expected of ['Create Payments/payments-ledger?', 'Minimum number of reviewers: 2 approvals', 'catalog-info.yaml', 'azure-pipelines.yml', 'CODEOWNERS', 'component:default/payments-ledger', 'Deploy_prod', 'payments-ledger-prod needs an approval by team-payments', 'vg-payments-ledger-staging']) {
      expect(text).toContain(expected);
    }
    expect(repoIn(await adoState(), 'payments-ledger')).toHaveLength(0); // a preview creates nothing

    const confirmed = await chat.execute(REPO_PREVIEW_VERBS.confirm, { requestId }, message.id);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(cardText(confirmed.body.value)).toContain('Creating Payments/payments-ledger');

    const final = cardText(await chat.waitForCard(message.id, /Created Payments\/payments-ledger/));
    expect(final).toContain('Open the repository');
    expect(final).toContain('Open the pipeline');
    expect(final).toContain('who owns payments-ledger');

    const state = await adoState();
    const [repo] = repoIn(state, 'payments-ledger');
    expect(repo).toMatchObject({ project: 'Payments', defaultBranch: 'refs/heads/main' });
    expect(repo!.pushes).toHaveLength(1);
    const files = repo!.files.main!;
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['/README.md', '/catalog-info.yaml', '/azure-pipelines.yml', '/.gitignore', '/CODEOWNERS', '/package.json', '/Dockerfile']));
    expect(files['/README.md']).toContain('## Ownership');
    expect(files['/README.md']).toContain('Payments');
    expect(parse(files['/catalog-info.yaml']!)).toMatchObject({ kind: 'Component', metadata: { name: 'payments-ledger' }, spec: { owner: 'group:default/team-payments' } });
    expect(parse(files['/azure-pipelines.yml']!).stages.map((s: { stage: string }) => s.stage)).toEqual(['Build', 'Scan', 'Containerise', 'Deploy_dev', 'Deploy_staging', 'Deploy_prod']);
    expect(files['/CODEOWNERS']).toContain('@contoso/team-payments');

    const definitions = state.definitions.filter((d) => d.repositoryId === repo!.id);
    expect(definitions).toEqual([expect.objectContaining({ name: 'payments-ledger', yamlFilename: '/azure-pipelines.yml' })]);
    const policies = state.policies.filter((p) => p.settings.scope?.some((s: any) => s.repositoryId === repo!.id));
    expect(policies.map((p) => p.typeId).sort()).toEqual(Object.values(POLICY_TYPE_IDS).sort());
    const reviewers = policies.find((p) => p.typeId === POLICY_TYPE_IDS['minimum-reviewers'])!;
    expect(reviewers.settings).toMatchObject({ minimumApproverCount: 2, creatorVoteCounts: false, scope: [{ refName: 'refs/heads/main', matchKind: 'Exact' }] });
    expect(policies.find((p) => p.typeId === POLICY_TYPE_IDS['build-validation'])!.settings.buildDefinitionId).toBe(definitions[0]!.id);

    // What the pipeline deploys through: its environments (prod behind the owner team's approval) and variable groups.
    const envs = state.environments.filter((e) => e.name.startsWith('payments-ledger-'));
    expect(envs.map((e) => [e.name, e.project])).toEqual([['payments-ledger-dev', 'Payments'], ['payments-ledger-staging', 'Payments'], ['payments-ledger-prod', 'Payments']]);
    const prod = envs.find((e) => e.name === 'payments-ledger-prod')!;
    const checks = state.checks.filter((c) => c.resource.type === 'environment' && envs.some((e) => String(e.id) === c.resource.id));
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ typeId: APPROVAL_CHECK_TYPE_ID, resource: { id: String(prod.id) }, settings: { minRequiredApprovers: 1, requesterCannotBeApprover: true } });
    expect(checks[0]!.settings.instructions).toContain('team-payments');
    // The owner team's Entra group (catalog annotation graph.microsoft.com/group-id) approves prod.
    expect(checks[0]!.settings.approvers).toEqual([{ id: '10000000-0000-4000-b000-000000000001' }]);
    const groups = state.variableGroups.filter((g) => g.name.startsWith('vg-payments-ledger-'));
    expect(groups.map((g) => g.name)).toEqual(['vg-payments-ledger-dev', 'vg-payments-ledger-staging', 'vg-payments-ledger-prod']);
    expect(groups.find((g) => g.name === 'vg-payments-ledger-prod')!.variables).toEqual({ ENVIRONMENT: { value: 'prod', isSecret: false }, SERVICE_NAME: { value: 'payments-ledger', isSecret: false } });
    expect(files['/azure-pipelines.yml']).toContain('environment: "payments-ledger-prod"');

    // The catalog has it, owned by the team; "who owns" answers when the catalog route is there.
    const entity = await new MongoCatalogStore(bot.running.connection).get('component:default/payments-ledger');
    expect(entity).toMatchObject({ status: 'active', owner: 'group:default/team-payments', location: 'azure-devops:Payments/payments-ledger' });
    const [answer] = await bot.say('who owns payments-ledger', { as: 'carol' });
    const answered = replyText(answer!) + cardText(cardOf(answer as any));
    if (!/did not understand/.test(answered)) expect(answered).toMatch(/Payments|team-payments/);

    // Every step left an audit record for the requester.
    const audit = await db().collection('audit').find({ target: 'repo:Payments/payments-ledger', result: 'success' }).toArray();
    const actions = audit.map((a) => a.action);
    for (const step of ['create-repository', 'initial-commit', 'pipeline', 'catalog', 'branch-policies', 'deployment-environments', 'finalize']) expect(actions).toContain(`repo.create.${step}`);
    expect(audit.every((a) => a.actor === userBySlug('alice').id)).toBe(true);
  });

  test('multi-turn with the form: asks for everything, explains each invalid value, keeps the valid ones', async () => {
    const chat = new RepoChat(bot, 'frank');
    const [form] = await chat.say('create repo');
    const formCard = cardText(cardOf(form));
    for (const input of ['"id":"name"', '"id":"project"', '"id":"stack"', '"id":"owner"', '"id":"description"', '"id":"envs"']) expect(formCard).toContain(input);
    expect(formCard).toContain('"isRequired":true');
    expect(formCard).toContain('Payments'); // the known projects are the choices

    const [second] = await chat.submit({ createRepoForm: 'submit', name: 'Refund Worker', project: 'Payments', stack: 'python', owner: 'team-paymnts', description: '', envs: 'dev' });
    expect(second!.text).toMatch(/The repository name "Refund Worker" contains spaces, contains upper case letters\. Try "refund-worker"\./);
    expect(second!.text).toMatch(/owner team "team-paymnts" is not a team in the service catalog/);
    expect(second!.text).toMatch(/Also missing: description/);
    const again = cardText(cardOf(second));
    expect(again).toContain('"id":"name"');
    expect(again).not.toContain('"id":"project"'); // valid values are not asked again
    expect(again).toContain('"title":"Azure DevOps project","value":"Payments"');

    const [third] = await chat.submit({ createRepoForm: 'submit', name: 'refund-worker', owner: 'team-payments', description: 'Retries failed refunds.' });
    const previewCard = cardOf(third);
    expect(cardText(previewCard)).toContain('Create Payments/refund-worker?');
    expect(cardText(previewCard)).toContain('Python');
    await chat.execute(REPO_PREVIEW_VERBS.confirm, { requestId: requestIdOf(previewCard) }, third!.id);
    await chat.waitForCard(third!.id, /Created Payments\/refund-worker/);
    expect(Object.keys(repoIn(await adoState(), 'refund-worker')[0]!.files.main!)).toEqual(expect.arrayContaining(['/pyproject.toml', '/catalog-info.yaml']));
  });

  test('the form\'s Cancel and typed key=value answers work too', async () => {
    const chat = new RepoChat(bot, 'bob');
    await chat.say('create repo name=bob-tool project=Payments');
    const [typed] = await chat.say('stack=java owner=team-payments');
    expect(typed!.text).toMatch(/I still need: description, deployment targets/);
    const [cancelled] = await chat.submit({ createRepoForm: 'cancel' });
    expect(cancelled!.text).toBe('Cancelled. Nothing was created.');
    expect(repoIn(await adoState(), 'bob-tool')).toHaveLength(0);
  });

  test('double and concurrent Confirm clicks make one job and one repository', async () => {
    const chat = new RepoChat(bot, 'alice');
    const { message, requestId } = await preview(chat, oneShot('payments-twice'));
    const clicks = await Promise.all([1, 2, 3].map(() => chat.execute(REPO_PREVIEW_VERBS.confirm, { requestId }, message.id)));
    expect(clicks.map((c) => c.status)).toEqual([200, 200, 200]);
    await chat.waitForCard(message.id, /Created Payments\/payments-twice/);
    const late = await chat.execute(REPO_PREVIEW_VERBS.confirm, { requestId }, message.id);
    expect(cardText(late.body.value)).toContain('Created Payments/payments-twice');

    expect(await db().collection('jobs').countDocuments({ idempotencyKey: requestId })).toBe(1);
    const state = await adoState();
    const repos = repoIn(state, 'payments-twice');
    expect(repos).toHaveLength(1);
    expect(repos[0]!.pushes).toHaveLength(1);
    expect(state.definitions.filter((d) => d.repositoryId === repos[0]!.id)).toHaveLength(1);
  });

  test('a 5xx mid-way: failed card with Retry; after the fault clears, Retry completes with no duplicates', async () => {
    const chat = new RepoChat(bot, 'alice');
    const { message, requestId } = await preview(chat, oneShot('payments-flaky'));
    const ado = bot.running.sandbox!.azureDevOps;
    ado.addFault({ method: 'POST', path: '/_apis/build/definitions$', kind: 'status', status: 503, times: 1000 });
    await chat.execute(REPO_PREVIEW_VERBS.confirm, { requestId }, message.id);
    const failed = await chat.waitForCard(message.id, /Could not finish Payments\/payments-flaky/, 30_000);
    const failedText = cardText(failed);
    expect(failedText).toContain('Create the pipeline failed.');
    expect(failedText).toMatch(/Azure DevOps is unavailable \(HTTP 503\); could not create pipeline/);
    expect(failedText).toContain('Done so far: Create the repository; Push the first commit');
    const retry = (failed as any).actions.find((a: any) => a.verb === JOB_RETRY_VERB);
    expect(retry).toBeTruthy();

    // Someone else cannot retry it.
    const refused = await chat.execute(JOB_RETRY_VERB, retry.data, message.id, 'bob');
    expect(refused.body).toMatchObject({ type: 'application/vnd.microsoft.activity.message', value: expect.stringContaining('Only Alice Developer') });

    ado.clearFaults();
    const resumed = await chat.execute(JOB_RETRY_VERB, retry.data, message.id);
    expect(resumed.status).toBe(200);
    await chat.waitForCard(message.id, /Created Payments\/payments-flaky/);

    const state = await adoState();
    const repos = repoIn(state, 'payments-flaky');
    expect(repos).toHaveLength(1);
    expect(repos[0]!.pushes).toHaveLength(1);
    expect(state.definitions.filter((d) => d.repositoryId === repos[0]!.id)).toHaveLength(1);
    expect(state.policies.filter((p) => p.settings.scope?.some((s: any) => s.repositoryId === repos[0]!.id))).toHaveLength(4);
    expect(await db().collection('audit').countDocuments({ target: 'repo:Payments/payments-flaky', action: 'repo.create.pipeline', result: 'failure' })).toBe(1);
  });

  test('the repository deleted by hand between the failure and Retry: Retry makes it again, once, with its files', async () => {
    const chat = new RepoChat(bot, 'alice');
    const { message, requestId } = await preview(chat, oneShot('payments-vanished'));
    const ado = bot.running.sandbox!.azureDevOps;
    ado.addFault({ method: 'POST', path: '/_apis/build/definitions$', kind: 'status', status: 403, times: 1 });
    await chat.execute(REPO_PREVIEW_VERBS.confirm, { requestId }, message.id);
    const failed = await chat.waitForCard(message.id, /Could not finish Payments\/payments-vanished/, 30_000);
    const [gone] = repoIn(await adoState(), 'payments-vanished');
    const deleted = await fetch(`${ado.collectionUrl}/Payments/_apis/git/repositories/${gone!.id}?api-version=7.1`, { method: 'DELETE', headers: { authorization: 'Basic OnBhdA==' } });
    expect(deleted.status).toBe(204);

    const retry = (failed as any).actions.find((a: any) => a.verb === JOB_RETRY_VERB);
    expect((await chat.execute(JOB_RETRY_VERB, retry.data, message.id)).status).toBe(200);
    await chat.waitForCard(message.id, /Created Payments\/payments-vanished/);
    const state = await adoState();
    const repos = repoIn(state, 'payments-vanished');
    expect(repos).toHaveLength(1);
    expect(repos[0]!.id).not.toBe(gone!.id);
    expect(repos[0]!.pushes).toHaveLength(1);
    expect(Object.keys(repos[0]!.files.main!)).toEqual(expect.arrayContaining(['/README.md', '/catalog-info.yaml', '/azure-pipelines.yml']));
    expect(state.definitions.filter((d) => d.name.startsWith('payments-vanished'))).toEqual([expect.objectContaining({ repositoryId: repos[0]!.id })]);
  });

  test('a permission the bot lacks: the failed card names it and the project; Retry after it is granted', async () => {
    const chat = new RepoChat(bot, 'alice');
    const { message, requestId } = await preview(chat, oneShot('payments-locked'));
    const ado = bot.running.sandbox!.azureDevOps;
    ado.addFault({ method: 'POST', path: '/_apis/policy/configurations$', kind: 'status', status: 403 });
    await chat.execute(REPO_PREVIEW_VERBS.confirm, { requestId }, message.id);
    const failed = cardText(await chat.waitForCard(message.id, /Could not finish Payments\/payments-locked/));
    expect(failed).toContain('Protect the default branch (reviewers, build, comments, work items) failed.');
    expect(failed).toMatch(/I lack a permission: Azure DevOps refused to set the \\"[a-z-]+\\" policy on \\"main\\" \(HTTP 403\): the bot's credentials need \\"Edit policies \(Code \(Read & write\)\)\\" in project \\"Payments\\"/);
    const retry = (cardOf(chat.card(message.id)) as any).actions.find((a: any) => a.verb === JOB_RETRY_VERB);
    ado.clearFaults();
    await chat.execute(JOB_RETRY_VERB, retry.data, message.id);
    await chat.waitForCard(message.id, /Created Payments\/payments-locked/);
    const state = await adoState();
    const repo = repoIn(state, 'payments-locked')[0]!;
    expect(state.policies.filter((p) => p.settings.scope?.some((s: any) => s.repositoryId === repo.id))).toHaveLength(4);
  });

  test('invalid names get every reason and a valid suggestion; nothing is created', async () => {
    const chat = new RepoChat(bot, 'alice');
    const [reply] = await chat.say(oneShot('1Payments_API'));
    expect(reply!.text).toContain('The repository name "1Payments_API"');
    expect(reply!.text).toMatch(/contains upper case letters/);
    expect(reply!.text).toMatch(/starts with a digit/);
    expect(reply!.text).toMatch(/contains underscores/);
    expect(reply!.text).toMatch(/Try "svc-1-payments-api"/);
    const [reserved] = await chat.say(oneShot('admin'));
    expect(reserved!.text).toMatch(/"admin" is a reserved name/);
    const [unknown] = await chat.say('create repo name=ok-name project=Paymnts stack=rust owner=team-payments description=x envs=dev');
    expect(unknown!.text).toMatch(/stack "rust" is not one we support/);
    expect(unknown!.text).toMatch(/is not a project I can create repositories in \(known: Payments, Platform, Search\)/);
    const state = await adoState();
    expect(state.repositories.map((r) => r.name)).not.toEqual(expect.arrayContaining(['1Payments_API', 'admin', 'ok-name']));
  });

  test('an existing repository: said so, with a link and the way to adopt it', async () => {
    const [reply] = await new RepoChat(bot, 'alice').say(oneShot('payments-api'));
    expect(reply!.text).toMatch(/\*\*Payments\/payments-api\*\* already exists: \[open it\]\(http/);
    expect(reply!.text).toContain('add pipeline to payments-api');
  });

  test('a requester outside the owner team (dave for team-payments) is refused; nothing is created', async () => {
    const [reply] = await new RepoChat(bot, 'dave').say(oneShot('search-for-payments'));
    expect(reply!.text).toMatch(/I cannot create it for you: Dave Searcher is not a member of the team Payments/);
    expect(reply!.text).toMatch(/Nothing was created/);
    expect(await db().collection('repo_requests').countDocuments({ 'request.name': 'search-for-payments' })).toBe(0);
    expect(await db().collection('audit').countDocuments({ action: 'repo.create.plan', result: 'denied', actor: userBySlug('dave').id })).toBe(1);
  });

  test('only the requester sees the buttons and may click them; anyone else is refused and nothing changes', async () => {
    const chat = new RepoChat(bot, 'alice');
    const { message, requestId } = await preview(chat, oneShot('payments-mine'));

    const mine = await chat.execute(REPO_PREVIEW_VERBS.refresh, { requestId }, message.id);
    expect(mine.body.value.actions.map((a: any) => a.title)).toEqual(['Confirm', 'Cancel']);
    const theirs = await chat.execute(REPO_PREVIEW_VERBS.refresh, { requestId }, message.id, 'bob');
    expect(theirs.body.value.actions ?? []).toEqual([]);
    expect(cardText(theirs.body.value)).toContain('Only Alice Developer can confirm or cancel this.');

    for (const verb of [REPO_PREVIEW_VERBS.confirm, REPO_PREVIEW_VERBS.cancel]) {
      const refused = await chat.execute(verb, { requestId }, message.id, 'bob');
      expect(refused.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: expect.stringMatching(/Only Alice Developer, who asked for payments-mine/) });
    }
    expect(await db().collection('jobs').countDocuments({ idempotencyKey: requestId })).toBe(0);
    expect((await db().collection('repo_requests').findOne({ 'request.name': 'payments-mine' }))!.status).toBe('pending');

    // The requester cancels: nothing is created, and a later Confirm is refused.
    const cancelled = await chat.execute(REPO_PREVIEW_VERBS.cancel, { requestId }, message.id);
    expect(cardText(cancelled.body.value)).toContain('Cancelled by Alice Developer. Nothing was created.');
    const late = await chat.execute(REPO_PREVIEW_VERBS.confirm, { requestId }, message.id);
    expect(late.body.value).toMatch(/was cancelled; nothing was created/);
    expect(repoIn(await adoState(), 'payments-mine')).toHaveLength(0);
  });

  test('hostile input through the chat: names are refused, descriptions are quoted and never reach the pipeline', async () => {
    const chat = new RepoChat(bot, 'alice');
    const [badName] = await chat.say('create repo name="evil: ${{ variables.token }}" project=Payments stack=node owner=team-payments description=x envs=dev');
    expect(badName!.text).toMatch(/contains spaces/);
    expect(badName!.text).toMatch(/contains characters that are not allowed/);

    const hostile = 'Pwn ${{ variables.token }} $(System.AccessToken) $[ variables.x ] "quoted" #comment\\nstages: []';
    const { message, requestId } = await preview(chat, `create repo name=payments-safe project=Payments stack=node owner=team-payments envs=dev description="${hostile.replace(/"/g, '\\"')}"`);
    await chat.execute(REPO_PREVIEW_VERBS.confirm, { requestId }, message.id);
    await chat.waitForCard(message.id, /Created Payments\/payments-safe/);
    const files = repoIn(await adoState(), 'payments-safe')[0]!.files.main!;
    expect(parse(files['/catalog-info.yaml']!).metadata.description).toBe(hostile);
    const pipeline = files['/azure-pipelines.yml']!;
    expect(pipeline).not.toContain('Pwn');
    expect(pipeline).not.toContain('variables.token');
    expect(parse(pipeline).stages.map((s: { stage: string }) => s.stage)).toEqual(['Build', 'Scan', 'Containerise', 'Deploy_dev']);
  });

  test('add pipeline to payments-web: a pull request with azure-pipelines.yml and the pipeline; the second time it says it has one', async () => {
    const chat = new RepoChat(bot, 'alice');
    const replies = await chat.say('add pipeline to payments-web');
    const progress = replies.find((r) => cardText(cardOf(r)).includes('Add the golden-path pipeline to Payments/payments-web?'));
    expect(progress).toBeTruthy();
    expect((await adoState()).pullRequests.filter((p) => p.sourceRefName === 'refs/heads/idp/add-pipeline')).toEqual([]); // a preview changes nothing
    const confirmed = await chat.execute(PIPELINE_PREVIEW_VERBS.confirm, { requestId: requestIdOf(cardOf(progress)) }, progress!.id);
    expect(cardText(confirmed.body.value)).toContain('Adding the golden-path pipeline to Payments/payments-web');
    const done = cardText(await chat.waitForCard(progress!.id, /Pipeline ready for Payments\/payments-web/));
    expect(done).toContain('Review the pull request');
    expect(done).toContain('Open the pipeline');

    const state = await adoState();
    const repo = repoIn(state, 'payments-web')[0]!;
    expect(state.pullRequests.filter((p) => p.repositoryId === repo.id)).toEqual([expect.objectContaining({ sourceRefName: 'refs/heads/idp/add-pipeline', targetRefName: 'refs/heads/main', status: 'active' })]);
    expect(Object.keys(repo.files['idp/add-pipeline']!)).toContain('/azure-pipelines.yml');
    expect(repo.files.main!['/azure-pipelines.yml']).toBeUndefined();
    expect(parse(repo.files['idp/add-pipeline']!['/azure-pipelines.yml']!).variables).toEqual(expect.arrayContaining([{ name: 'serviceName', value: 'payments-web' }]));
    expect(state.definitions.filter((d) => d.repositoryId === repo.id)).toEqual([expect.objectContaining({ name: 'payments-web', yamlFilename: '/azure-pipelines.yml' })]);

    const [again] = await chat.say('add pipeline to payments-web');
    expect(again!.text).toMatch(/Payments\/payments-web already has a pipeline: \[payments-web\]\(http/);
    const [created] = await chat.say('add pipeline to payments-ledger');
    expect(created!.text).toMatch(/already has a pipeline/);
  });

  test('add pipeline: several stacks at the root -> it asks which; someone outside the team is refused', async () => {
    const dave = new RepoChat(bot, 'dave');
    const [refused] = await dave.say('add pipeline to payments-api stack=java');
    expect(refused!.text).toMatch(/You are not allowed to do that: Dave Searcher is not a member of the team Payments.* Nothing was changed\./);

    // payments-api has pom.xml; give it a package.json too.
    const ado = bot.running.sandbox!.azureDevOps.state;
    const repo = ado.repos.find((r) => r.name === 'payments-api')!;
    const head = repo.git.refs.get('refs/heads/main')!;
    repo.git.push('refs/heads/main', head, [{ comment: 'tooling', changes: [{ changeType: 'add', path: '/package.json', content: Buffer.from('{}') }] }], new Date());
    const alice = new RepoChat(bot, 'alice');
    const [question] = await alice.say('add pipeline to payments-api');
    expect(question!.text).toMatch(/I found build files for Java Spring Boot and Node\.js at the root of payments-api\. Which stack/);
    const replies = await alice.say('Java Spring Boot');
    const progress = replies.find((r) => cardText(cardOf(r)).includes('Payments/payments-api'))!;
    // Someone else clicking Confirm on Alice's preview changes nothing.
    const bobs = await alice.execute(PIPELINE_PREVIEW_VERBS.confirm, { requestId: requestIdOf(cardOf(progress)) }, progress.id, 'bob');
    expect(bobs.body.value).toMatch(/Only Alice Developer, who asked for payments-api, can confirm it\./);
    await alice.execute(PIPELINE_PREVIEW_VERBS.confirm, { requestId: requestIdOf(cardOf(progress)) }, progress.id);
    await alice.waitForCard(progress.id, /Pipeline ready for Payments\/payments-api/);
    const branch = (await adoState()).repositories.find((r) => r.name === 'payments-api')!.files['idp/add-pipeline']!;
    expect(branch['/azure-pipelines.yml']).toContain('Maven');
  });
});

describe('scale-out: the preview on one replica, the Confirm click on another', () => {
  let a: TestBot;
  let b: TestBot;
  beforeAll(async () => {
    const db = `t_repo_${Date.now().toString(36)}`;
    [a, b] = await Promise.all([TestBot.start({ MONGODB_DB: db }), TestBot.start({ MONGODB_DB: db })]);
    await seedCatalog(a);
  });
  afterAll(() => Promise.all([a.stop(), b.stop()]));

  test('the pending request is in the shared store: replica B confirms what replica A previewed, once', async () => {
    const onA = new RepoChat(a, 'alice');
    const replies = await onA.say(oneShot('payments-replicated'));
    const previewCard = replies.find((r) => cardText(cardOf(r)).includes('repo.create.confirm'))!;
    const requestId = requestIdOf(cardOf(previewCard));
    // Teams delivers the click to whichever replica the load balancer picks; both at once here.
    const onB = new RepoChat(b, 'alice');
    const [fromB, fromA] = await Promise.all([onB.execute(REPO_PREVIEW_VERBS.confirm, { requestId }, previewCard.id), onA.execute(REPO_PREVIEW_VERBS.confirm, { requestId }, previewCard.id)]);
    expect([fromA.status, fromB.status]).toEqual([200, 200]);
    const jobs = a.running.connection.db!.collection('jobs');
    const deadline = Date.now() + 15_000;
    while ((await jobs.findOne({ idempotencyKey: requestId }))?.status !== 'succeeded') {
      if (Date.now() > deadline) throw new Error('the job did not finish');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await jobs.countDocuments({ idempotencyKey: requestId })).toBe(1);
    // Exactly one of the two (identical) Azure DevOps stand-ins got the repository.
    const held = [a, b].map((bot) => bot.running.sandbox!.azureDevOps.state.repos.filter((r) => r.name === 'payments-replicated').length);
    expect(held.sort()).toEqual([0, 1]);
  });
});
