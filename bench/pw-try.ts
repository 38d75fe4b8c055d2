import { chromium } from 'playwright-core';
const base = process.argv[2] ?? 'http://localhost:3990';
(async () => {
  const ctx = await chromium.launchPersistentContext('/tmp/pw-profile', { executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'], viewport: { width: 1400, height: 900 } });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  page.on('console', (m) => console.log('console:', m.type(), m.text()));
  page.on('pageerror', (e) => console.log('pageerror:', e.message));
  page.on('requestfailed', (r) => console.log('failed:', r.url()));
  const t0 = Date.now();
  await page.goto(`${base}/playground#as=alice`);
  await page.locator('body[data-ready=true][data-live=true]').waitFor();
  await page.getByTestId('compose-text').fill('who owns payments-api?');
  await page.getByTestId('send-button').click();
  await page.locator('[data-from=bot] [data-testid=card]').first().waitFor();
  console.log('first card ms', Date.now() - t0);
  await page.screenshot({ path: '/tmp/shots/who-owns.png' });
  await ctx.close();
})();
