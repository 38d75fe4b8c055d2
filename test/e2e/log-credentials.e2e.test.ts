import { TestBot } from '../helpers/bot-harness';

/**
 * The harness fails any bot whose logs hold a credential (TestBot.stop). This proves the check
 * bites: credentials logged through the real logger where no redaction can see them are caught,
 * by name, and stop() fails; the same credentials under redacted keys are not.
 */
describe('credentials in log lines are caught by the harness', () => {
  const JWT = 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJib3QiLCJleHAiOjF9.c2lnbmF0dXJlLWJ5dGVz';
  const secrets = { MicrosoftAppPassword: 'app-password-for-the-leak-test', CATALOG_WEBHOOK_TOKEN: 'webhook-token-for-the-leak-test' };
  let bot: TestBot;
  beforeAll(async () => {
    bot = await TestBot.start(secrets);
  });

  test('redacted keys hide them: nothing to report', () => {
    bot.running.logger.info({ headers: { authorization: `Bearer ${JWT}` }, password: secrets.MicrosoftAppPassword, token: secrets.CATALOG_WEBHOOK_TOKEN }, 'redacted');
    expect(bot.credentialLeaks()).toEqual([]);
  });

  test('in a message or an unredacted field they are caught, each by name', async () => {
    const log = bot.running.logger;
    log.warn(`calling Azure DevOps with ${bot.running.config.AZURE_DEVOPS_PAT}`);
    log.info({ note: secrets.MicrosoftAppPassword }, 'app password');
    log.info({ detail: `retrying with Bearer ${secrets.CATALOG_WEBHOOK_TOKEN}` }, 'webhook');
    log.error({ upstream: `Authorization: Bearer ${JWT}` }, 'a JWT');
    const leaks = bot.credentialLeaks();
    expect(leaks).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/: AZURE_DEVOPS_PAT$/),
        expect.stringMatching(/: MicrosoftAppPassword$/),
        expect.stringMatching(/: CATALOG_WEBHOOK_TOKEN$/),
        expect.stringMatching(/: a Bearer JWT$/),
        expect.stringMatching(/: a JWT$/),
      ]),
    );
    expect(leaks.join('\n')).not.toContain(secrets.MicrosoftAppPassword); // the report names, never repeats
  });

  test('and stop() fails for them', async () => {
    await expect(bot.stop()).rejects.toThrow(/credentials in the logs of this bot:[\s\S]*AZURE_DEVOPS_PAT/);
  });
});
