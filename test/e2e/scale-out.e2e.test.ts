import { randomUUID } from 'node:crypto';
import { TestBot, replyText } from '../helpers/bot-harness';
import { userBySlug } from '../../src/sandbox/seed/demo-org';

/** Two replicas behind a load balancer share one store: any of them continues any conversation. */
describe('scale-out: dialog state lives in the shared store', () => {
  const db = `scale_${randomUUID().slice(0, 8)}`;
  let a: TestBot;
  let b: TestBot;
  beforeAll(async () => {
    [a, b] = await Promise.all([TestBot.start({ MONGODB_DB: db }), TestBot.start({ MONGODB_DB: db })]);
  });
  afterAll(async () => {
    await Promise.all([a.stop(), b.stop()]);
  });

  test('a dialog started on one instance continues on another', async () => {
    const as = 'dave';
    expect(replyText((await a.say('feedback', { as }))[0])).toMatch(/What should the platform team know/);
    expect(replyText((await b.say('Search results need a relevance toggle', { as }))[0])).toMatch(/How urgent/);
    expect(replyText((await a.say('low', { as }))[0])).toMatch(/Recorded as FB-/);

    const stored = await b.running.connection.db!.collection('feedback').find({ 'from.id': userBySlug(as).id }).toArray();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ text: 'Search results need a relevance toggle', urgency: 'low' });
  });

  test('the instances keep no conversation in memory: each turn reads the store', async () => {
    const as = 'erin';
    await a.say('feedback', { as });
    await b.say('cancel', { as });
    // Instance a must see the cancel done on b: the reply is not a validation of "nope".
    expect(replyText((await a.say('nope', { as }))[0])).toMatch(/did not understand/);
  });
});
