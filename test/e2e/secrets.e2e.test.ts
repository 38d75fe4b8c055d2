/**
 * "create secret" end to end in sandbox mode, through /api/messages, against the Key Vault (one
 * per environment), ARM and Azure DevOps stand-ins: a generated dev secret (stored with its tags,
 * the workload's role assigned on the secret, the pull request that mounts it), refusals (a
 * non-owner, hostile names, a value pasted into chat), a production secret approved by another
 * owner (self-approval refused), and a typed value through the Teams dialog. A canary value is
 * then searched for in every reply, log line, stored document, job and audit record.
 */
import { parseDocument } from 'yaml';
import { DEMO_WORKLOADS, userBySlug } from '../../src/sandbox/seed/demo-org';
import { personalChat, replyCard, TestBot, type HttpResult } from '../helpers/bot-harness';
import { waitFor } from '../helpers/manual-time';

/* eslint-disable @typescript-eslint/no-explicit-any */
const CANARY = 'canary-Vy7q!9ZpX3-never-shown';
const bob = userBySlug('bob');
const alice = userBySlug('alice');
const text = (v: unknown) => JSON.stringify(v);
const isCard = (res: HttpResult) => res.status === 200 && res.body?.type === 'application/vnd.microsoft.card.adaptive';
const words = (res: HttpResult): string => (res.body?.type === 'application/vnd.microsoft.activity.message' ? String(res.body.value) : `not a message: ${res.text}`);
const actionsOf = (card: any): any[] => (card?.actions ?? []) as any[];

describe('create secret through /api/messages', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await TestBot.start();
    for (const who of ['alice', 'bob', 'dave']) await bot.say('hi', { as: who });
  }, 60_000);
  afterAll(() => bot.stop());

  const sandbox = () => bot.running.sandbox!;
  const db = () => bot.running.connection.db!;
  const preview = async (line: string, as = 'alice') => replyCard((await bot.say(line, { as }))[0]!);
  const confirm = (card: any, as = 'alice', extra = {}) => bot.execute('secret.confirm', actionsOf(card).find((a) => a.verb === 'secret.confirm')!.data, { as, ...extra });
  const job = (key: RegExp | string) => db().collection('jobs').findOne({ type: 'secret.create', ...(typeof key === 'string' ? { idempotencyKey: key } : { idempotencyKey: { $regex: key } }) });
  const finished = (key: RegExp | string) => waitFor(async () => {
    const j = await job(key);
    return j && ['succeeded', 'failed'].includes(j.status) ? j : null;
  }, `the secret job ${String(key)}`, 30_000);
  const vault = (env: string) => sandbox().vaults[env]!;
  const stored = (env: string, name: string): any => vault(env).held().secrets.find((s: any) => s.name === name);

  it('refuses non-owners, hostile names and values pasted into chat, in words, creating nothing', async () => {
    const refused = await bot.say('create secret service=payments-api env=dev name=db-password', { as: 'dave' });
    expect(String(refused[0]!.text)).toContain('is not a member of the team Payments');
    const hostile = await bot.say('create secret service=payments-api env=qa name="DB Pass<script>"', { as: 'alice' });
    const said = String(hostile[0]!.text);
    expect(said).toContain('contains spaces');
    expect(said).toContain('(try db-pass-script)');
    expect(said).toContain('is not an environment');
    const pasted = await bot.say(`create secret service=payments-api env=dev name=x value=${CANARY}`, { as: 'alice' });
    expect(text(pasted)).not.toContain(CANARY);
    expect(text(pasted)).toContain('a secret value is never typed into the chat');
    expect(vault('dev').held().secrets).toEqual([]);
  });

  it('a generated dev secret: stored with its tags, read access for the workload on the secret, a pull request that mounts it', async () => {
    const card = await preview('create secret service=payments-api env=dev name=db-password expires=90d rotate=30d');
    expect(card.body[0].text).toBe('Create secret payments-api--dev--db-password for payments-api (dev)');
    expect(text(card)).toContain('Key Vault Secrets User at this secret');
    const res = await confirm(card);
    expect(isCard(res)).toBe(true);
    expect(text(res.body.value)).toContain('Creating payments-api--dev--db-password');
    const done = await finished(/.+/);
    expect(done.status).toBe('succeeded');
    const secret = stored('dev', 'payments-api--dev--db-password')!;
    expect(secret.versions).toHaveLength(1);
    expect(secret.versions[0]).toMatchObject({ enabled: true, tags: { service: 'payments-api', environment: 'dev', 'owner-team': 'Payments', 'created-by': alice.displayName, 'rotation-days': '30' } });
    expect(secret.versions[0].expires).toBeDefined();
    const workload = DEMO_WORKLOADS.find((w) => w.service === 'payments-api')!;
    const assignment = sandbox().arm.held().find((a: any) => a.principalId === workload.principalId);
    expect(assignment?.scope).toMatch(/\/providers\/Microsoft\.KeyVault\/vaults\/kv-dev\/secrets\/payments-api--dev--db-password$/);
    expect(assignment?.roleDefinitionId).toContain('4633458b-17de-408a-b874-0445c86b69e6');
    const pr = sandbox().azureDevOps.state.pullRequests.find((p) => p.title.includes('payments-api--dev--db-password'))!;
    expect(pr).toBeDefined();
    // The pull request's content: the SecretProviderClass of dev, naming the vault, the workload identity and the secret.
    const repo = sandbox().azureDevOps.state.repos.find((r) => r.id === pr.repositoryId)!;
    const manifest = repo.git.resolve(pr.sourceRefName.replace('refs/heads/', ''))!.files.get('/deploy/dev/secret-provider-class.yaml')!.toString('utf8');
    const spc = parseDocument(manifest).toJS();
    expect(spc).toMatchObject({ apiVersion: 'secrets-store.csi.x-k8s.io/v1', kind: 'SecretProviderClass', spec: { provider: 'azure', parameters: { keyvaultName: 'kv-dev', clientID: workload.clientId, usePodIdentity: 'false' } } });
    expect(spc.spec.parameters.objects).toContain('objectName: payments-api--dev--db-password');
    expect(pr.description).toContain('volumeMounts');
    // A double click on Confirm: the same job, one version.
    await confirm(card);
    expect(stored('dev', 'payments-api--dev--db-password')!.versions).toHaveLength(1);
    const audit = await db().collection('audit').find({ action: /^secret\.create\./, result: 'success' }).toArray();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['secret.create.confirm', 'secret.create.store', 'secret.create.grant-access', 'secret.create.mount']));
  }, 60_000);

  it('production: another owner approves (not the requester); the value is generated only then', async () => {
    const card = await preview('create secret service=payments-api env=prod name=stripe-key');
    expect(text(card)).toContain('another member of Payments');
    const asked = await confirm(card);
    expect(actionsOf(asked.body.value).map((a) => a.verb)).toEqual(['approval.cancel']);
    const requestId = String(actionsOf(asked.body.value)[0].data.requestId);
    expect(stored('prod', 'payments-api--prod--stripe-key')).toBeUndefined();
    expect(words(await bot.execute('approval.approve', { requestId }, { as: 'alice' }))).toContain('cannot approve or reject it yourself');
    expect(words(await bot.execute('approval.approve', { requestId }, { as: 'dave' }))).toContain('can approve or reject');
    const approved = await bot.execute('approval.approve', { requestId }, { as: 'bob' });
    expect(isCard(approved)).toBe(true);
    expect((await finished(requestId)).status).toBe('succeeded');
    expect(stored('prod', 'payments-api--prod--stripe-key')?.versions).toHaveLength(1);
  }, 60_000);

  it('a typed value goes from the Teams dialog straight to the vault, and is nowhere else', async () => {
    const card = await preview('create secret service=payments-api env=staging name=api-token value=type');
    const opened = await confirm(card);
    const open = actionsOf(opened.body.value).find((a) => a.data?.msteams?.type === 'task/fetch');
    expect(open).toBeDefined();
    const fetch = await bot.post(bot.activity('invoke', { as: 'alice', deliveryMode: 'normal' }, { name: 'task/fetch', value: { data: open.data, context: {} } }));
    const dialog = fetch.body.task.value.card.content;
    expect(dialog.body.find((b: any) => b.id === 'secretValue').style).toBe('Password');
    // Someone else cannot submit a value for Alice's request.
    const stranger = await bot.post(bot.activity('invoke', { as: 'dave', deliveryMode: 'normal' }, { name: 'task/submit', value: { data: { ...open.data, secretValue: 'x' } } }));
    expect(text(stranger.body)).toContain('is not a member of the team Payments');
    const submit = await bot.post(bot.activity('invoke', { as: 'alice', deliveryMode: 'normal' }, { name: 'task/submit', value: { data: { ...open.data, secretValue: CANARY } } }));
    expect(submit.body.task.value).toContain('Stored payments-api--staging--api-token');
    expect(text(submit.body)).not.toContain(CANARY);
    expect(vault('staging').latestValue('payments-api--staging--api-token')).toBe(CANARY);
    await finished(/.+:.+/);
  }, 60_000);

  it('canary: the typed value is in no reply, log line, stored document, job or audit record, in clear or base64', async () => {
    const forms = [CANARY, Buffer.from(CANARY).toString('base64'), encodeURIComponent(CANARY)];
    const haystacks: [string, string][] = [['logs', bot.logs.raw.join('\n')]];
    for (const c of await db().listCollections().toArray()) {
      const docs = await db().collection(c.name).find({}).toArray();
      haystacks.push([`collection ${c.name}`, JSON.stringify(docs)]);
    }
    const connector = sandbox().connector;
    for (const u of [alice, bob]) haystacks.push([`chat of ${u.displayName}`, JSON.stringify(connector.activities(personalChat(u).id))]);
    haystacks.push(['connector requests', JSON.stringify(connector.requests)]);
    haystacks.push(['vault request log', JSON.stringify(vault('staging').requests)]);
    for (const [where, hay] of haystacks) for (const form of forms) expect(`${where}: ${hay.includes(form) ? 'FOUND' : 'clean'}`).toBe(`${where}: clean`);
  });
});
