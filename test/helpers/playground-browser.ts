/**
 * The playground in a real browser: Debian's chromium driven by playwright-core (never a
 * downloaded browser), flags from what was measured on these machines. `PlaygroundPage` does
 * what a person does (choose who they are, open a chat, type, click a card's button) and waits
 * for what they would see, never for a fixed time. Screenshots go to test-artifacts/browser/.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { requireTool } from './required-tools';
import { TestBot } from './bot-harness';
import { userBySlug } from '../../src/sandbox/seed/demo-org';
import { personalConversationId } from '../../src/sandbox/playground/playground-people';

export const ARTIFACTS = path.join(__dirname, '../../test-artifacts/browser');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function openBrowser(): Promise<Browser> {
  requireTool(CHROMIUM, 'the browser tests (test/browser)');
  const profile = mkdtempSync(path.join(os.tmpdir(), 'idp-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1400, height: 1000 } });
  // Nothing but this machine: a request to anywhere else fails the page, loudly.
  await context.route(/^(?!https?:\/\/(127\.0\.0\.1|localhost)[:/]).*/, (route) => route.abort('blockedbyclient'));
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export class PlaygroundPage {
  readonly errors: string[] = [];
  readonly outside: string[] = [];

  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {
    page.on('pageerror', (e) => this.errors.push(e.message));
    page.on('requestfailed', (r) => {
      if (!/^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(r.url())) this.outside.push(r.url());
    });
  }

  static async open(browser: Browser, baseUrl: string, as: string): Promise<PlaygroundPage> {
    const page = await browser.context.newPage();
    const playground = new PlaygroundPage(page, baseUrl);
    await page.goto(`${baseUrl}/playground#as=${as}`);
    await page.locator('body[data-ready=true][data-live=true]').waitFor();
    return playground;
  }

  /** Switches person with the switcher, as a demo would. */
  async be(slug: string): Promise<void> {
    await this.page.getByTestId('person-select').selectOption(userBySlug(slug).id);
    await this.page.locator(`#role-badge`).waitFor();
  }

  async openChat(conversationId: string): Promise<void> {
    await this.page.locator(`nav [data-conversation-id="${conversationId}"]`).click();
    await this.page.locator(`nav [data-conversation-id="${conversationId}"][aria-current=true]`).waitFor();
  }

  /** The person's 1:1 chat with the bot. */
  async openPersonalChat(slug: string): Promise<void> {
    await this.openChat(personalConversationId(userBySlug(slug).id));
  }

  botMessages(): Locator {
    return this.page.locator('#messages [data-from=bot]');
  }

  botCards(): Locator {
    return this.page.locator('#messages [data-from=bot] [data-testid=card]');
  }

  /** Types a line in the compose box, sends it, and returns the first bot message after it. */
  async say(text: string): Promise<Locator> {
    const before = await this.botMessages().count();
    await this.page.getByTestId('compose-text').fill(text);
    await this.page.getByTestId('send-button').click();
    const reply = this.botMessages().nth(before);
    await reply.waitFor();
    return reply;
  }

  /** A card's button by its title, within `scope` (a card or a message). */
  button(scope: Locator, title: string | RegExp): Locator {
    return scope.locator('button.ac-pushButton', { hasText: title });
  }

  async screenshot(name: string, target?: Locator): Promise<string> {
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, `${name}.png`);
    // A card the bot updates is redrawn: take it again as it is now.
    for (let attempt = 1; ; attempt++) {
      try {
        await (target ?? this.page).screenshot({ path: file });
        return file;
      } catch (e) {
        if (attempt >= 5 || !/not attached|detached/i.test(String(e))) throw e;
      }
    }
  }

  /** The inspector's entries as text (their JSON included). */
  async inspectorText(): Promise<string> {
    return this.page.getByTestId('inspector-log').evaluate((el) => el.textContent ?? '');
  }
}

export interface PlaygroundWorld {
  bot: TestBot;
  browser: Browser;
  ui: PlaygroundPage;
}

/**
 * One bot in sandbox mode and one browser for a test file, the playground opened as `as`; filled
 * in by beforeAll. At the end, the page must have raised no error and asked nothing of elsewhere.
 */
export function usePlayground(as: string): PlaygroundWorld {
  const world = {} as PlaygroundWorld;
  beforeAll(async () => {
    [world.bot, world.browser] = await Promise.all([TestBot.start(), openBrowser()]);
    world.ui = await PlaygroundPage.open(world.browser, world.bot.url, as);
  }, 60_000);
  afterAll(async () => {
    expect(world.ui?.errors).toEqual([]);
    expect(world.ui?.outside).toEqual([]);
    await world.browser?.close();
    await world.bot?.stop();
  });
  return world;
}
