/*
 * A day's work on the staff side: a member of staff signs in, finds a
 * customer's request in the queue, claims it, writes to the customer and
 * records the outcome; the customer sees it on the tracking page and in
 * their inbox. And a role that may not see a page is told so.
 */
import type { Page } from '@playwright/test';
import { test, expect, gotoHydrated, openCard } from './fixtures';
import { fillAnswers, forms } from './forms';
import { waitForLetter } from './mail';
import { STAFF_PASSWORD } from '../staff-accounts';

test.skip(!process.env.PORTAL_E2E_MAIL_DIR, 'staff accounts exist only on a server this suite started');

async function signIn(page: Page, email: string, then = '/staff') {
  await page.goto(then);
  await expect(page).toHaveURL(/\/staff\/sign-in\?next=/);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new RegExp(`${then.replace(/[?]/g, '\\?')}$`));
}

test('an agent works an opt-out from the queue to its outcome, and the customer hears of it', async ({
  page,
  openContext,
}) => {
  // The customer asks.
  const customer = await (await openContext()).newPage();
  const spec = forms['opt-out'];
  const email = `staff-flow-${Date.now()}@example.com`;
  await gotoHydrated(customer, spec.path);
  await fillAnswers(customer, spec.answers);
  await customer.getByLabel('Email address', { exact: true }).fill(email);
  await customer.getByRole('button', { name: spec.submit }).click();
  await expect(customer.getByRole('heading', { name: 'Request received' })).toBeVisible();
  const reference = (await customer.locator('.panel .reference').innerText()).trim();
  const trackingLink = await customer.getByLabel('Your private link', { exact: true }).inputValue();

  // The agent finds it in the queue.
  await signIn(page, 'agent@example.com');
  await page.getByLabel('Search').fill(reference);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`[?&]q=${reference}`));
  const rows = page.locator('table.queue tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Unassigned');
  await rows.first().getByRole('link', { name: reference }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(reference);

  // Claims it, writes to the customer, records the outcome.
  await page.getByLabel('Assign to').selectOption('me');
  await page.getByRole('button', { name: 'Assign', exact: true }).click();
  await expect(page.getByRole('status').first()).toBeVisible();
  await expect(page.locator('main')).toContainText('Assigned to');

  const message = 'We have passed your choice to our partners <today>.';
  await openCard(page, 'message');
  await page.getByLabel('Message', { exact: true }).fill(message);
  await page.getByRole('button', { name: 'Send message' }).click();
  await expect(page.locator('main')).toContainText(message);

  // The final letter is shown before it goes, and goes once confirmed.
  await page.getByRole('button', { name: 'Preview the outcome letter' }).click();
  await expect(page.locator('#letter-preview-subject')).toContainText('Opt-out applied');
  await page.getByRole('button', { name: 'Send and close' }).click();
  await expect(page.locator('main')).toContainText('Opt-out applied');
  await expect(page.getByText('This request is finished')).toBeVisible();

  // Back in the queue, the request is no longer open.
  await page.goto(`/staff?q=${reference}`);
  await expect(page.locator('table.queue tbody tr')).toHaveCount(0);
  await page.goto(`/staff?q=${reference}&status=all`);
  await expect(page.locator('table.queue tbody tr')).toHaveCount(1);

  // The customer sees the message and the outcome, and has both letters.
  await gotoHydrated(customer, trackingLink);
  await expect(customer.locator('main')).toContainText(message);
  await expect(customer.locator('main')).toContainText('Your opt-out took effect');
  const outcome = await waitForLetter(email, /^Opt-out applied: request/);
  expect(outcome.subject).toBe(`Opt-out applied: request ${reference}`);
  const written = await waitForLetter(email, /^A message about your request/);
  expect(written.text).toContain(message);
});

test('an agent is refused the administrator\'s pages, and signing out ends the session', async ({ page }) => {
  await signIn(page, 'agent@example.com');
  const people = await page.goto('/staff/people');
  expect(people?.status()).toBe(403);
  await expect(page.locator('main')).toContainText('does not give you access');
  await expect(page.getByRole('link', { name: 'People' })).toHaveCount(0);

  await page.goto('/staff');
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/staff\/sign-in\?signed_out=1$/);
  await page.goto('/staff');
  await expect(page).toHaveURL(/\/staff\/sign-in/);
});
