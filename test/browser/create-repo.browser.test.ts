/**
 * Create repo in the playground, as a developer does it in Teams: the form filled and submitted in
 * the rendered card, the preview's Confirm clicked, and the progress card updated in place until
 * the job is done. In a channel, someone who is not the requester sees the same preview without
 * its Confirm button.
 */
import { DEMO_TEAMS } from '../../src/sandbox/seed/demo-org';
import { TestBot } from '../helpers/bot-harness';
import { openBrowser, PlaygroundPage, type Browser } from '../helpers/playground-browser';

describe('create repo, in the playground', () => {
  let bot: TestBot;
  let browser: Browser;
  let ui: PlaygroundPage;

  beforeAll(async () => {
    [bot, browser] = await Promise.all([TestBot.start(), openBrowser()]);
    ui = await PlaygroundPage.open(browser, bot.url, 'alice');
  }, 60_000);
  afterAll(async () => {
    expect(ui.errors).toEqual([]);
    expect(ui.outside).toEqual([]);
    await browser?.close();
    await bot?.stop();
  });

  it('form, preview, Confirm, and one progress card updated in place until done', async () => {
    const reply = await ui.say('create repo');
    const form = reply.getByTestId('card');
    await form.getByLabel(/Repository name/).fill('ledger-api');
    await form.getByLabel(/Azure DevOps project/).selectOption({ label: 'Payments' });
    await form.getByText('Node.js', { exact: true }).click();
    await form.getByLabel(/Owner team/).fill('team-payments');
    await form.getByLabel(/Description/).fill('Keeps the double-entry ledger of card payments.');
    await ui.screenshot('create-repo-form-filled', form);
    const before = await ui.botMessages().count();
    await ui.button(form, 'Preview').click();

    const preview = ui.botCards().filter({ hasText: /ledger-api/ }).filter({ has: ui.page.locator('button.ac-pushButton', { hasText: 'Confirm' }) }).last();
    await preview.waitFor();
    await ui.screenshot('create-repo-preview', preview);
    await ui.button(preview, 'Confirm').click();

    // The job's card: one message, updated in place (no new message per step) until it is done.
    const done = ui.botCards().filter({ hasText: 'Created Payments/ledger-api' });
    await done.waitFor({ timeout: 60_000 });
    const job = await bot.running.connection.db!.collection('jobs').findOne({ type: 'repo.create' });
    expect(job?.status).toBe('succeeded');
    const progressCards = ui.page.locator('#messages [data-from=bot]').filter({ hasText: /Creating Payments\/ledger-api|Created Payments\/ledger-api/ });
    expect(await progressCards.count()).toBe(1);
    expect(await ui.botMessages().count()).toBeLessThanOrEqual(before + 2);
    await ui.screenshot('create-repo-done', done);
    await ui.screenshot('create-repo-chat');

    // It is in the catalog now: who owns it?
    const owner = (await ui.say('who owns ledger-api?')).getByTestId('card');
    await owner.filter({ hasText: /Owner\s+Payments/ }).waitFor();
    await ui.screenshot('create-repo-who-owns-it', owner);
  }, 90_000);

  it('in a channel, a person who is not the requester sees the preview without Confirm', async () => {
    const payments = DEMO_TEAMS.find((t) => t.name === 'team-payments')!;
    await ui.openChat(payments.channelId);
    await ui.say('create repo name=refund-ledger project=Payments stack=node owner=team-payments description="Refund bookkeeping." envs=dev');
    const thread = ui.page.locator('section.thread').filter({ hasText: 'refund-ledger' }).last();
    const preview = thread.locator('[data-from=bot] [data-testid=card]').last();
    await ui.button(preview, 'Confirm').waitFor();
    await ui.screenshot('channel-preview-as-requester', thread);

    await ui.be('bob');
    await ui.openChat(payments.channelId);
    const bobsView = ui.page.locator('section.thread').filter({ hasText: 'refund-ledger' }).last().locator('[data-from=bot] [data-testid=card]').last();
    await bobsView.filter({ hasText: 'refund-ledger' }).waitFor();
    expect(await ui.button(bobsView, 'Confirm').count()).toBe(0);
    await ui.screenshot('channel-preview-as-someone-else', ui.page.locator('section.thread').filter({ hasText: 'refund-ledger' }).last());
  });
});
