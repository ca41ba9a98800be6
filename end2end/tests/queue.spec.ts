/*
 * The staff queue as the desk reads it (issue 16): its count, its folded
 * filters, a bulk action that waits for a selection, and cards on a phone.
 */
import type { Page } from '@playwright/test';
import { test, expect, waitForHydration } from './fixtures';
import { createRequest } from './forms';
import { STAFF_PASSWORD } from '../staff-accounts';

test.skip(!process.env.PORTAL_E2E_MAIL_DIR, 'staff accounts exist only on a server this suite started');

const VIEW = '/staff?unverified=1&status=all';

async function signIn(page: Page, then: string) {
  await page.goto(then);
  await page.getByLabel('Email address').fill('agent@example.com');
  await page.getByLabel('Password').fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/staff/);
}

test.describe('with JavaScript', () => {
  test('a bulk action waits for a selection', async ({ page }) => {
    await createRequest(page.request);
    await signIn(page, VIEW);
    await waitForHydration(page);
    await expect(page.locator('#queue-count')).toHaveText(/\d+ requests?/);
    const apply = page.getByRole('button', { name: 'Apply to selected' });
    await expect(apply).toBeDisabled();
    await page.locator('input[name=selected]').first().check();
    await expect(apply).toBeEnabled();
    await expect(page.getByText('1 selected')).toBeVisible();
    await page.locator('input[name=selected]').first().uncheck();
    await expect(apply).toBeDisabled();
  });

  test('the filters fold into one line until a filter is set', async ({ page }) => {
    await signIn(page, '/staff');
    const filters = page.locator('details.more-filters');
    await expect(filters).not.toHaveAttribute('open', /.*/);
    await expect(filters.locator('summary')).toContainText('Open');
    await page.goto('/staff?kind=complaint');
    await expect(page.locator('details.more-filters')).toHaveAttribute('open', /.*/);
    await expect(page.locator('details.more-filters summary')).toContainText('Complaint');
  });
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 375, height: 800 } });

  test('the queue is a list of cards that never scrolls sideways', async ({ page }) => {
    await createRequest(page.request);
    await signIn(page, VIEW);
    const card = page.locator('table.queue tbody tr').first();
    await expect(card).toBeVisible();
    await expect(card.locator('td[data-label="Status"]')).toBeVisible();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, 'no sideways scroll').toBeLessThanOrEqual(375);
    const box = await card.boundingBox();
    expect(box!.width, 'a card fits the screen').toBeLessThanOrEqual(375);
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the bulk button works and dates the wrong way round are explained', async ({ page }) => {
    await createRequest(page.request);
    await signIn(page, VIEW);
    await expect(page.getByRole('button', { name: 'Apply to selected' })).toBeEnabled();
    await page.goto('/staff?from=2026-03-01&to=2026-02-01');
    await expect(page.locator('#filter-dates-error')).toContainText('after');
    await page.getByRole('link', { name: 'Swap the dates' }).click();
    await expect(page).toHaveURL(/from=2026-02-01&to=2026-03-01/);
    await expect(page.locator('#filter-dates-error')).toHaveCount(0);
  });
});
