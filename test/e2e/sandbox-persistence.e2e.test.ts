import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestBot, replyText } from '../helpers/bot-harness';

/** `npm start` keeps its store under DATA_DIR: what was saved survives a restart. */
describe('sandbox store persistence', () => {
  test('feedback recorded before a restart is still there after it', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sandbox-persist-'));
    const env = { DATA_DIR: dataDir, MONGODB_URI: undefined, MONGODB_DB: 'idp' };
    const first = await TestBot.start(env);
    expect(first.running.sandbox!.mongoUri).not.toBe(process.env.MONGODB_URI);
    await first.say('feedback the sandbox should remember this', { as: 'alice' });
    expect(replyText((await first.say('normal', { as: 'alice' }))[0])).toMatch(/Recorded as/);
    await first.stop();

    const second = await TestBot.start(env);
    try {
      const stored = await second.running.connection.db!.collection('feedback').find({}).toArray();
      expect(stored.map((f) => f.text)).toContain('the sandbox should remember this');
    } finally {
      await second.stop();
    }
  });
});
