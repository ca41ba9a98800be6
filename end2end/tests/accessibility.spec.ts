/*
 * Automated accessibility checks with axe-core: no serious or critical
 * violations on any page a customer can reach, including a form showing
 * errors and a tracking page. This does not replace testing with a screen
 * reader; it catches what a machine can.
 */
import { test, expect, expectNoSeriousViolations, gotoHydrated, waitForHydration } from './fixtures';
import { createRequest, forms } from './forms';

for (const path of ['/', '/opt-out', '/amendment', '/complaint']) {
  test(`${path} has no serious accessibility violations`, async ({ page }) => {
    await gotoHydrated(page, path);
    await expectNoSeriousViolations(page, path);
  });
}

test('a form showing errors has no serious accessibility violations', async ({ page }) => {
  const spec = forms['opt-out'];
  await gotoHydrated(page, spec.path);
  await page.getByRole('button', { name: spec.submit }).click();
  await expect(page.locator('.error-summary')).toBeVisible();
  await expectNoSeriousViolations(page, 'the opt-out form with errors');
});

test('a form sent back by the server with errors has no serious accessibility violations', async ({ page }) => {
  const spec = forms.complaint;
  await gotoHydrated(page, spec.path);
  // Posted as a browser without JavaScript would (axe itself needs
  // JavaScript), so that the server sends the page back with its errors.
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.locator('form').evaluate((form: HTMLFormElement) => form.submit()),
  ]);
  expect(response.status()).toBe(422);
  await waitForHydration(page);
  await expect(page.locator('.error-summary')).toBeVisible();
  await expectNoSeriousViolations(page, 'the complaint form sent back with errors');
});

test('the receipt and the tracking page have no serious accessibility violations', async ({ page, request }) => {
  const receipt = await createRequest(request, forms['opt-out']);
  await gotoHydrated(page, receipt);
  await expect(page.getByRole('heading', { name: 'Request received' })).toBeVisible();
  await expectNoSeriousViolations(page, 'the receipt');

  await gotoHydrated(page, receipt.replace(/\?new=1$/, ''));
  await expect(page.getByRole('heading', { level: 1, name: 'Your request' })).toBeVisible();
  await expectNoSeriousViolations(page, 'the tracking page');
});

test('the unknown-link page has no serious accessibility violations', async ({ page }) => {
  await gotoHydrated(page, '/track/not-a-real-token');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expectNoSeriousViolations(page, 'the unknown tracking link page');
});
