/*
 * A final letter is seen before it goes (issue 16): a member of staff finds
 * an amendment in the queue, works it to a denial, sees the denial letter
 * exactly as the customer will receive it, and only then sends it; the
 * customer's letter is the one previewed. With JavaScript on and off, at a
 * desk's width and a phone's.
 */
import type { Page } from '@playwright/test';
import { test, expect, waitForHydration } from './fixtures';
import { formData, forms } from './forms';
import { lettersTo, waitForLetter } from './mail';
import { STAFF_PASSWORD } from '../staff-accounts';

test.skip(!process.env.PORTAL_E2E_MAIL_DIR, 'staff accounts exist only on a server this suite started');

const explanation = 'Your insurer’s records and ours both show member number 1234 <as sent>.';

/** Words as a reader takes them: one space between them. */
const words = (text: string) => text.replace(/\s+/g, ' ').trim();

async function signIn(page: Page, javaScript: boolean) {
  await page.goto('/staff');
  await page.getByLabel('Email address').fill('agent@example.com');
  await page.getByLabel('Password').fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/staff$/);
  if (javaScript) await waitForHydration(page);
}

/** Nothing on the page is wider than the screen. */
async function fitsTheScreen(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

for (const width of [1280, 375]) {
  for (const javaScript of [true, false]) {
    const how = `${width} px, JavaScript ${javaScript ? 'on' : 'off'}`;
    test(`a denial is previewed, confirmed and received as previewed (${how})`, async ({ openContext, request }) => {
      const email = `denial-${width}-${javaScript}-${Date.now()}@example.com`;
      const submitted = await request.post(forms.amendment.path, {
        form: formData(forms.amendment.answers, { email }),
        maxRedirects: 0,
      });
      expect(submitted.status()).toBe(303);
      await waitForLetter(email, /We received your request/);

      const page = await (await openContext({ javaScriptEnabled: javaScript, viewport: { width, height: 900 } })).newPage();
      const tracking = submitted.headers()['location'];
      await page.goto(tracking);
      const reference = (await page.locator('.panel .reference').first().innerText()).trim();

      // From the queue to the case.
      await signIn(page, javaScript);
      await page.goto(`/staff?q=${reference}&unverified=on`);
      await page.getByRole('link', { name: reference }).first().click();
      await expect(page.getByRole('heading', { level: 1 })).toContainText(reference);
      await page.getByRole('button', { name: 'Mark identity verified' }).click();
      await expect(page.getByRole('status').first()).toContainText('Status changed.');
      await page.getByRole('button', { name: 'Start work' }).click();
      await expect(page.getByRole('status').first()).toContainText('Status changed.');
      if (javaScript) await waitForHydration(page);

      // The denial, typed where the form says the customer will read it.
      await page.getByLabel('Outcome').selectOption('denied');
      await page.getByLabel('Ground for denial').selectOption('accurate_and_complete');
      await expect(page.locator('#resolve-explanation-hint')).toContainText('The customer will read this');
      await page.getByLabel('Explanation for the customer').fill(explanation);
      await page.getByRole('button', { name: 'Preview the outcome letter' }).click();

      // The preview: nothing sent, everything typed still there.
      const preview = page.locator('#letter-preview');
      await expect(preview.getByRole('heading', { name: 'The letter the customer will receive' })).toBeVisible();
      await expect(page.locator('#letter-preview-subject')).toHaveText(`Amendment denied: request ${reference}`);
      const shownText = await page.locator('#letter-preview-text').innerText();
      expect(shownText).toContain(explanation);
      expect(shownText).toContain('statement');
      const frame = page.frameLocator('#letter-preview-html');
      await expect(frame.locator('body')).toContainText(explanation);
      await expect(frame.locator('body')).toContainText('Health and Human Services');
      await expect(page.getByLabel('Explanation for the customer')).toHaveValue(explanation);
      await expect(page.getByLabel('Ground for denial')).toHaveValue('accurate_and_complete');
      expect(lettersTo(email, /Amendment denied/)).toHaveLength(0);
      if (width === 375) await fitsTheScreen(page);

      // Confirmed: sent, and the customer receives the letter previewed.
      await page.getByRole('button', { name: 'Send and close' }).click();
      await expect(page.getByRole('status').first()).toContainText('Status changed.');
      await expect(page.getByText('This request is finished')).toBeVisible();
      const letter = await waitForLetter(email, /Amendment denied/);
      expect(letter.subject).toBe(`Amendment denied: request ${reference}`);
      expect(words(letter.text)).toBe(words(shownText));
    });
  }
}
