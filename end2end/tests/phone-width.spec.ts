/*
 * On a phone (375 x 740 CSS pixels) nothing is wider than the screen: no
 * sideways scrolling to read a page or reach a field.
 */
import type { Page } from '@playwright/test';
import { test, expect, gotoHydrated } from './fixtures';
import { createRequest, forms } from './forms';

test.use({ viewport: { width: 375, height: 740 } });

async function expectNoSidewaysScroll(page: Page) {
  const sizes = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    wider: [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className ? '.' + String(e.className).split(' ').join('.') : ''}`),
  }));
  expect(sizes.clientWidth).toBe(375);
  expect(sizes.scrollWidth, `page is wider than the screen; too wide: ${sizes.wider.join(', ')}`).toBeLessThanOrEqual(
    sizes.clientWidth,
  );
}

test('the opt-out page fits a phone screen', async ({ page }) => {
  await gotoHydrated(page, '/opt-out');
  await expect(page.getByRole('button', { name: forms['opt-out'].submit })).toBeVisible();
  await expectNoSidewaysScroll(page);
});

test('the opt-out page with errors and the GPC notice fits a phone screen', async ({ openContext }) => {
  const context = await openContext({
    viewport: { width: 375, height: 740 },
    extraHTTPHeaders: { 'Sec-GPC': '1' },
  });
  const page = await context.newPage();
  await gotoHydrated(page, '/opt-out');
  await expect(page.locator('#gpc-notice')).toBeVisible();
  await page.getByRole('button', { name: forms['opt-out'].submit }).click();
  await expect(page.locator('.error-summary')).toBeVisible();
  await expectNoSidewaysScroll(page);
});

for (const path of ['/', '/amendment', '/complaint']) {
  test(`${path} fits a phone screen`, async ({ page }) => {
    await gotoHydrated(page, path);
    await expectNoSidewaysScroll(page);
  });
}

test('the receipt and tracking page fit a phone screen', async ({ page, request }) => {
  const receipt = await createRequest(request);
  await gotoHydrated(page, receipt);
  await expect(page.getByRole('heading', { name: 'Request received' })).toBeVisible();
  await expectNoSidewaysScroll(page);
  await gotoHydrated(page, receipt.replace(/\?new=1$/, ''));
  await expectNoSidewaysScroll(page);
});
