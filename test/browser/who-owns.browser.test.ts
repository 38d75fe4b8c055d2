/**
 * "Who owns X?" in the playground, as a person sees it in Chromium: the owner card rendered by the
 * official renderer; a "did you mean" button that answers in place of the card it was on; the
 * Services message extension and link unfurling from the compose box; and the inspector.
 */
import { usePlayground } from '../helpers/playground-browser';
import { INCIDENT_GROUP_CHAT } from '../../src/sandbox/playground/playground-people';

describe('who owns, in the playground', () => {
  const world = usePlayground('grace');

  it('renders the owner card: team, on call, escalation, and its buttons', async () => {
    const reply = await world.ui.say('who owns payments-api?');
    const card = reply.getByTestId('card');
    await expect(card.innerText()).resolves.toMatch(/Payments API[\s\S]*Owner\s+Payments[\s\S]*On call now\s+Alice Developer[\s\S]*Escalation 1\s+Bob Manager/);
    await expect(world.ui.button(card, 'Runbook').count()).resolves.toBe(1);
    await world.ui.screenshot('who-owns-card', card);
    // Action.OpenUrl opens a new tab; the demo organisation's links say they are demo links.
    const [tab] = await Promise.all([world.ui.page.context().waitForEvent('page'), world.ui.button(card, 'Runbook').click()]);
    await tab.getByTestId('demo-url').filter({ hasText: 'https://runbooks.contoso.example/payments' }).waitFor();
    expect(await tab.locator('h1').innerText()).toBe('This is a demo link');
    await tab.close();
  });

  it('a "did you mean" button answers in place of the card it was on', async () => {
    const reply = await world.ui.say('who owns checkout');
    const card = reply.getByTestId('card');
    await expect(card.innerText()).resolves.toMatch(/did you mean/i);
    const choices = card.locator('button.ac-pushButton');
    const first = (await choices.first().innerText()).trim();
    const messagesBefore = await world.ui.botMessages().count();
    await choices.first().click();
    // Same message, new content: the ownership card of the chosen entry, and no new message.
    await card.filter({ hasText: /Owner/ }).waitFor();
    expect(await world.ui.botMessages().count()).toBe(messagesBefore);
    expect(await card.innerText()).toContain(first.split(' (')[0]);
    await world.ui.screenshot('who-owns-did-you-mean-answered', card);
  });

  it('the Services message extension inserts an ownership card into the compose box', async () => {
    await world.ui.page.getByTestId('services-button').click();
    await world.ui.page.getByTestId('services-query').fill('search');
    const result = world.ui.page.getByTestId('service-result').filter({ hasText: /search-indexer|Search indexer/i }).first();
    await result.click();
    const pending = world.ui.page.getByTestId('pending-card');
    await expect(pending.innerText()).resolves.toMatch(/Owner\s+Search/);
    await world.ui.screenshot('message-extension-inserted', world.ui.page.locator('footer.compose'));
    await world.ui.page.getByTestId('send-button').click();
    await world.ui.page.locator('#messages .message.mine [data-testid=card]').last().waitFor();
    expect(await world.ui.page.getByTestId('pending-card').count()).toBe(0);
  });

  it('pasting a repository URL unfurls it into its card', async () => {
    const url = 'https://dev.azure.com/contoso/Payments/_git/payments-web';
    const input = world.ui.page.getByTestId('compose-text');
    await input.fill(url);
    await input.dispatchEvent('paste');
    const pending = world.ui.page.getByTestId('pending-card');
    await expect(pending.innerText()).resolves.toMatch(/payments-web|Payments web/i);
    await world.ui.screenshot('link-unfurled', world.ui.page.locator('footer.compose'));
  });

  it('in the group chat, a message that mentions the bot is answered there, for everyone in it', async () => {
    await world.ui.page.getByTestId('compose-text').fill('');
    await world.ui.openChat(INCIDENT_GROUP_CHAT.id);
    const reply = await world.ui.say('who is on call for payments-api?');
    await reply.getByTestId('card').filter({ hasText: /On call now\s+Alice Developer/ }).waitFor();
    await world.ui.be('alice');
    await world.ui.openChat(INCIDENT_GROUP_CHAT.id);
    await world.ui.page.locator('#messages .message:not([data-from=bot])').filter({ hasText: '@IDP bot who is on call for payments-api?' }).waitFor();
    await world.ui.botCards().filter({ hasText: /On call now/ }).last().waitFor();
    await world.ui.screenshot('group-chat-as-another-member');
    await world.ui.be('grace');
  });

  it('the inspector shows each activity and invoke with its JSON', async () => {
    await world.ui.page.getByTestId('inspector-toggle').click();
    await world.ui.page.getByTestId('inspector').waitFor();
    const text = await world.ui.inspectorText();
    expect(text).toContain('invoke adaptiveCard/action');
    expect(text).toContain('invoke composeExtension/query');
    expect(text).toContain('invoke composeExtension/queryLink');
    expect(text).toContain('"channelId": "msteams"');
    await world.ui.screenshot('inspector');
  });
});
