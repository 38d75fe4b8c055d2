/**
 * A production secret typed in the Teams dialog, in the playground: Alice asks, Bob (another owner)
 * approves, Alice types the value in the task-module dialog. After she submits, the value is in
 * the vault and nowhere in the page: not in its DOM, not in the inspector, not in any response or
 * event the page received; the one request that carried it is the task/submit to the bot, as in
 * Teams.
 */
import { TestBot } from '../helpers/bot-harness';
import { waitFor } from '../helpers/manual-time';
import { openBrowser, PlaygroundPage, type Browser } from '../helpers/playground-browser';

const CANARY = 'pg-canary-Zq7!x9Lr2Vt4';
const SECRET = 'payments-api--prod--stripe-key';

describe('a production secret typed in the dialog, in the playground', () => {
  let bot: TestBot;
  let browser: Browser;
  let ui: PlaygroundPage;
  const requests: { url: string; body: string }[] = [];
  const responses: string[] = [];

  beforeAll(async () => {
    [bot, browser] = await Promise.all([TestBot.start(), openBrowser()]);
    ui = await PlaygroundPage.open(browser, bot.url, 'alice');
    ui.page.on('request', (r) => requests.push({ url: r.url(), body: r.postData() ?? '' }));
    ui.page.on('response', async (r) => responses.push(await r.text().catch(() => '')));
  }, 60_000);
  afterAll(async () => {
    expect(ui.errors).toEqual([]);
    expect(ui.outside).toEqual([]);
    await browser?.close();
    await bot?.stop();
  });

  it('asked, approved by another owner, typed in the dialog; then nowhere in the page', async () => {
    const preview = (await ui.say(`create secret service=payments-api env=prod name=stripe-key value=type`)).getByTestId('card');
    await ui.screenshot('secret-preview', preview);
    await ui.button(preview, /Ask for approval/).click();
    await ui.botCards().filter({ hasText: SECRET }).filter({ has: ui.page.locator('button.ac-pushButton', { hasText: 'Cancel request' }) }).first().waitFor();

    await ui.be('bob');
    await ui.openPersonalChat('bob');
    const approval = ui.botCards().filter({ hasText: SECRET }).last();
    await ui.button(approval, /^Approve$/).click();
    await approval.filter({ hasText: /Approved by Bob Manager/ }).waitFor();

    await ui.be('alice');
    await ui.openPersonalChat('alice');
    const enter = ui.page.locator('#messages button.ac-pushButton', { hasText: /value/i }).last();
    await enter.waitFor();
    await ui.screenshot('secret-approved-requester');
    await enter.click();
    const dialog = ui.page.getByTestId('task-dialog');
    const field = dialog.locator('input[type=password]');
    await field.fill(CANARY);
    await ui.screenshot('secret-value-dialog', dialog);
    const before = requests.length;
    await ui.button(dialog, /Store|Save|Submit/).click();
    await ui.page.getByTestId('toast').filter({ hasText: `Stored ${SECRET}` }).waitFor();
    expect(await dialog.isVisible()).toBe(false);

    await waitFor(() => bot.running.sandbox!.vaults.prod!.latestValue(SECRET) === CANARY, 'the value in the prod vault', 30_000);
    await ui.page.getByTestId('inspector-toggle').click();
    await ui.screenshot('secret-after-submit-with-inspector');

    const values = await ui.page.locator('input, textarea').evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value));
    const dom = `${await ui.page.content()}\n${values.join('\n')}`;
    expect(dom).not.toContain(CANARY);
    expect(await ui.inspectorText()).not.toContain(CANARY);
    expect(await ui.inspectorText()).toContain('typed in a password field: not shown');
    expect(responses.filter((r) => r.includes(CANARY))).toEqual([]);
    const carrying = requests.slice(before).filter((r) => r.body.includes(CANARY));
    expect(carrying).toHaveLength(1);
    expect(carrying[0]!.url).toBe(`${bot.url}/api/messages`);
    expect(JSON.parse(carrying[0]!.body)).toMatchObject({ type: 'invoke', name: 'task/submit' });
    // The stand-in's view of the chat (what the page's events came from) has no trace of it either.
    expect(JSON.stringify(bot.running.sandbox!.connector.allConversations())).not.toContain(CANARY);
  }, 120_000);
});
