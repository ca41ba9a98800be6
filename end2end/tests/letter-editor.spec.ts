/*
 * An administrator rewords a letter in the portal (issue 16): a version of
 * the HIPAA denial letter that drops a part it must have is refused beside
 * its field with what was typed kept; a good change to another letter is
 * tried on the sample request and saved, and the default words restored.
 * With JavaScript on and off, at a desk's width and a phone's. Only a letter
 * no other spec sends is saved (the "closed, never confirmed" letter, sent
 * after days), so specs running alongside read their letters as shipped.
 */
import type { Page } from '@playwright/test';
import { test, expect, waitForHydration } from './fixtures';
import { STAFF_PASSWORD } from '../staff-accounts';

test.skip(!process.env.PORTAL_E2E_MAIL_DIR, 'staff accounts exist only on a server this suite started');
// The runs share one letter's history, so they go one after another.
test.describe.configure({ mode: 'serial' });

async function signIn(page: Page, javaScript: boolean) {
  await page.goto('/staff');
  await page.getByLabel('Email address').fill('admin@example.com');
  await page.getByLabel('Password').fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/staff$/);
  if (javaScript) await waitForHydration(page);
}

for (const width of [1280, 375]) {
  for (const javaScript of [true, false]) {
    const how = `${width} px, JavaScript ${javaScript ? 'on' : 'off'}`;
    test(`letters are reworded, checked, saved and restored (${how})`, async ({ openContext }) => {
      const page = await (await openContext({ javaScriptEnabled: javaScript, viewport: { width, height: 900 } })).newPage();
      await signIn(page, javaScript);
      await page.getByRole('navigation', { name: 'Staff' }).getByRole('link', { name: 'Letters', exact: true }).click();
      await page.getByRole('link', { name: 'Amendment denied (the HIPAA denial letter)' }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Amendment denied (the HIPAA denial letter)');
      await expect(page.locator('#letter-required')).toContainText('Secretary of Health and Human Services');

      // Without how to complain to HHS: refused beside the HTML letter.
      const html = page.getByLabel('HTML letter');
      const shipped = await html.inputValue();
      const withoutHhs = shipped
        .split('\n')
        .filter((line) => !line.includes('Health and Human Services'))
        .join('\n');
      await html.fill(withoutHhs);
      await page.getByRole('button', { name: 'Save this version' }).click();
      await expect(page.locator('#letter-html-error')).toContainText('Secretary of Health and Human Services');
      await expect(page.getByLabel('HTML letter')).toHaveValue(withoutHhs);

      // A good change to another letter, tried on the sample and saved.
      await page.getByRole('link', { name: 'Back to the letters' }).click();
      await page.getByRole('link', { name: 'Request closed: email address never confirmed' }).click();
      const closed = await page.getByLabel('HTML letter').inputValue();
      const reworded = closed.replace('We have closed', 'After a second review, we have closed');
      await page.getByLabel('HTML letter').fill(reworded);
      await page.getByRole('button', { name: 'Preview on the sample request' }).click();
      await expect(page.frameLocator('#letter-preview-html').locator('body')).toContainText('After a second review');
      await page.getByRole('button', { name: 'Save this version' }).click();
      await expect(page.getByRole('status').first()).toContainText('Saved.');
      await expect(page.locator('#letter-versions')).toContainText('in force');

      // The default words back, as a new version.
      await page.locator('#version-0').getByRole('button', { name: /Restore/ }).click();
      await expect(page.getByRole('status').first()).toContainText('Restored');
      await expect(page.getByLabel('HTML letter')).toHaveValue(closed);
    });
  }
}
