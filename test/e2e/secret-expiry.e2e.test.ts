/**
 * Secret expiry reminders end to end in sandbox mode: a dev secret created through the chat
 * (Key Vault stand-in) expires in 5 days; the bot installed in the Payments team; the scheduled
 * run (`runScheduled`, then later occurrences as the scheduler enqueues them) sends the team's
 * General channel one card (Bot Connector stand-in) and never a second for that threshold; its
 * buttons through /api/messages: a non-member refused, Snooze and Extend by a member (the vault's
 * expiry and `expires` tag changed), Rotate unavailable until the rotation flow is wired. The
 * generated value is in no card, log line or stored document.
 */
import { occurrenceKey, scheduledJobType } from '../../src/domain/jobs/scheduler';
import { DEMO_TEAMS, userBySlug } from '../../src/sandbox/seed/demo-org';
import { BOT_ID, channelChat, replyCard, TestBot, type HttpResult } from '../helpers/bot-harness';
import { waitFor } from '../helpers/manual-time';

/* eslint-disable @typescript-eslint/no-explicit-any */
const NAME = 'payments-api--dev--expiring-token';
const payments = DEMO_TEAMS.find((t) => t.name === 'team-payments')!;
const words = (res: HttpResult): string => (res.body?.type === 'application/vnd.microsoft.activity.message' ? String(res.body.value) : `not a message: ${res.text}`);
const isCard = (res: HttpResult) => res.status === 200 && res.body?.type === 'application/vnd.microsoft.card.adaptive';

describe('secret expiry reminders through the scheduler and /api/messages', () => {
  let bot: TestBot;
  const channel = channelChat(payments.channelId);
  const general = payments.channelId;

  beforeAll(async () => {
    bot = await TestBot.start();
    await bot.say('hi', { as: 'alice' });
    await bot.conversationUpdate([{ id: BOT_ID, name: 'IDP Bot' }], { conversation: channel, extra: { channelData: { tenant: { id: 't' }, eventType: 'teamMemberAdded', team: { id: general, name: 'Payments', aadGroupId: payments.id.toUpperCase() } } } });
    const preview = replyCard((await bot.say('create secret service=payments-api env=dev name=expiring-token expires=5d', { as: 'alice' }))[0]!);
    const confirm = preview.actions.find((a: any) => a.verb === 'secret.confirm');
    expect(isCard(await bot.execute('secret.confirm', confirm.data, { as: 'alice' }))).toBe(true);
    await waitFor(async () => {
      const j = await bot.running.connection.db!.collection('jobs').findOne({ type: 'secret.create' });
      return j && ['succeeded', 'failed'].includes(j.status) ? j : null;
    }, 'the secret job', 30_000);
  }, 60_000);
  afterAll(() => bot.stop());

  const vault = () => bot.running.sandbox!.vaults.dev!;
  const stored = (): any => vault().held().secrets.find((s: any) => s.name === NAME);
  const cardsIn = (conversationId: string) => bot.running.sandbox!.connector.activities(conversationId).filter((a) => JSON.stringify(a).includes(NAME));
  const cardOf = (activity: unknown): any => (activity as any).attachments[0].content;
  const executeAs = (slug: string, verb: string, data: Record<string, unknown>) => bot.execute(verb, data, { as: slug, conversation: channel });

  /** Another occurrence of the scheduled run, enqueued as the scheduler does at a slot's start. */
  async function runOccurrence(slot: number): Promise<void> {
    const name = 'secret-expiry';
    const { job } = await bot.running.jobs.enqueue({ type: scheduledJobType(name), idempotencyKey: occurrenceKey(name, slot), input: { name, slot }, requestedBy: 'e2e' });
    const done = await waitFor(async () => {
      const j = await bot.running.jobs.get(job.id);
      return j && ['succeeded', 'failed', 'cancelled'].includes(j.status) ? j : null;
    }, `secret-expiry occurrence ${slot}`, 30_000);
    expect(done.status).toBe('succeeded');
  }

  it('the scheduled run sends the team channel one card for the 7-day threshold; later runs send nothing more', async () => {
    expect(stored().versions[0].expires).toBeDefined();
    await bot.running.runScheduled('secret-expiry');
    expect(cardsIn(general)).toHaveLength(1);
    const card = cardOf(cardsIn(general)[0]);
    const text = JSON.stringify(card);
    expect(card.body[0].text).toBe(`⏳ ${NAME} expires in 5 days`);
    for (const fact of ['kv-dev (dev)', 'payments-api, owned by Payments', userBySlug('alice').displayName]) expect(text).toContain(fact);
    expect(card.actions.map((a: any) => a.title)).toEqual(['Rotate', 'Extend 90 days', 'Extend to a date', 'Snooze']);
    await runOccurrence(1);
    await runOccurrence(2);
    expect(cardsIn(general)).toHaveLength(1);
    const reminders = await bot.running.connection.db!.collection('secret_expiry_reminders').find({ name: NAME }).toArray();
    expect(reminders).toEqual([expect.objectContaining({ state: 'sent', threshold: 7, conversationIds: [general] })]);
  }, 60_000);

  it("a non-member's buttons are refused in words and change nothing", async () => {
    const data = cardOf(cardsIn(general)[0]).actions.find((a: any) => a.title === 'Extend 90 days').data;
    const before = stored().versions[0].expires;
    for (const verb of ['secret-expiry.extend', 'secret-expiry.snooze']) expect(words(await executeAs('dave', verb, data))).toMatch(/Dave Searcher is not a member of the team Payments.*Nothing was changed/);
    expect(stored().versions[0].expires).toBe(before);
    const denied = await bot.running.connection.db!.collection('audit').find({ action: /^secret\.expiry\./, result: 'denied' }).toArray();
    expect(denied.map((a) => a.action).sort()).toEqual(['secret.expiry.extend', 'secret.expiry.snooze']);
  });

  it('Snooze and Extend 90 days by a member: the card redrawn, the vault changed, audited', async () => {
    const actions = cardOf(cardsIn(general)[0]).actions;
    const data = actions.find((a: any) => a.title === 'Snooze').data;
    const snoozed = await executeAs('alice', 'secret-expiry.snooze', data);
    expect(isCard(snoozed)).toBe(true);
    expect(JSON.stringify(snoozed.body.value)).toContain('Snoozed by Alice Developer until the 1-day reminder');

    const before = new Date(stored().versions[0].expires).getTime();
    const [first, second] = await Promise.all([executeAs('alice', 'secret-expiry.extend', data), executeAs('alice', 'secret-expiry.extend', data)]);
    const target = new Date(before + 90 * 86_400_000).toISOString().slice(0, 10);
    for (const r of [first, second]) expect(JSON.stringify(r.body.value)).toContain(`it now expires on ${target}`);
    const version = stored().versions[0];
    expect(new Date(version.expires).getTime()).toBe(before + 90 * 86_400_000);
    expect(version.tags).toMatchObject({ service: 'payments-api', environment: 'dev', expires: target });
    const audit = await bot.running.connection.db!.collection('audit').find({ action: /^secret\.expiry\./, result: 'success' }).toArray();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['secret.expiry.remind', 'secret.expiry.snooze', 'secret.expiry.extend']));
    await runOccurrence(3);
    expect(cardsIn(general)).toHaveLength(1); // 95 days away: no threshold
  }, 60_000);

  it('Extend to a date from the date picker; a past date is refused', async () => {
    const data = cardOf(cardsIn(general)[0]).actions.find((a: any) => a.title === 'Extend to a date').card.actions[0].data;
    expect(words(await executeAs('alice', 'secret-expiry.extend-to', { ...data, until: '2020-01-01' }))).toContain('2020-01-01 is in the past');
    // The card still names the version, not the expiry set since: the date counts, not the card's.
    const res = await executeAs('alice', 'secret-expiry.extend-to', { ...data, until: '2031-01-31' });
    expect(JSON.stringify(res.body.value)).toContain('it now expires on 2031-01-31');
    expect(stored().versions[0].tags.expires).toBe('2031-01-31');
  });

  it('Rotate from the card starts the rotation (a new version; a second click meets the same job)', async () => {
    const data = cardOf(cardsIn(general)[0]).actions.find((a: any) => a.title === 'Rotate').data;
    const rotated = await executeAs('alice', 'secret-expiry.rotate', data);
    expect(JSON.stringify(rotated.body.value)).toContain(`Rotating ${NAME}`);
    await executeAs('alice', 'secret-expiry.rotate', data);
    await waitFor(async () => ((await bot.running.connection.db!.collection('jobs').findOne({ type: 'secret.rotate', status: 'succeeded' })) ? true : null), 'the rotation', 30_000);
    expect(await bot.running.connection.db!.collection('jobs').countDocuments({ type: 'secret.rotate' })).toBe(1);
    expect(stored().versions).toHaveLength(2);
  }, 60_000);

  it('the generated value is in no card, log line, reminder or audit record', async () => {
    const value = vault().latestValue(NAME)!;
    expect(value.length).toBeGreaterThan(10);
    const db = bot.running.connection.db!;
    const haystacks: [string, string][] = [
      ['logs', bot.logs.raw.join('\n')],
      ['channel', JSON.stringify(bot.running.sandbox!.connector.activities(general))],
      ['connector requests', JSON.stringify(bot.running.sandbox!.connector.requests)],
      ['vault request log', JSON.stringify(vault().requests)],
    ];
    for (const c of await db.listCollections().toArray()) haystacks.push([`collection ${c.name}`, JSON.stringify(await db.collection(c.name).find({}).toArray())]);
    for (const [where, hay] of haystacks) for (const form of [value, Buffer.from(value).toString('base64')]) expect(`${where}: ${hay.includes(form) ? 'FOUND' : 'clean'}`).toBe(`${where}: clean`);
  });
});
