/*
 * Global Privacy Control: a browser that sends `Sec-GPC: 1` is told on the
 * opt-out page that its signal was seen; the portal says it honours GPC at
 * /.well-known/gpc.json.
 */
import { test, expect, gotoHydrated } from './fixtures';
import { fillAnswers, forms } from './forms';

const spec = forms['opt-out'];

test('a browser sending the GPC signal is told it was detected', async ({ openContext }) => {
  const page = await (await openContext({ extraHTTPHeaders: { 'Sec-GPC': '1' } })).newPage();
  await gotoHydrated(page, spec.path);
  const notice = page.locator('#gpc-notice');
  await expect(notice).toBeVisible();
  await expect(notice).toHaveAttribute('role', 'status');
  await expect(notice.getByRole('heading')).toHaveText("Your browser's privacy signal was detected");
  await expect(notice).toContainText('Global Privacy Control');

  // The form still works, and the notice stays once the page is interactive.
  await fillAnswers(page, spec.answers);
  await expect(notice).toBeVisible();
  await page.getByRole('button', { name: spec.submit }).click();
  await expect(page.getByRole('heading', { name: 'Request received' })).toBeVisible();
});

test('a browser sending the signal also sees the notice when it arrives from a link on the site', async ({
  openContext,
}) => {
  // A browser with GPC switched on sends the header with every request and
  // says so to scripts too.
  const context = await openContext({ extraHTTPHeaders: { 'Sec-GPC': '1' } });
  await context.addInitScript(() =>
    Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true }),
  );
  const page = await context.newPage();
  for (const link of [
    page.locator('main').getByRole('link', { name: 'Opt out of sharing' }),
    page.getByRole('navigation', { name: 'Privacy requests' }).getByRole('link', { name: 'Opt out of sharing' }),
  ]) {
    await gotoHydrated(page, '/');
    await link.click();
    await expect(page).toHaveURL(spec.path);
    await expect(page.getByRole('heading', { level: 1, name: spec.heading })).toBeVisible();
    await expect(page.locator('#gpc-notice')).toBeVisible();
  }
});

test('a browser without the signal sees no notice', async ({ page }) => {
  await gotoHydrated(page, spec.path);
  await expect(page.getByRole('heading', { level: 1, name: spec.heading })).toBeVisible();
  await expect(page.locator('#gpc-notice')).toHaveCount(0);
  await expect(page.getByText("Your browser's privacy signal was detected")).toHaveCount(0);
});

test('only the exact value 1 is a signal', async ({ request }) => {
  // Straight HTTP: Chromium refuses to send page resources with other values.
  for (const [value, notice] of [['1', true], ['0', false], ['true', false], ['11', false]] as const) {
    const response = await request.get(spec.path, { headers: { 'Sec-GPC': value } });
    expect(response.status()).toBe(200);
    const html = await response.text();
    expect(html.includes('id="gpc-notice"'), `Sec-GPC: ${JSON.stringify(value)}`).toBe(notice);
  }
});

test('other pages do not mention the signal', async ({ openContext }) => {
  const page = await (await openContext({ extraHTTPHeaders: { 'Sec-GPC': '1' } })).newPage();
  for (const path of ['/', '/amendment', '/complaint']) {
    await page.goto(path);
    await expect(page.locator('main h1')).toBeVisible();
    await expect(page.locator('#gpc-notice')).toHaveCount(0);
  }
});

test('the well-known GPC document says the site honours the signal', async ({ request }) => {
  const response = await request.get('/.well-known/gpc.json');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toMatch(/^application\/json/);
  const body = await response.json();
  expect(body).toEqual({ gpc: true, lastUpdate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
  expect(Number.isNaN(Date.parse(body.lastUpdate))).toBe(false);
});
