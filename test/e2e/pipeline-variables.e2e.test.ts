/**
 * Pipeline variables end to end in sandbox mode, through /api/messages, against the Azure DevOps,
 * Key Vault and ARM stand-ins: a plain variable in vg-<service>-<env> (and the refusals: a
 * non-owner, a name that looks like a secret, a value typed for a secret), a secret variable
 * generated through the create-secret flow and linked into the Key Vault-linked group
 * vg-<service>-<env>-secrets with a pull request on azure-pipelines.yml, a typed one through the
 * Teams dialog, the list. A canary value is then searched for in every reply, log line, stored
 * document, job and audit record, and the stand-ins' request logs.
 */
import { parseDocument } from 'yaml';
import { generatePipeline } from '../../src/domain/pipelines/golden-pipeline';
import { linkBranch } from '../../src/domain/secrets/link-pipeline-secret';
import { userBySlug } from '../../src/sandbox/seed/demo-org';
import { personalChat, replyCard, TestBot } from '../helpers/bot-harness';
import { waitFor } from '../helpers/manual-time';

/* eslint-disable @typescript-eslint/no-explicit-any */
const CANARY = 'canary-Pv9!Lq2Zx7-never-shown';
const alice = userBySlug('alice');
const text = (v: unknown) => JSON.stringify(v);
const actionsOf = (card: any): any[] => (card?.actions ?? []) as any[];
const PIPELINE = generatePipeline({ serviceName: 'payments-api', stack: 'java-spring-boot', environments: ['dev', 'staging', 'prod'], registry: { serviceConnection: 'ACR', name: 'contoso.azurecr.io' } });

describe('pipeline variables through /api/messages', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await TestBot.start();
    for (const who of ['alice', 'bob', 'dave']) await bot.say('hi', { as: who });
    // The service's pipeline on its default branch, as "add pipeline" leaves it once merged.
    const ado = bot.running.sandbox!.azureDevOps.state;
    const repo = ado.requireRepo('payments-api', ado.requireProject('Payments'));
    repo.git.push('refs/heads/main', repo.git.resolve('main')!.commitId, [{ comment: 'Add the golden pipeline', changes: [{ changeType: 'add', path: '/azure-pipelines.yml', content: Buffer.from(PIPELINE) }] }]);
  }, 60_000);
  afterAll(() => bot.stop());

  const sandbox = () => bot.running.sandbox!;
  const db = () => bot.running.connection.db!;
  const ado = () => sandbox().azureDevOps.state;
  const group = (name: string) => ado().variableGroups.find((g) => g.name === name);
  const say = async (line: string, as = 'alice') => (await bot.say(line, { as }))[0]!;
  const finished = (vaultName: string) => waitFor(async () => {
    const j = await db().collection('jobs').findOne({ type: 'secret.create', 'input.plan.vaultName': vaultName, status: { $in: ['succeeded', 'failed'] } });
    return j ?? null;
  }, `the secret job of ${vaultName}`, 30_000);
  const confirm = (card: any, as = 'alice') => bot.execute('secret.confirm', actionsOf(card).find((a) => a.verb === 'secret.confirm')!.data, { as });
  const pipelineOn = async (branch: string) => {
    const repo = ado().requireRepo('payments-api', ado().requireProject('Payments'));
    const file = repo.git.resolve(branch)!.files.get('/azure-pipelines.yml');
    return (parseDocument(file!.toString('utf8')).toJS().stages as { stage: string; variables?: { group: string }[] }[]).find((s) => s.stage === 'Deploy_dev')!.variables!.map((v) => v.group);
  };

  it('sets a plain variable in vg-payments-api-dev, creating the group; refuses a non-owner', async () => {
    const done = await say('set variable LOG_LEVEL=debug for payments-api in dev');
    expect(String(done.text)).toContain('created the variable group vg-payments-api-dev with LOG\\_LEVEL');
    expect(group('vg-payments-api-dev')).toMatchObject({ type: 'Vsts', variables: { LOG_LEVEL: { isSecret: false, value: 'debug' } } });
    expect(String((await say('set variable LOG_LEVEL=info for payments-api in dev')).text)).toContain('changed LOG\\_LEVEL in vg-payments-api-dev');
    const refused = await say('set variable LOG_LEVEL=trace for payments-api in dev', 'dave');
    expect(String(refused.text)).toContain('is not a member of the team Payments');
    expect(group('vg-payments-api-dev')!.variables.LOG_LEVEL!.value).toBe('info');
    const audit = await db().collection('audit').find({ action: 'pipeline.variable.set' }).toArray();
    expect(audit.map((a) => a.result)).toEqual(['success', 'success', 'denied']);
  });

  it('never takes a secret in chat: a secret-looking name or a value for a variable marked secret is refused without repeating it', async () => {
    const looks = await say(`set variable DB_PASSWORD=${CANARY} for payments-api in dev`);
    expect(String(looks.text)).toContain('looks like a secret');
    const marked = await say(`set variable STRIPE_KEY=${CANARY} secret for payments-api in dev`);
    expect(String(marked.text)).toContain('I did not store what you typed');
    for (const reply of [looks, marked]) expect(text(reply)).not.toContain(CANARY);
    expect(Object.keys(group('vg-payments-api-dev')!.variables)).toEqual(['LOG_LEVEL']);
  });

  it('a generated secret variable: stored in Key Vault, linked into vg-payments-api-dev-secrets, a pull request makes Deploy_dev read it', async () => {
    const card = replyCard(await say('set secret variable DB_PASSWORD for payments-api in dev'));
    expect(card.body[0].text).toBe('Create secret payments-api--dev--db-password for payments-api (dev)');
    expect(text(card)).toContain('read it as $(payments-api--dev--db-password) from the Key Vault variable group vg-payments-api-dev-secrets');
    await confirm(card);
    const job = await finished('payments-api--dev--db-password');
    expect(job.status).toBe('succeeded');
    expect(sandbox().vaults.dev!.held().secrets.some((s: any) => s.name === 'payments-api--dev--db-password')).toBe(true);
    const linked = group('vg-payments-api-dev-secrets')!;
    expect(linked).toMatchObject({ type: 'AzureKeyVault', providerData: { vault: 'kv-dev' } });
    expect(Object.keys(linked.variables)).toEqual(['payments-api--dev--db-password']);
    const pr = ado().pullRequests.find((p) => p.sourceRefName === `refs/heads/${linkBranch('payments-api', 'dev')}`)!;
    expect(pr.title).toBe('Read the Key Vault variable group vg-payments-api-dev-secrets (dev)');
    expect(await pipelineOn('main')).toEqual(['vg-payments-api-dev']);
    expect(await pipelineOn(linkBranch('payments-api', 'dev'))).toEqual(['vg-payments-api-dev', 'vg-payments-api-dev-secrets']);
    const steps = await db().collection('audit').find({ action: 'secret.create.link-pipeline' }).toArray();
    expect(steps).toMatchObject([{ result: 'success', details: { group: 'vg-payments-api-dev-secrets', groupCreated: true } }]);
  }, 60_000);

  it('a typed secret variable goes from the Teams dialog to the vault, then into vg-payments-api-staging-secrets', async () => {
    const card = replyCard(await say('set secret variable API_TOKEN for payments-api in staging value=type'));
    const opened = await confirm(card);
    const open = actionsOf(opened.body.value).find((a) => a.data?.msteams?.type === 'task/fetch');
    expect(open.data.secretDialog.values.pipeline).toBe('yes');
    const submit = await bot.post(bot.activity('invoke', { as: 'alice', deliveryMode: 'normal' }, { name: 'task/submit', value: { data: { ...open.data, secretValue: CANARY } } }));
    expect(submit.body.task.value).toContain('Stored payments-api--staging--api-token');
    expect((await finished('payments-api--staging--api-token')).status).toBe('succeeded');
    expect(sandbox().vaults.staging!.latestValue('payments-api--staging--api-token')).toBe(CANARY);
    expect(Object.keys(group('vg-payments-api-staging-secrets')!.variables)).toEqual(['payments-api--staging--api-token']);
    // No Deploy_staging pipeline edit yet on main: a second pull request, for staging.
    expect(ado().pullRequests.filter((p) => p.title.startsWith('Read the Key Vault variable group'))).toHaveLength(2);
  }, 60_000);

  it('lists plain values and secret variables as (secret), for the owners only', async () => {
    const card = replyCard(await say('list variables for payments-api'));
    const shown = text(card);
    expect(shown).toContain('vg-payments-api-dev (dev)');
    expect(shown).toContain('{"title":"LOG\\\\_LEVEL","value":"info"}');
    expect(shown).toContain('vg-payments-api-dev-secrets (dev, Key Vault kv-dev)');
    expect(shown).toContain('{"title":"payments-api--dev--db-password","value":"(secret)"}');
    expect(shown).toContain('{"title":"payments-api--staging--api-token","value":"(secret)"}');
    expect(String((await say('list variables for payments-api in dev', 'dave')).text)).toContain('is not a member of the team Payments');
    const refreshed = await bot.execute('variables.list', actionsOf(card).find((a) => a.verb === 'variables.list')!.data, { as: 'alice' });
    expect(text(refreshed.body.value)).toContain('vg-payments-api-prod (prod)');
  });

  it('canary: the value is in no reply, log line, stored document, job, audit record or stand-in request log, in clear or base64', async () => {
    const forms = [CANARY, Buffer.from(CANARY).toString('base64'), encodeURIComponent(CANARY)];
    const haystacks: [string, string][] = [['logs', bot.logs.raw.join('\n')]];
    for (const c of await db().listCollections().toArray()) haystacks.push([`collection ${c.name}`, JSON.stringify(await db().collection(c.name).find({}).toArray())]);
    haystacks.push(['chat of alice', JSON.stringify(sandbox().connector.activities(personalChat(alice).id))]);
    haystacks.push(['connector requests', JSON.stringify(sandbox().connector.requests)]);
    haystacks.push(['Azure DevOps requests', JSON.stringify(sandbox().azureDevOps.requests)]);
    haystacks.push(['Azure DevOps state', JSON.stringify(ado().snapshot())]);
    haystacks.push(['vault request log', JSON.stringify(sandbox().vaults.staging!.requests)]);
    for (const [where, hay] of haystacks) for (const form of forms) expect(`${where}: ${hay.includes(form) ? 'FOUND' : 'clean'}`).toBe(`${where}: clean`);
  });
});
