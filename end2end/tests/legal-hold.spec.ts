/*
 * A legal hold, placed and lifted by a manager in a browser with
 * JavaScript off: the plain forms do it, the case says so plainly, and the
 * queue finds held requests.
 */
import type { Page } from '@playwright/test';
import { test, expect, gotoHydrated, openCard } from './fixtures';
import { fillAnswers, forms } from './forms';
import { STAFF_PASSWORD } from '../staff-accounts';

test.skip(!process.env.PORTAL_E2E_MAIL_DIR, 'staff accounts exist only on a server this suite started');

async function signIn(page: Page, email: string) {
  await page.goto('/staff');
  await expect(page).toHaveURL(/\/staff\/sign-in\?next=/);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/staff$/);
}

test('a manager puts a request on legal hold and lifts it without JavaScript', async ({ openContext }) => {
  const customer = await (await openContext()).newPage();
  const spec = forms['opt-out'];
  await gotoHydrated(customer, spec.path);
  await fillAnswers(customer, spec.answers);
  await customer.getByLabel('Email address', { exact: true }).fill(`hold-${Date.now()}@example.com`);
  await customer.getByRole('button', { name: spec.submit }).click();
  await expect(customer.getByRole('heading', { name: 'Request received' })).toBeVisible();
  const reference = (await customer.locator('.panel .reference').innerText()).trim();

  const page = await (await openContext({ javaScriptEnabled: false })).newPage();
  await signIn(page, 'manager@example.com');
  await page.goto(`/staff/requests/${reference}`);
  await expect(page.locator('#legal-hold')).toHaveText('None');

  await openCard(page, 'hold');
  await page.locator('#hold-reason').fill('Litigation hold for matter 42');
  await page.getByRole('button', { name: 'Place a legal hold' }).click();
  await expect(page.getByRole('status').first()).toContainText('Legal hold placed.');
  await expect(page.locator('#legal-hold')).toContainText('matter 42');
  await expect(page.locator('main')).toContainText('Legal hold placed');

  await page.goto('/staff?held=1');
  await expect(page.getByLabel('Only requests on legal hold')).toBeChecked();
  const rows = page.locator('table.queue tbody tr');
  await expect(rows.filter({ hasText: reference })).toHaveCount(1);
  await expect(rows.filter({ hasText: reference })).toContainText('Legal hold');

  await page.goto(`/staff/requests/${reference}`);
  await openCard(page, 'hold');
  await page.getByRole('button', { name: 'Lift the legal hold' }).click();
  await expect(page.getByRole('status').first()).toContainText('Legal hold lifted.');
  await expect(page.locator('#legal-hold')).toHaveText('None');
  await page.goto('/staff?held=1');
  await expect(page.locator('table.queue tbody tr').filter({ hasText: reference })).toHaveCount(0);
});
