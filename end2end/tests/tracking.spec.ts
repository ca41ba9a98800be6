/*
 * The private tracking link: an unknown or mistyped link says so (404)
 * without revealing anything; addresses that match nothing get a 404 page.
 */
import { test, expect, waitForHydration } from './fixtures';
import { createRequest, site } from './forms';

const unknownTokens = {
  'a malformed token': 'not-a-real-token',
  // The right shape (43 URL-safe characters), but never issued.
  'a well-formed token that was never issued': 'A'.repeat(43),
};

for (const [what, token] of Object.entries(unknownTokens)) {
  test(`a tracking link with ${what} says the request cannot be found, with 404`, async ({ page }) => {
    const response = await page.goto(`/track/${token}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1, name: 'We could not find a request at this link' })).toBeVisible();
    await expect(page.locator('main')).toContainText('copied the whole link');
    await expect(page.locator('main')).toContainText(site.privacyPhone);
    await expect(page.locator('dl.facts')).toHaveCount(0);
    await expect(page.locator('.reference')).toHaveCount(0);

    // The message stays once the page is interactive.
    await waitForHydration(page);
    await expect(page.getByRole('heading', { level: 1, name: 'We could not find a request at this link' })).toBeVisible();
  });
}

test('a link that differs by one character from a real one finds nothing', async ({ page, request }) => {
  const path = (await createRequest(request)).replace(/\?new=1$/, '');
  const last = path.at(-1) === 'A' ? 'B' : 'A';
  const response = await page.goto(path.slice(0, -1) + last);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1, name: 'We could not find a request at this link' })).toBeVisible();
});

test('an address that matches no page gets "Page not found" with 404', async ({ page }) => {
  const response = await page.goto('/no-such-page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  await waitForHydration(page);
  await page.getByRole('link', { name: 'Go to your privacy choices' }).click();
  await expect(page).toHaveURL('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Your privacy choices' })).toBeVisible();
});
