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

test('a browser without the signal sees no notice', async ({ page }) => {
  await gotoHydrated(page, spec.path);
  await expect(page.getByRole('heading', { level: 1, name: spec.heading })).toBeVisible();
  await expect(page.locator('#gpc-notice')).toHaveCount(0);
  await expect(page.getByText("Your browser's privacy signal was detected")).toHaveCount(0);
});

test('only the exact value 1 is a signal', async ({ openContext }) => {
  const page = await (await openContext({ extraHTTPHeaders: { 'Sec-GPC': '0' } })).newPage();
  await page.goto(spec.path);
  await expect(page.getByRole('heading', { level: 1, name: spec.heading })).toBeVisible();
  await expect(page.locator('#gpc-notice')).toHaveCount(0);
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
