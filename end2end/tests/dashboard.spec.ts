/*
 * The managers' dashboard: a manager opens it, narrows the period, reads a
 * bar's figures by pointing at it, and takes the requests away as CSV; it
 * passes the automated accessibility checks and fits a phone. An agent is
 * refused it.
 */
import fs from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect, gotoHydrated, waitForHydration } from './fixtures';
import { createRequest } from './forms';
import { STAFF_PASSWORD } from '../staff-accounts';

test.skip(!process.env.PORTAL_E2E_MAIL_DIR, 'staff accounts exist only on a server this suite started');

async function signIn(page: Page, email: string, then: string) {
  await page.goto(then);
  await expect(page).toHaveURL(/\/staff\/sign-in\?next=/);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new RegExp(`${then.replace(/[?]/g, '\\?')}$`));
}

test('a manager reads the dashboard, changes the period and downloads the requests', async ({ page, request }) => {
  // Something to count: a complaint received today.
  await createRequest(request);
  await signIn(page, 'manager@example.com', '/staff/dashboard');
  await waitForHydration(page);
  await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Dashboard', exact: true })).toBeVisible();
  await expect(page.locator('#dashboard-scope')).toContainText('all kinds of request');
  const received = page.getByRole('img', { name: /requests received per day/ });
  await expect(received).toBeVisible();
  const receivedCount = Number(await page.locator('.key-figures dd').first().textContent());
  expect(receivedCount).toBeGreaterThanOrEqual(1);

  // Pointing at a bar tells its figures (a native tooltip does without JavaScript).
  await page.locator('#received-title ~ .chart .bar').last().hover();
  await expect(page.locator('#received-title ~ .chart .chart-readout')).toContainText('received');

  // The same figures are in a table for screen readers.
  await page.locator('#received-title ~ details summary').click();
  await expect(page.getByRole('table', { name: 'Requests received' })).toBeVisible();

  await page.getByLabel('Period', { exact: true }).selectOption({ label: 'Last 7 days' });
  await page.getByLabel('Kind of request', { exact: true }).selectOption({ label: 'Complaints' });
  await page.getByRole('button', { name: 'Show', exact: true }).click();
  await expect(page).toHaveURL(/range=7d/);
  await expect(page).toHaveURL(/kind=complaint/);
  await expect(page.locator('#dashboard-scope')).toContainText('Complaints');
  await expect(page.getByLabel('Period', { exact: true })).toHaveValue('7d');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download these requests (CSV)' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^requests-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = fs.readFileSync((await download.path())!, 'utf8').trim().split('\n');
  expect(csv[0]).toBe(
    'Reference,Kind,Status,Channel,Received,Due,Resolved,Outcome,Assigned to,Kind code,Status code,Channel code,Outcome code',
  );
  expect(csv.length).toBeGreaterThan(1);
  for (const line of csv.slice(1)) expect(line).toMatch(/^PR-[A-Z0-9]{4}-[A-Z0-9]{4},Complaint,.*,complaint,[a-z_]+,[a-z_]+,[a-z_]*$/);
});

test('the dashboard passes the accessibility checks and fits a phone', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await signIn(page, 'admin@example.com', '/staff/dashboard?range=year');
  await waitForHydration(page);
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  const sizes = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(sizes.scrollWidth).toBeLessThanOrEqual(sizes.clientWidth);

  await gotoHydrated(page, '/staff/disclosure');
  await expect(page.getByRole('heading', { name: /Request metrics for \d{4}/ })).toBeVisible();
});

test('an agent is refused the dashboard', async ({ page }) => {
  await signIn(page, 'agent@example.com', '/staff');
  await expect(page.getByRole('link', { name: 'Dashboard', exact: true })).toHaveCount(0);
  const refused = await page.goto('/staff/dashboard');
  expect(refused?.status()).toBe(403);
  await expect(page.locator('main')).toContainText('does not give you access');
  const csv = await page.request.get('/staff/dashboard/requests.csv');
  expect(csv.status()).toBe(403);
});
