/**
 * "list secrets", "rotate secret", "delete secret", "recover secret" end to end in sandbox mode,
 * through /api/messages, against the Key Vault stand-ins: a secret created first (the create
 * flow), listed without its value, refused for a non-owner, rotated (a new version, the old one
 * still enabled during the grace period, the pending disable stored in MongoDB), deleted after
 * confirmation and recovered. A The generated values are then searched for everywhere.
 */
import { personalChat, replyCard, TestBot } from '../helpers/bot-harness';
import { waitFor } from '../helpers/manual-time';
import { userBySlug } from '../../src/sandbox/seed/demo-org';

/* eslint-disable @typescript-eslint/no-explicit-any */
const NAME = 'payments-api--dev--life-token';
const text = (v: unknown) => JSON.stringify(v);
const actionsOf = (card: any): any[] => (card?.actions ?? []) as any[];

describe('secret lifecycle through /api/messages', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await TestBot.start();
    for (const who of ['alice', 'bob', 'dave']) await bot.say('hi', { as: who });
  }, 60_000);
  afterAll(() => bot.stop());

  const sandbox = () => bot.running.sandbox!;
  const db = () => bot.running.connection.db!;
  const vault = () => sandbox().vaults.dev!;
  // The generated values, read from the stand-in's own state: searched for everywhere at the end.
  const values: string[] = [];
  const stored = (): any => vault().held().secrets.find((s: any) => s.name === NAME);

  it('creates one with a known value, lists it without the value, refuses a non-owner', async () => {
    const card = replyCard((await bot.say(`create secret service=payments-api env=dev name=life-token expires=90d rotate=30d`, { as: 'alice' }))[0]!);
    await bot.execute('secret.confirm', actionsOf(card).find((a) => a.verb === 'secret.confirm')!.data, { as: 'alice' });
    await waitFor(async () => (stored()?.versions?.length ? true : null), 'the created secret', 30_000);
    values.push(String(vault().latestValue(NAME)));
    const list = replyCard((await bot.say('list secrets for payments-api', { as: 'alice' }))[0]!);
    expect(text(list)).toContain(NAME);
    expect(text(list)).toContain('1 (1 enabled)');
    const refused = await bot.say('list secrets for payments-api', { as: 'dave' });
    expect(String(refused[0]!.text)).toContain('is not a member of the team Payments');
  }, 60_000);

  it('rotates: a new version, the previous one enabled until the grace period ends, the pending disable stored', async () => {
    const preview = replyCard((await bot.say(`rotate secret ${NAME}`, { as: 'alice' }))[0]!);
    expect(preview.body[0].text).toBe(`Rotate secret ${NAME} of payments-api (dev)`);
    const rotate = actionsOf(preview).find((a) => a.verb === 'secret.rotate.confirm')!;
    await bot.execute('secret.rotate.confirm', rotate.data, { as: 'alice' });
    const job = await waitFor(async () => {
      const j = await db().collection('jobs').findOne({ type: 'secret.rotate' });
      return j && ['succeeded', 'failed'].includes(j.status) ? j : null;
    }, 'the rotation job', 30_000);
    expect(job.status).toBe('succeeded');
    expect(stored().versions).toHaveLength(2);
    values.push(String(vault().latestValue(NAME)));
    expect(new Set(values).size).toBe(2);
    expect(stored().versions.every((v: any) => v.enabled)).toBe(true);
    const pending = await db().collection('secret_pending_disables').find({}).toArray();
    expect(pending).toHaveLength(1);
    expect(pending[0]!.versions).toHaveLength(1);
  }, 60_000);

  it('rotates with a typed value: the dialog from the Rotate button, the value straight to the vault', async () => {
    const typed = 'typed-rotation-Zq8!w2-canary';
    const preview = replyCard((await bot.say(`rotate secret ${NAME} value=type`, { as: 'alice' }))[0]!);
    expect(text(preview)).toContain('private dialog');
    const rotate = actionsOf(preview).find((a) => a.verb === 'secret.rotate.confirm')!;
    const opened = await bot.execute('secret.rotate.confirm', rotate.data, { as: 'alice' });
    const open = actionsOf(opened.body.value).find((a) => a.data?.msteams?.type === 'task/fetch');
    expect(open?.data.secretDialog.rotation.vaultName).toBe(NAME);
    const fetched = await bot.post(bot.activity('invoke', { as: 'alice', deliveryMode: 'normal' }, { name: 'task/fetch', value: { data: open.data, context: {} } }));
    expect(fetched.body.task.value.card.content.body.find((b: any) => b.id === 'secretValue').style).toBe('Password');
    const submitted = await bot.post(bot.activity('invoke', { as: 'alice', deliveryMode: 'normal' }, { name: 'task/submit', value: { data: { ...open.data, secretValue: typed } } }));
    expect(text(submitted.body)).not.toContain(typed);
    await waitFor(() => (vault().latestValue(NAME) === typed ? true : null), 'the typed version in the vault', 30_000);
    expect(stored().versions).toHaveLength(3);
    values.push(typed);
  }, 60_000);

  it('deletes after confirmation, then recovers; the wrong words are refused in words', async () => {
    const card = replyCard((await bot.say(`delete secret ${NAME}`, { as: 'alice' }))[0]!);
    const del = actionsOf(card).find((a) => a.verb === 'secret.delete.confirm')!;
    expect(await bot.execute('secret.delete.confirm', del.data, { as: 'dave' }).then((r) => text(r.body))).toContain('is not a member of the team Payments');
    expect(stored().deleted).toBeFalsy();
    const done = await bot.execute('secret.delete.confirm', del.data, { as: 'alice' });
    expect(text(done.body)).toContain('recover secret');
    expect(String((await bot.say(`rotate secret ${NAME}`, { as: 'alice' }))[0]!.text)).toContain('deleted secret that can still be recovered');
    expect(String((await bot.say(`recover secret ${NAME}`, { as: 'alice' }))[0]!.text)).toContain(`Recovered ${NAME}`);
    expect(String((await bot.say('rotate secret not-a-convention', { as: 'alice' }))[0]!.text)).toContain('does not follow the naming convention');
  }, 60_000);

  it('canary: the generated values are in no reply, log line, stored document or chat, in clear or base64', async () => {
    expect(values.every((v) => v.length >= 16)).toBe(true);
    const forms = values.flatMap((v) => [v, Buffer.from(v).toString('base64')]);
    const haystacks: [string, string][] = [['logs', bot.logs.raw.join('\n')]];
    for (const c of await db().listCollections().toArray()) haystacks.push([`collection ${c.name}`, JSON.stringify(await db().collection(c.name).find({}).toArray())]);
    haystacks.push(['chat of Alice', JSON.stringify(sandbox().connector.activities(personalChat(userBySlug('alice')).id))]);
    haystacks.push(['vault request log', JSON.stringify(vault().requests)]);
    for (const [where, hay] of haystacks) for (const form of forms) expect(`${where}: ${hay.includes(form) ? 'FOUND' : 'clean'}`).toBe(`${where}: clean`);
  });
});
