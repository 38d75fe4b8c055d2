import { chromium } from 'playwright-core';
const base = 'http://localhost:3990';
(async () => {
  const ctx = await chromium.launchPersistentContext('/tmp/pw-profile2', { executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'], viewport: { width: 1400, height: 1000 } });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  page.on('pageerror', (e) => console.log('pageerror:', e.message));
  await page.goto(`${base}/playground#as=alice`);
  await page.locator('body[data-ready=true][data-live=true]').waitFor();
  const cards = page.locator('[data-from=bot] [data-testid=card]');
  const before = await cards.count();
  await page.getByTestId('compose-text').fill('create repo');
  await page.getByTestId('send-button').click();
  await cards.nth(before).waitFor();
  await page.screenshot({ path: '/tmp/shots/create-repo-form.png' });
  console.log(await cards.nth(before).innerText());
  console.log(await cards.nth(before).locator('input, select, textarea').evaluateAll((els) => els.map((e) => `${e.tagName} ${(e as HTMLInputElement).type} ${e.id} ${(e as HTMLInputElement).name} ${e.getAttribute('aria-label')}`)));
  await ctx.close();
})();
