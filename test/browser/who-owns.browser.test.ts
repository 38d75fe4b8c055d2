/**
 * "Who owns X?" in the playground, as a person sees it in Chromium: the owner card rendered by the
 * official renderer; a "did you mean" button that answers in place of the card it was on; the
 * Services message extension and link unfurling from the compose box; and the inspector.
 */
import { TestBot } from '../helpers/bot-harness';
import { openBrowser, PlaygroundPage, type Browser } from '../helpers/playground-browser';
import { INCIDENT_GROUP_CHAT } from '../../src/sandbox/playground/playground-people';

describe('who owns, in the playground', () => {
  let bot: TestBot;
  let browser: Browser;
  let ui: PlaygroundPage;

  beforeAll(async () => {
    [bot, browser] = await Promise.all([TestBot.start(), openBrowser()]);
    ui = await PlaygroundPage.open(browser, bot.url, 'grace');
  }, 60_000);
  afterAll(async () => {
    expect(ui.errors).toEqual([]);
    expect(ui.outside).toEqual([]);
    await browser?.close();
    await bot?.stop();
  });

  it('renders the owner card: team, on call, escalation, and its buttons', async () => {
    const reply = await ui.say('who owns payments-api?');
    const card = reply.getByTestId('card');
    await expect(card.innerText()).resolves.toMatch(/Payments API[\s\S]*Owner\s+Payments[\s\S]*On call now\s+Alice Developer[\s\S]*Escalation 1\s+Bob Manager/);
    await expect(ui.button(card, 'Runbook').count()).resolves.toBe(1);
    await ui.screenshot('who-owns-card', card);
    // Action.OpenUrl opens a new tab; the demo organisation's links say they are demo links.
    const [tab] = await Promise.all([ui.page.context().waitForEvent('page'), ui.button(card, 'Runbook').click()]);
    await tab.getByTestId('demo-url').filter({ hasText: 'https://runbooks.contoso.example/payments' }).waitFor();
    expect(await tab.locator('h1').innerText()).toBe('This is a demo link');
    await tab.close();
  });

  it('a "did you mean" button answers in place of the card it was on', async () => {
    const reply = await ui.say('who owns checkout');
    const card = reply.getByTestId('card');
    await expect(card.innerText()).resolves.toMatch(/did you mean/i);
    const choices = card.locator('button.ac-pushButton');
    const first = (await choices.first().innerText()).trim();
    const messagesBefore = await ui.botMessages().count();
    await choices.first().click();
    // Same message, new content: the ownership card of the chosen entry, and no new message.
    await card.filter({ hasText: /Owner/ }).waitFor();
    expect(await ui.botMessages().count()).toBe(messagesBefore);
    expect(await card.innerText()).toContain(first.split(' (')[0]);
    await ui.screenshot('who-owns-did-you-mean-answered', card);
  });

  it('the Services message extension inserts an ownership card into the compose box', async () => {
    await ui.page.getByTestId('services-button').click();
    await ui.page.getByTestId('services-query').fill('search');
    const result = ui.page.getByTestId('service-result').filter({ hasText: /search-indexer|Search indexer/i }).first();
    await result.click();
    const pending = ui.page.getByTestId('pending-card');
    await expect(pending.innerText()).resolves.toMatch(/Owner\s+Search/);
    await ui.screenshot('message-extension-inserted', ui.page.locator('footer.compose'));
    await ui.page.getByTestId('send-button').click();
    await ui.page.locator('#messages .message.mine [data-testid=card]').last().waitFor();
    expect(await ui.page.getByTestId('pending-card').count()).toBe(0);
  });

  it('pasting a repository URL unfurls it into its card', async () => {
    const url = 'https://dev.azure.com/contoso/Payments/_git/payments-web';
    const input = ui.page.getByTestId('compose-text');
    await input.fill(url);
    await input.dispatchEvent('paste');
    const pending = ui.page.getByTestId('pending-card');
    await expect(pending.innerText()).resolves.toMatch(/payments-web|Payments web/i);
    await ui.screenshot('link-unfurled', ui.page.locator('footer.compose'));
  });

  it('in the group chat, a message that mentions the bot is answered there, for everyone in it', async () => {
    await ui.page.getByTestId('compose-text').fill('');
    await ui.openChat(INCIDENT_GROUP_CHAT.id);
    const reply = await ui.say('who is on call for payments-api?');
    await reply.getByTestId('card').filter({ hasText: /On call now\s+Alice Developer/ }).waitFor();
    await ui.be('alice');
    await ui.openChat(INCIDENT_GROUP_CHAT.id);
    await ui.page.locator('#messages .message:not([data-from=bot])').filter({ hasText: '@IDP bot who is on call for payments-api?' }).waitFor();
    await ui.botCards().filter({ hasText: /On call now/ }).last().waitFor();
    await ui.screenshot('group-chat-as-another-member');
    await ui.be('grace');
  });

  it('the inspector shows each activity and invoke with its JSON', async () => {
    await ui.page.getByTestId('inspector-toggle').click();
    await ui.page.getByTestId('inspector').waitFor();
    const text = await ui.inspectorText();
    expect(text).toContain('invoke adaptiveCard/action');
    expect(text).toContain('invoke composeExtension/query');
    expect(text).toContain('invoke composeExtension/queryLink');
    expect(text).toContain('"channelId": "msteams"');
    await ui.screenshot('inspector');
  });
});
