/**
 * A production secret typed in the Teams dialog, in the playground: Alice asks, Bob (another owner)
 * approves, Alice types the value in the task-module dialog. After she submits, the value is in
 * the vault and nowhere in the page: not in its DOM, not in the inspector, not in any response or
 * event the page received; the one request that carried it is the task/submit to the bot, as in
 * Teams.
 */
import { waitFor } from '../helpers/manual-time';
import { usePlayground } from '../helpers/playground-browser';

const CANARY = 'pg-canary-Zq7!x9Lr2Vt4';
const SECRET = 'payments-api--prod--stripe-key';

describe('a production secret typed in the dialog, in the playground', () => {
  const world = usePlayground('alice');
  const requests: { url: string; body: string }[] = [];
  const responses: string[] = [];

  beforeAll(() => {
    world.ui.page.on('request', (r) => requests.push({ url: r.url(), body: r.postData() ?? '' }));
    world.ui.page.on('response', async (r) => responses.push(await r.text().catch(() => '')));
  });

  it('asked, approved by another owner, typed in the dialog; then nowhere in the page', async () => {
    const preview = (await world.ui.say(`create secret service=payments-api env=prod name=stripe-key value=type`)).getByTestId('card');
    await world.ui.screenshot('secret-preview', preview);
    await world.ui.button(preview, /Ask for approval/).click();
    await world.ui.botCards().filter({ hasText: SECRET }).filter({ has: world.ui.page.locator('button.ac-pushButton', { hasText: 'Cancel request' }) }).first().waitFor();

    await world.ui.be('bob');
    await world.ui.openPersonalChat('bob');
    const approval = world.ui.botCards().filter({ hasText: SECRET }).last();
    await world.ui.button(approval, /^Approve$/).click();
    await approval.filter({ hasText: /Approved by Bob Manager/ }).waitFor();

    await world.ui.be('alice');
    await world.ui.openPersonalChat('alice');
    const enter = world.ui.page.locator('#messages button.ac-pushButton', { hasText: /value/i }).last();
    await enter.waitFor();
    await world.ui.screenshot('secret-approved-requester');
    await enter.click();
    const dialog = world.ui.page.getByTestId('task-dialog');
    const field = dialog.locator('input[type=password]');
    await field.fill(CANARY);
    await world.ui.screenshot('secret-value-dialog', dialog);
    const before = requests.length;
    await world.ui.button(dialog, /Store|Save|Submit/).click();
    await world.ui.page.getByTestId('toast').filter({ hasText: `Stored ${SECRET}` }).waitFor();
    expect(await dialog.isVisible()).toBe(false);

    await waitFor(() => world.bot.running.sandbox!.vaults.prod!.latestValue(SECRET) === CANARY, 'the value in the prod vault', 30_000);
    await world.ui.page.getByTestId('inspector-toggle').click();
    await world.ui.screenshot('secret-after-submit-with-inspector');

    const values = await world.ui.page.locator('input, textarea').evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value));
    const dom = `${await world.ui.page.content()}\n${values.join('\n')}`;
    expect(dom).not.toContain(CANARY);
    expect(await world.ui.inspectorText()).not.toContain(CANARY);
    expect(await world.ui.inspectorText()).toContain('typed in a password field: not shown');
    expect(responses.filter((r) => r.includes(CANARY))).toEqual([]);
    const carrying = requests.slice(before).filter((r) => r.body.includes(CANARY));
    expect(carrying).toHaveLength(1);
    expect(carrying[0]!.url).toBe(`${world.bot.url}/api/messages`);
    expect(JSON.parse(carrying[0]!.body)).toMatchObject({ type: 'invoke', name: 'task/submit' });
    // The stand-in's view of the chat (what the page's events came from) has no trace of it either.
    expect(JSON.stringify(world.bot.running.sandbox!.connector.allConversations())).not.toContain(CANARY);
  }, 120_000);
});
