import type { ConversationReference } from 'botbuilder';
import { ProactiveMessenger } from '../../src/bot/proactive-messenger';
import { renderCatalogChoicesCard } from '../../cards/catalog-choices.card';
import { userBySlug } from '../../src/sandbox/seed/demo-org';
import { TestBot } from '../helpers/bot-harness';

/** A stored conversation reference lets any replica message the person later, and update a card. */
describe('proactive messages through stored conversation references', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await TestBot.start();
  });
  afterAll(() => bot.stop());

  test('send and update a card in a conversation the bot has seen', async () => {
    const alice = userBySlug('alice');
    await bot.say('help', { as: alice });
    const stored = await bot.running.connection.db!.collection('conversations').findOne({ key: `user:${alice.id}` });
    const reference = JSON.parse(stored!.reference as string) as Partial<ConversationReference>;
    expect(reference.serviceUrl).toBe(bot.running.sandbox!.connector.baseUrl);

    const messenger = new ProactiveMessenger(bot.running.adapter, '');
    const card = (heading: string) => renderCatalogChoicesCard({ heading, intent: 'owner', choices: [] });
    const id = await messenger.sendCard(reference, card('Working on it'));
    expect(id).toBeTruthy();
    await messenger.updateCard(reference, id!, card('Done'));

    const activities = bot.running.sandbox!.connector.activities(reference.conversation!.id);
    const sent = activities.find((a) => a.id === id)!;
    expect(JSON.stringify(sent)).toContain('Done');
    expect(JSON.stringify(sent)).not.toContain('Working on it');
  });

  test('a failed update rejects to the caller and posts nothing in the chat (no apology per progress update)', async () => {
    const dave = userBySlug('dave');
    await bot.say('help', { as: dave });
    const stored = await bot.running.connection.db!.collection('conversations').findOne({ key: `user:${dave.id}` });
    const reference = JSON.parse(stored!.reference as string) as Partial<ConversationReference>;
    const before = bot.running.sandbox!.connector.activities(reference.conversation!.id).length;

    const messenger = new ProactiveMessenger(bot.running.adapter, '');
    const card = renderCatalogChoicesCard({ heading: 'x', intent: 'owner', choices: [] });
    await expect(messenger.updateCard(reference, 'no-such-activity', card)).rejects.toThrow(/no-such-activity/);
    expect(bot.running.sandbox!.connector.activities(reference.conversation!.id)).toHaveLength(before);
  });
});
