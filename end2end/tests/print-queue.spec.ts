/*
 * A letter from someone with no email address (issue 16), with JavaScript
 * on and off, at desk and phone widths: staff enter it answered by post, the
 * case says so, its receipt waits in the print queue with the postal
 * address, and leaves it once marked printed.
 */
import type { Page } from '@playwright/test';
import { test, expect, waitForHydration } from './fixtures';
import { STAFF_PASSWORD } from '../staff-accounts';

test.skip(!process.env.PORTAL_E2E_MAIL_DIR, 'staff accounts exist only on a server this suite started');

async function signIn(page: Page, then: string) {
  await page.goto(then);
  await page.getByLabel('Email address').fill('agent@example.com');
  await page.getByLabel('Password').fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new RegExp(then.replace(/[?]/g, '\\?')));
}

for (const width of [1280, 375]) {
  for (const javaScriptEnabled of [true, false]) {
    test(`a mailed complaint without an email address is answered through the print queue (${width} px, JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async ({
      openContext,
    }) => {
      const context = await openContext({ viewport: { width, height: 900 }, javaScriptEnabled });
      const page = await context.newPage();
      const run = `${width}-${javaScriptEnabled ? 'js' : 'nojs'}-${Date.now()}`;
      const street = `${run} Navy Yard`;
      await signIn(page, '/staff/new/complaint');
      if (javaScriptEnabled) await waitForHydration(page);

      await page.getByLabel('Received by').selectOption('mail');
      await page.getByLabel('Answer by').selectOption('post');
      await page.getByLabel('Full name').fill('Grace <b>Hopper</b>');
      await page.getByLabel('Postal address').fill(`${street}\nArlington VA 22202`);
      await page.getByLabel('Unwanted marketing contact').check();
      await page.getByLabel('When did it happen?').fill('2026-10-01');
      await page.getByLabel('What happened').fill('I opted out and was still called twice.');
      await page.getByRole('button', { name: 'Record the request' }).click();

      await expect(page.getByRole('heading', { level: 1 })).toContainText('PR-');
      const reference = (await page.locator('h1 .reference').innerText()).trim();
      await expect(page.locator('#by-post')).toContainText('Answered by post');

      await page.locator('#by-post').getByRole('link', { name: 'the print queue' }).click();
      await expect(page.getByRole('heading', { name: 'Letters to print' })).toBeVisible();
      const letter = page.locator('.print-letter').filter({ hasText: reference });
      await expect(letter).toHaveCount(1);
      await expect(letter.locator('address')).toContainText(street);
      await expect(letter).toContainText('Grace <b>Hopper</b>');
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(scroll, 'no sideways scroll').toBeLessThanOrEqual(width);

      await letter.getByRole('button', { name: /Mark printed/ }).click();
      await expect(page.getByRole('status').first()).toContainText('Marked printed');
      await expect(page.locator('.print-letter').filter({ hasText: reference })).toHaveCount(0);
    });
  }
}
