/*
 * Defects found by using the portal as its users do (issue 16), each as a
 * person would notice it, at a desk's width and a phone's.
 */
import type { Page } from '@playwright/test';
import { test, expect, gotoHydrated, waitForHydration } from './fixtures';
import { createRequest, expectErrors, field, forms, messages, required } from './forms';
import { STAFF_PASSWORD } from '../staff-accounts';

test.skip(!process.env.PORTAL_E2E_MAIL_DIR, 'staff accounts exist only on a server this suite started');

/** Today where the organisation is (the server's ORG_TIME_ZONE default). */
function orgToday() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(new Date());
}

async function signIn(page: Page, then: string) {
  await page.goto(then);
  await page.getByLabel('Email address').fill('agent@example.com');
  await page.getByLabel('Password').fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new RegExp(`${then}$`));
  await waitForHydration(page);
}

/** A customer's request, by its reference. */
async function referenceOf(page: Page, receipt: string) {
  await page.goto(receipt);
  return (await page.locator('.panel .reference').first().innerText()).trim();
}

for (const width of [1280, 375]) {
  test.describe(`at ${width} px`, () => {
    test.use({ viewport: { width, height: 900 } });

    test('"Received on" defaults to today when the intake form is reached by a click', async ({ page }) => {
      await signIn(page, '/staff');
      await page.getByRole('navigation', { name: 'Staff' }).getByRole('link', { name: 'New request' }).click();
      await expect(page).toHaveURL(/\/staff\/new$/);
      await page.locator('main').getByRole('link', { name: 'Complaint', exact: true }).click();
      await expect(page).toHaveURL(/\/staff\/new\/complaint$/);
      const received = page.locator('#f-received_on');
      await expect(received).toHaveValue(orgToday());
      await expect(received).toHaveAttribute('max', orgToday());
    });

    test('a refused change leaves the case page working', async ({ page, request }) => {
      const reference = await referenceOf(page, await createRequest(request, forms.amendment));
      await signIn(page, `/staff/requests/${reference}`);
      await page.getByRole('button', { name: 'Mark identity verified' }).click();
      await expect(page.getByRole('status')).toContainText('Status changed.');
      await page.getByRole('button', { name: 'Start work' }).click();
      await expect(page.getByRole('status')).toContainText('Status changed.');
      await waitForHydration(page);

      // Only the chosen outcome's fields show, from the first look...
      await expect(page.locator('#resolve-records-changed')).toBeVisible();
      await expect(page.locator('#resolve-explanation')).toBeHidden();
      // A denial without its ground and explanation is refused...
      await page.getByLabel('Outcome').selectOption('denied');
      await expect(page.locator('#resolve-records-changed')).toBeHidden();
      await page.getByRole('button', { name: 'Preview the outcome letter' }).click();
      await expect(page.locator('main')).toContainText('Your last change was not saved.');
      // ...and the page that says so is the case's, with its script running:
      // only the chosen outcome's fields show, and choosing another works.
      await expect(page).toHaveURL(new RegExp(`/staff/requests/${reference}$`));
      await waitForHydration(page);
      await expect(page.getByLabel('Outcome')).toHaveValue('denied');
      await expect(page.locator('#resolve-records-changed')).toBeHidden();
      await expect(page.locator('#resolve-explanation')).toBeVisible();
      await page.getByLabel('Outcome').selectOption('accepted');
      await expect(page.locator('#resolve-records-changed')).toBeVisible();
      await expect(page.locator('#resolve-explanation')).toBeHidden();
    });

    test('"Extend the deadline" is offered only where the rule allows an extension', async ({ page, request }) => {
      const optOut = await referenceOf(page, await createRequest(request, forms['opt-out']));
      const amendment = await referenceOf(page, await createRequest(request, forms.amendment));
      await signIn(page, `/staff/requests/${optOut}`);
      await expect(page.getByRole('heading', { name: 'Change status' })).toBeVisible();
      await expect(page.getByRole('heading', { name: 'Extend the deadline' })).toHaveCount(0);
      await page.goto(`/staff/requests/${amendment}`);
      await expect(page.getByRole('heading', { name: 'Extend the deadline' })).toBeVisible();
    });

    test('a mistyped address is questioned beside the field, and one without a dot is refused', async ({ page }) => {
      const spec = forms.complaint;
      await gotoHydrated(page, spec.path);
      const email = field(page, 'Email address');
      await email.fill('grace@gmial.com');
      await expect(page.locator('#f-email-suggestion')).toHaveText('Did you mean grace@gmail.com?');
      await email.fill('grace@lovelace.org');
      await expect(page.locator('#f-email-suggestion')).toHaveText('');
      await email.fill('grace@gmail');
      await email.blur();
      await expect(page.locator('#f-email-error')).toHaveText(
        'Error: Please check the address: did you mean grace@gmail.com?',
      );
    });

    test('the confirmation page offers the private link again, and the form answers calmly', async ({ page, request }) => {
      const receipt = await createRequest(request, forms['opt-out']);
      const reference = await referenceOf(page, receipt);
      await gotoHydrated(page, '/verify/not-a-token?result=ok');
      await page.getByRole('link', { name: 'Send me my link again' }).click();
      await expect(page).toHaveURL(/\/my-link$/);
      await page.getByLabel('Reference').fill(reference);
      await page.getByLabel('Email address').fill('someone-else@example.com');
      await page.getByRole('button', { name: 'Send me my link' }).click();
      await expect(page).toHaveURL(/\/my-link\?sent=1$/);
      await expect(page.getByRole('status')).toContainText('If that reference and email address belong to the same request');
    });

    test('with JavaScript, the complaint form reports every error at once', async ({ page }) => {
      const spec = forms.complaint;
      await gotoHydrated(page, spec.path);
      await field(page, 'When did it happen?').fill(`${new Date().getUTCFullYear() + 1}-06-01`);
      await page.getByRole('button', { name: spec.submit }).click();
      await expectErrors(page, spec, [
        ['full_name', required('full_name')],
        ['email', messages.emailMissing],
        ['category', messages.complaintCategory],
        ['occurred_on', messages.occurredInFuture],
        ['description', required('description')],
      ]);
    });
  });
}
