/*
 * The case page as the desk works it (issue 16): the actions are one
 * compact panel of cards, folded unless a case usually needs them next; a
 * change lands back on the card it was made from, with its confirmation
 * there; the customer's phone number dials with a tap; and the reference
 * and the private link copy with one press once scripts run.
 */
import type { Page } from '@playwright/test';
import { test, expect, waitForHydration, openCard } from './fixtures';
import { createRequest, forms } from './forms';
import { STAFF_PASSWORD } from '../staff-accounts';

test.skip(!process.env.PORTAL_E2E_MAIL_DIR, 'staff accounts exist only on a server this suite started');

async function signIn(page: Page, then: string) {
  await page.goto(then);
  await page.getByLabel('Email address').fill('agent@example.com');
  await page.getByLabel('Password').fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/staff/);
}

async function referenceOf(page: Page, receipt: string) {
  await page.goto(receipt);
  return (await page.locator('.panel .reference').first().innerText()).trim();
}

const isOpen = (page: Page, card: string) =>
  page.locator(`#card-${card}`).evaluate((element) => (element as HTMLDetailsElement).open);

for (const width of [1280, 375]) {
  for (const javaScriptEnabled of [true, false]) {
    test.describe(`at ${width} px, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
      test.use({ viewport: { width, height: 900 }, javaScriptEnabled });

      test('the actions fold into one panel and a change lands back on its card', async ({ page }) => {
        const reference = await referenceOf(page, await createRequest(page.request, forms.amendment));
        await signIn(page, `/staff/requests/${reference}`);

        // What most cases need next is open; the rest is one line each.
        expect(await isOpen(page, 'assign')).toBe(true);
        expect(await isOpen(page, 'status')).toBe(true);
        for (const folded of ['note', 'message', 'extend']) {
          expect(await isOpen(page, folded), `${folded} starts folded`).toBe(false);
          await expect(page.locator(`#card-${folded} summary`)).toBeVisible();
        }
        await expect(page.locator('#note-body')).toBeHidden();

        // On a phone the actions follow the conversation, one tap away.
        const jump = page.getByRole('link', { name: 'Go to the actions' });
        if (page.viewportSize()!.width < 960) {
          await jump.click();
          await expect(page).toHaveURL(/#actions$/);
          await expect(page.locator('#actions .action-card').first()).toBeInViewport();
        } else {
          await expect(jump, 'beside the case on a desk').toBeHidden();
        }

        // The phone number the customer gave dials with a tap.
        await expect(page.getByRole('link', { name: '(555) 987-6543' })).toHaveAttribute('href', 'tel:5559876543');

        await openCard(page, 'note');
        await page.locator('#note-body').fill('Called the insurer; waiting for their answer.');
        await page.getByRole('button', { name: 'Add note' }).click();

        // Back where the person was: the note's card, open, confirming it.
        await expect(page).toHaveURL(new RegExp(`/staff/requests/${reference}\\?done=note#card-note$`));
        expect(await isOpen(page, 'note')).toBe(true);
        await expect(page.locator('#card-note [role=status]')).toHaveText('Note added.');
        // In the conversation, marked as a note the customer never sees,
        // after the request it is about.
        const note = page.locator('ol.conversation > li.said.note');
        await expect(note).toContainText('Called the insurer; waiting for their answer.');
        await expect(note.locator('.badge')).toHaveText('Internal note');
        await expect(page.locator('ol.conversation > li').first()).toContainText('The customer sent the request');
        await expect(page.locator('ol.conversation > li').last()).toContainText('Called the insurer');
        expect(await isOpen(page, 'message'), 'other cards stay folded').toBe(false);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(width, 'no sideways scroll').toBeLessThanOrEqual(page.viewportSize()!.width);
      });

      test('a refused form opens its card with what was typed', async ({ page }) => {
        const reference = await referenceOf(page, await createRequest(page.request, forms.amendment));
        await signIn(page, `/staff/requests/${reference}`);
        await openCard(page, 'message');
        await page.getByLabel('Message', { exact: true }).fill('   ');
        // The browser's own check would stop an empty message; a form of
        // spaces reaches the server, which refuses it.
        await page.getByRole('button', { name: 'Send message' }).click();
        expect(await isOpen(page, 'message')).toBe(true);
        await expect(page.locator('#card-message [role=alert]')).toBeVisible();
      });
    });
  }
}

test.describe('copy buttons', () => {
  test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

  test('the reference and the private link copy with one press', async ({ page }) => {
    const receipt = await createRequest(page.request, forms.complaint);
    await page.goto(receipt);
    await waitForHydration(page);
    const reference = (await page.locator('.panel .reference').first().innerText()).trim();

    await page.getByRole('button', { name: 'Copy your private link' }).click();
    await expect(page.getByRole('button', { name: 'Copied your private link' })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
      await page.locator('#tracking-link').inputValue(),
    );
    await page.getByRole('button', { name: 'Copy your reference number' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(reference);

    await signIn(page, `/staff/requests/${reference}`);
    await waitForHydration(page);
    await page.getByRole('button', { name: 'Copy the reference' }).click();
    await expect(page.getByRole('button', { name: 'Copied the reference' })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(reference);
  });

  test.describe('without JavaScript', () => {
    test.use({ javaScriptEnabled: false });

    test('no button is offered that cannot work', async ({ page }) => {
      await page.goto(await createRequest(page.request, forms.complaint));
      await expect(page.locator('#tracking-link')).toBeVisible();
      await expect(page.locator('.copy-button')).toHaveCount(2);
      await expect(page.locator('.copy-button').first()).toBeHidden();
      await expect(page.locator('.copy-button').last()).toBeHidden();
    });
  });
});
