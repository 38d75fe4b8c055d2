import { BOT_ID, TestBot, cardText, channelChat, replyCard, replyText } from '../helpers/bot-harness';
import { DEMO_TENANT_ID, userBySlug } from '../../src/sandbox/seed/demo-org';

describe('talking to the bot (sandbox, over /api/messages)', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await TestBot.start();
  });
  afterAll(() => bot.stop());

  test('help answers with a card listing every command with examples', async () => {
    const [reply] = await bot.say('help');
    const card = replyCard(reply);
    expect(card.type).toBe('AdaptiveCard');
    const text = cardText(card);
    for (const command of ['help', 'feedback', 'cancel']) expect(text).toContain(`**${command}**`);
    expect(text).toContain('feedback the Java skeleton needs Gradle');
    expect(text).not.toContain('${');
  });

  test('help works with a mention in a channel (the mention is stripped)', async () => {
    const [reply] = await bot.say('help', { as: 'dave', conversation: channelChat() });
    expect(replyCard(reply)?.type).toBe('AdaptiveCard');
  });

  test('unknown text gets a short reply with the closest commands', async () => {
    const [reply] = await bot.say('feedbak');
    expect(replyText(reply)).toMatch(/did not understand `feedbak`/);
    expect(replyText(reply)).toContain('**feedback**');
  });

  test('text far from any command points to help', async () => {
    const [reply] = await bot.say('the quick brown fox jumps over the lazy dog');
    expect(replyText(reply)).toMatch(/Type \*\*help\*\*/);
    expect(replyText(reply)).not.toContain('Did you mean');
  });

  test.each([
    ['personal', { id: 'a:welcome-personal', conversationType: 'personal' as const }],
    ['groupChat', { id: '19:welcome-group@thread.v2', conversationType: 'groupChat' as const }],
    ['channel', { id: '19:welcome-team@thread.tacv2', conversationType: 'channel' as const, teamId: '19:welcome-team@thread.tacv2' }],
  ])('a welcome card when the bot is installed (%s)', async (_scope, conversation) => {
    const replies = await bot.conversationUpdate([{ id: BOT_ID, name: 'IDP Bot' }], { conversation });
    expect(replies).toHaveLength(1);
    const card = replyCard(replies[0]);
    expect(card.type).toBe('AdaptiveCard');
    expect(cardText(card)).toContain(conversation.conversationType === 'personal' ? 'Welcome' : 'Hello, team');
    expect(card.actions[0]).toMatchObject({ type: 'Action.Execute', verb: 'help.show' });
  });

  test('no welcome when someone else joins', async () => {
    const replies = await bot.conversationUpdate([{ id: '29:someone', name: 'Someone' }], { conversation: { id: '19:x@thread.v2', conversationType: 'groupChat' } });
    expect(replies).toHaveLength(0);
  });

  test('"Show all commands" on the welcome card returns the help card in place', async () => {
    const res = await bot.execute('help.show', { source: 'welcome' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(cardText(res.body.value)).toContain('**feedback**');
  });

  test('an unknown card verb is refused with 400 and a reason', async () => {
    const res = await bot.execute('no.such.verb');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, value: { message: expect.stringContaining('no.such.verb') } });
  });

  test('feedback is a multi-turn dialog that validates, records and audits', async () => {
    const as = 'alice';
    expect(replyText((await bot.say('feedback', { as }))[0])).toMatch(/What should the platform team know/);
    expect(replyText((await bot.say('ok', { as }))[0])).toMatch(/at least a few words/);
    const urgency = await bot.say('The Java skeleton should use Gradle', { as });
    expect(replyText(urgency[0])).toMatch(/How urgent/);
    expect(urgency[0].suggestedActions?.actions.map((a) => a.title)).toEqual(['low', 'normal', 'blocking']);
    const done = await bot.say('blocking', { as });
    expect(replyText(done[0])).toMatch(/Recorded as FB-[A-Z0-9]+ \(blocking\)/);

    const db = bot.running.connection.db!;
    const stored = await db.collection('feedback').find({ 'from.id': userBySlug(as).id }).toArray();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ text: 'The Java skeleton should use Gradle', urgency: 'blocking' });
    const audit = await db.collection('audit').find({ action: 'feedback.submit', actor: userBySlug(as).id }).toArray();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ result: 'success', target: `feedback:${stored[0].reference}` });
  });

  test('feedback text given with the command skips the first question', async () => {
    const replies = await bot.say('feedback the docs link on the help card is dead', { as: 'dave' });
    expect(replyText(replies[0])).toMatch(/How urgent/);
  });

  test('cancel stops a dialog and nothing is recorded; a second cancel says there is nothing', async () => {
    const as = 'erin';
    await bot.say('feedback', { as });
    expect(replyText((await bot.say('cancel', { as }))[0])).toMatch(/Cancelled/);
    expect(replyText((await bot.say('cancel', { as }))[0])).toMatch(/nothing to cancel/);
    const db = bot.running.connection.db!;
    expect(await db.collection('feedback').countDocuments({ 'from.id': userBySlug(as).id })).toBe(0);
  });

  test('a command in the middle of a dialog interrupts it', async () => {
    const as = 'grace';
    await bot.say('feedback', { as });
    const [help] = await bot.say('help', { as });
    expect(replyCard(help)?.type).toBe('AdaptiveCard');
  });

  test('conversation references are stored for proactive messages', async () => {
    const frank = userBySlug('frank');
    await bot.say('help', { as: frank });
    const db = bot.running.connection.db!;
    const stored = await db.collection('conversations').findOne({ key: `user:${frank.id}` });
    expect(stored).toMatchObject({ aadObjectId: frank.id, conversationType: 'personal', tenantId: DEMO_TENANT_ID });
    const reference = JSON.parse(stored!.reference as string);
    expect(reference.conversation.id).toBe(`a:personal-${frank.teamsId}`);
    expect(reference.serviceUrl).toBeTruthy();
  });
});

describe('tenant allow-list', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await TestBot.start({ ALLOWED_TENANT_IDS: 'another-tenant' });
  });
  afterAll(() => bot.stop());

  test('an activity from another tenant is answered 403 before any turn runs, and logged', async () => {
    const res = await bot.post(bot.activity('message', {}, { text: 'help' }));
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: 'Forbidden', message: 'This tenant is not allowed to use this bot.' });
    expect(bot.logs.find((l) => l.msg === 'activity from a tenant that is not allowed' && l.tenantId === DEMO_TENANT_ID)).toBeTruthy();
    // Nothing ran: the bot's own gate never saw it, no conversation was recorded.
    expect(bot.logs.find((l) => l.msg === 'activity from a tenant that is not allowed: ignored')).toBeUndefined();
    expect(await bot.running.connection.db!.collection('conversations').countDocuments()).toBe(0);
  });

  test('an activity without any tenant is answered 403 too', async () => {
    const body = bot.activity('message', {}, { text: 'help', channelData: {} });
    delete (body.conversation as { tenantId?: string }).tenantId;
    expect((await bot.post(body)).status).toBe(403);
  });

  test.each([
    ['conversation.tenantId', { conversation: { id: 'a:t1', conversationType: 'personal', tenantId: 'another-tenant' } }],
    ['channelData.tenant.id', { conversation: { id: 'a:t2', conversationType: 'personal' }, channelData: { tenant: { id: 'another-tenant' } } }],
  ])('an allowed tenant in %s is served', async (_where, fields) => {
    const res = await bot.post(bot.activity('message', {}, { text: 'help', ...(fields as object) }));
    expect(res.status).toBe(200);
    expect(res.body.activities).toHaveLength(1);
  });
});
