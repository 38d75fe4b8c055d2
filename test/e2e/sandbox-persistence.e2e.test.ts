import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateCatalog, writeCatalogYaml } from '../fixtures/catalog-generator';
import { TestBot, cardText, replyCard, replyText } from '../helpers/bot-harness';

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

  test('the catalog index is saved as a snapshot and a restarted bot starts from it', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sandbox-snapshot-'));
    // Enough entities that the first import rebuilds the index (small change sets are patched in,
    // and only a rebuilt index is saved).
    const entities = generateCatalog({ entities: 2500, seed: 3 });
    await writeCatalogYaml(path.join(dataDir, 'catalog'), entities, 500);
    // No timed index refresh during the import: one that lands mid-import patches part of it in, and
    // whether the rest is then over the rebuild threshold depends on the machine's speed.
    const env = { DATA_DIR: dataDir, MONGODB_URI: undefined, MONGODB_DB: 'idp', CATALOG_LOCATIONS: path.join(dataDir, 'catalog'), CATALOG_INDEX_REFRESH_MS: '600000' };
    const question = `who owns ${entities.find((e) => e.kind === 'Component')!.name}`;
    const first = await TestBot.start(env);
    let answer: string;
    try {
      answer = cardText(replyCard((await first.say(question))[0]));
      expect(answer).toMatch(/"title":"Owner","value":"\[/);
    } finally {
      await first.stop(); // waits for the snapshot being saved
    }
    expect(first.logs.find((l) => l.msg === 'catalog index snapshot saved')).toBeDefined();

    const second = await TestBot.start(env);
    try {
      expect(second.logs.find((l) => l.msg === 'catalog index ready')).toMatchObject({ restored: true });
      expect(cardText(replyCard((await second.say(question))[0]))).toBe(answer);
    } finally {
      await second.stop();
    }
  });
});
