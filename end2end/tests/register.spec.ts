/*
 * The opt-out register, at desktop and phone widths, with and without
 * JavaScript: staff find a person by email, open their history and record a
 * revocation asked for by phone; a customer revokes their own opt-out from
 * the tracking page, and only the button behind the emailed link does it.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { test, expect, gotoHydrated } from './fixtures';
import { fillAnswers, forms } from './forms';
import { linkIn, waitForLetter } from './mail';
import { STAFF_PASSWORD } from '../staff-accounts';

test.skip(!process.env.PORTAL_E2E_MAIL_DIR, 'staff accounts and letters exist only on a server this suite started');

async function signIn(page: Page, email: string) {
  await page.goto('/staff');
  await expect(page).toHaveURL(/\/staff\/sign-in\?next=/);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/staff$/);
}

/** A customer's opt-out, sent through the form; its tracking path and reference. */
async function optOut(context: BrowserContext, email: string) {
  const page = await context.newPage();
  const spec = forms['opt-out'];
  await gotoHydrated(page, spec.path);
  await fillAnswers(page, spec.answers);
  await page.getByLabel('Email address', { exact: true }).fill(email);
  await page.getByRole('button', { name: spec.submit }).click();
  await expect(page.getByRole('heading', { name: 'Request received' })).toBeVisible();
  const reference = (await page.locator('.panel .reference').innerText()).trim();
  const tracking = new URL(page.url()).pathname;
  return { page, reference, tracking };
}

/** An agent applies the opt-out from today, on the case page. */
async function apply(staff: Page, reference: string) {
  await staff.goto(`/staff/requests/${reference}`);
  await staff.getByRole('button', { name: 'Start work' }).click();
  await expect(staff.getByRole('status').first()).toContainText('Status changed.');
  await staff.getByRole('button', { name: 'Preview the outcome letter' }).click();
  await staff.getByRole('button', { name: 'Send and close' }).click();
  await expect(staff.getByRole('status').first()).toContainText('Status changed.');
}

for (const width of [1280, 375]) {
  for (const javaScript of [true, false]) {
    const how = `${width} px, JavaScript ${javaScript ? 'on' : 'off'}`;

    test(`staff find a person in the register and record a revocation (${how})`, async ({ openContext }) => {
      const email = `register-${width}-${javaScript}-${Date.now()}@example.com`;
      const { reference } = await optOut(await openContext(), email);
      const staff = await (
        await openContext({ javaScriptEnabled: javaScript, viewport: { width, height: 900 } })
      ).newPage();
      await signIn(staff, 'agent@example.com');
      await apply(staff, reference);
      await expect(staff.locator('#register-link')).toBeVisible();

      await staff.getByRole('navigation', { name: 'Staff' }).getByRole('link', { name: 'Opt-out register' }).click();
      await expect(staff.getByRole('heading', { level: 1, name: 'Opt-out register' })).toBeVisible();
      await staff.getByRole('searchbox', { name: 'Search' }).fill(email);
      await staff.getByRole('button', { name: 'Search' }).click();
      await expect(staff).toHaveURL(/q=register-/);
      const rows = staff.locator('table.data tbody tr');
      await expect(rows).toHaveCount(1);
      await expect(rows.first()).toContainText('Opt-out in effect');
      await expect(rows.first()).toContainText('Web form');
      await rows.first().getByRole('link', { name: 'Ada Lovelace' }).click();

      await expect(staff.getByRole('heading', { level: 1, name: 'Ada Lovelace' })).toBeVisible();
      await expect(staff.locator('main')).toContainText(email);
      await staff.getByLabel('How the customer asked').selectOption('phone');
      await staff.getByLabel('Reason').fill('Rang to say the offers are welcome again');
      await staff.getByRole('button', { name: 'Record the revocation' }).click();
      await expect(staff.getByRole('status').first()).toContainText('Revocation recorded.');
      await expect(staff.locator('#nothing-standing')).toBeVisible();
      await expect(staff.locator('table.data tbody tr')).toHaveCount(2);
      await expect(staff.locator('table.data')).toContainText('Rang to say the offers are welcome again');

      const sizes = await staff.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        screen: document.documentElement.clientWidth,
      }));
      expect(sizes.page, 'nothing is wider than the screen').toBeLessThanOrEqual(sizes.screen);
    });

    test(`a customer revokes their opt-out from the tracking page (${how})`, async ({ openContext }) => {
      const email = `revoke-${width}-${javaScript}-${Date.now()}@example.com`;
      const customerContext = await openContext({ javaScriptEnabled: javaScript, viewport: { width, height: 900 } });
      const { page, reference, tracking } = await optOut(await openContext(), email);
      await page.close();
      const staff = await (await openContext()).newPage();
      await signIn(staff, 'agent@example.com');
      await apply(staff, reference);

      const customer = await customerContext.newPage();
      await customer.goto(tracking);
      const revoke = customer.locator('#revoke-opt-out');
      await expect(revoke).toBeVisible();
      await revoke.getByRole('button', { name: 'Revoke my opt-out' }).click();
      await expect(customer.getByRole('status').filter({ hasText: 'We have emailed you a link to confirm' })).toBeVisible();

      const letter = await waitForLetter(email, /revoke your opt-out/);
      const link = new URL(linkIn(letter, '/revoke/'), 'http://portal.invalid').pathname;
      await customer.goto(link);
      await expect(customer.getByRole('heading', { level: 1, name: 'Revoke your opt-out' })).toBeVisible();
      await customer.goto(tracking);
      await expect(customer.locator('#revoke-opt-out'), 'opening the link changed nothing').toBeVisible();

      await customer.goto(link);
      await customer.getByRole('button', { name: 'Revoke my opt-out' }).click();
      await expect(customer.getByRole('heading', { name: 'Your opt-out is revoked' })).toBeVisible();
      await customer.goto(tracking);
      await expect(customer.locator('#opt-out-revoked')).toContainText('Your opt-out was revoked on');
      await expect(customer.locator('#revoke-opt-out')).toHaveCount(0);
      await expect(customer.locator('main')).toContainText('Your opt-out was revoked');
    });
  }
}

test('a request sent with the privacy signal says the opt-out request was honored', async ({ openContext }) => {
  const context = await openContext({ extraHTTPHeaders: { 'Sec-GPC': '1' } });
  const { page, tracking } = await optOut(context, `gpc-${Date.now()}@example.com`);
  await page.goto(forms['opt-out'].path);
  await expect(page.locator('#gpc-honored')).toHaveText('Opt-out request honored');
  await page.goto(tracking);
  await expect(page.locator('#gpc-honored')).toContainText('Opt-out request honored');
});
