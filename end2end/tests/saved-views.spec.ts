/*
 * A person at the desk saves a view of the queue for themselves (issue 16):
 * filters the queue, saves it as "Due this week", finds it among the views,
 * opens it and removes it again. With JavaScript on and off; each run as a
 * person of its own, so the two never see each other's views.
 */
import type { Page } from '@playwright/test';
import { test, expect, waitForHydration } from './fixtures';
import { STAFF_PASSWORD } from '../staff-accounts';

test.skip(!process.env.PORTAL_E2E_MAIL_DIR, 'staff accounts exist only on a server this suite started');

async function signIn(page: Page, email: string, javaScript: boolean) {
  await page.goto('/staff');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/staff$/);
  if (javaScript) await waitForHydration(page);
}

for (const [javaScript, email] of [
  [true, 'agent@example.com'],
  [false, 'manager@example.com'],
] as const) {
  test(`a view is saved, opened and removed (JavaScript ${javaScript ? 'on' : 'off'})`, async ({ openContext }) => {
    const page = await (await openContext({ javaScriptEnabled: javaScript })).newPage();
    await signIn(page, email, javaScript);
    const views = page.getByRole('navigation', { name: 'Views of the queue' });

    // Filter the queue: my requests, due soon.
    await page.locator('details.more-filters summary').click();
    await page.getByLabel('Assigned to').selectOption('me');
    await page.getByLabel('Due', { exact: true }).selectOption('soon');
    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    await expect(page).toHaveURL(/assignee=me/);
    if (javaScript) await waitForHydration(page);

    await page.getByLabel('Save this view as').fill('Due this week');
    await page.getByRole('button', { name: 'Save this view' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'View saved' })).toBeVisible();
    const saved = views.getByRole('link', { name: 'Due this week' });
    await expect(saved).toHaveAttribute('aria-current', 'page');
    await expect(page.getByLabel('Save this view as')).toHaveCount(0);

    // From another view, one click opens it again.
    await views.getByRole('link', { name: 'All open' }).click();
    await expect(saved).not.toHaveAttribute('aria-current', 'page');
    await saved.click();
    await expect(page).toHaveURL(/assignee=me&due=soon/);
    await expect(saved).toHaveAttribute('aria-current', 'page');
    if (javaScript) await waitForHydration(page);

    await views.getByRole('button', { name: 'Remove Due this week' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'View removed' })).toBeVisible();
    await expect(views.getByRole('link', { name: 'Due this week' })).toHaveCount(0);
    await expect(page.getByLabel('Save this view as')).toBeVisible();
  });
}
