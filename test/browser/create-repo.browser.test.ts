/**
 * Create repo in the playground, as a developer does it in Teams: the form filled and submitted in
 * the rendered card, the preview's Confirm clicked, and the progress card updated in place until
 * the job is done. In a channel, someone who is not the requester sees the same preview without
 * its Confirm button.
 */
import { DEMO_TEAMS } from '../../src/sandbox/seed/demo-org';
import { usePlayground } from '../helpers/playground-browser';

describe('create repo, in the playground', () => {
  const world = usePlayground('alice');

  it('form, preview, Confirm, and one progress card updated in place until done', async () => {
    const reply = await world.ui.say('create repo');
    const form = reply.getByTestId('card');
    // Required inputs are checked in the card, as in Teams: nothing is sent while they are empty.
    const invokesBefore = await world.ui.page.getByTestId('inspector-entry').filter({ hasText: 'invoke adaptiveCard/action' }).count();
    await world.ui.button(form, 'Preview').click();
    await form.locator('.ac-input-validation-failed').first().waitFor();
    expect(await world.ui.page.getByTestId('inspector-entry').filter({ hasText: 'invoke adaptiveCard/action' }).count()).toBe(invokesBefore);
    await form.getByLabel(/Repository name/).fill('ledger-api');
    await form.getByLabel(/Azure DevOps project/).selectOption({ label: 'Payments' });
    await form.getByText('Node.js', { exact: true }).click();
    await form.getByLabel(/Owner team/).fill('team-payments');
    await form.getByLabel(/Description/).fill('Keeps the double-entry ledger of card payments.');
    await world.ui.screenshot('create-repo-form-filled', form);
    const before = await world.ui.botMessages().count();
    await world.ui.button(form, 'Preview').click();

    const preview = world.ui.botCards().filter({ hasText: /ledger-api/ }).filter({ has: world.ui.page.locator('button.ac-pushButton', { hasText: 'Confirm' }) }).last();
    await preview.waitFor();
    await world.ui.screenshot('create-repo-preview', preview);
    await world.ui.button(preview, 'Confirm').click();

    // The job's card: one message, updated in place (no new message per step) until it is done.
    const done = world.ui.botCards().filter({ hasText: 'Created Payments/ledger-api' });
    await done.waitFor({ timeout: 60_000 });
    const job = await world.bot.running.connection.db!.collection('jobs').findOne({ type: 'repo.create' });
    expect(job?.status).toBe('succeeded');
    const progressCards = world.ui.page.locator('#messages [data-from=bot]').filter({ hasText: /Creating Payments\/ledger-api|Created Payments\/ledger-api/ });
    expect(await progressCards.count()).toBe(1);
    expect(await world.ui.botMessages().count()).toBeLessThanOrEqual(before + 2);
    await world.ui.screenshot('create-repo-done', done);
    await world.ui.screenshot('create-repo-chat');

    // It is in the catalog now: who owns it?
    const owner = (await world.ui.say('who owns ledger-api?')).getByTestId('card');
    await owner.filter({ hasText: /Owner\s+Payments/ }).waitFor();
    await world.ui.screenshot('create-repo-who-owns-it', owner);
  }, 90_000);

  it('in a channel, a person who is not the requester sees the preview without Confirm', async () => {
    const payments = DEMO_TEAMS.find((t) => t.name === 'team-payments')!;
    await world.ui.openChat(payments.channelId);
    await world.ui.say('create repo name=refund-ledger project=Payments stack=node owner=team-payments description="Refund bookkeeping." envs=dev');
    const thread = world.ui.page.locator('section.thread').filter({ hasText: 'refund-ledger' }).last();
    const preview = thread.locator('[data-from=bot] [data-testid=card]').last();
    await world.ui.button(preview, 'Confirm').waitFor();
    await world.ui.screenshot('channel-preview-as-requester', thread);

    await world.ui.be('bob');
    await world.ui.openChat(payments.channelId);
    const bobsView = world.ui.page.locator('section.thread').filter({ hasText: 'refund-ledger' }).last().locator('[data-from=bot] [data-testid=card]').last();
    await bobsView.filter({ hasText: 'refund-ledger' }).waitFor();
    expect(await world.ui.button(bobsView, 'Confirm').count()).toBe(0);
    await world.ui.screenshot('channel-preview-as-someone-else', world.ui.page.locator('section.thread').filter({ hasText: 'refund-ledger' }).last());
  });
});
