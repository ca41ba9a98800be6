/*
 * The letters a requester gets, and confirming an email address: an
 * amendment or complaint waits until the link in the verification letter is
 * used; an opt-out takes effect at once and asks for nothing.
 */
import type { Page } from '@playwright/test';
import { test, expect, gotoHydrated, waitForHydration } from './fixtures';
import { type FormSpec, facts, fillAnswers, forms, unverified } from './forms';
import { linkIn, lettersTo, waitForLetter } from './mail';

test.skip(!process.env.PORTAL_E2E_MAIL_DIR, 'letters can only be read from a server this suite started (PORTAL_URL is set)');

/** Fills in and sends a form as the owner of `email`, up to the receipt. */
async function submitAs(page: Page, spec: FormSpec, email: string) {
  await gotoHydrated(page, spec.path);
  await fillAnswers(page, spec.answers);
  await page.getByLabel('Email address', { exact: true }).fill(email);
  await page.getByRole('button', { name: spec.submit }).click();
  await expect(page.getByRole('heading', { name: 'Request received' })).toBeVisible();
}

/** An address no other test uses, so its letters are this test's alone. */
function uniqueAddress(label: string) {
  return `${label}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

test('a complaint waits for the email address to be confirmed, and the letter\'s link confirms it', async ({
  page,
  openContext,
}) => {
  const spec = forms.complaint;
  const email = uniqueAddress('complaint');
  await submitAs(page, spec, email);
  const reference = (await page.locator('.panel .reference').innerText()).trim();
  const trackingLink = await page.getByLabel('Your private link', { exact: true }).inputValue();
  await expect(facts(page, 'Status')).toHaveText(unverified);
  await expect(page.locator('#verify-notice')).toContainText('We have sent you an email with a link to confirm your address');

  // One letter: the receipt carries the private link and the confirmation link.
  const receipt = await waitForLetter(email, /^We received your request /);
  expect(receipt.subject).toBe(`We received your request ${reference}: ${spec.kindLabel}`);
  expect(receipt.text).toContain(`Dear ${spec.answers[0].value},`);
  expect(receipt.text).toContain(reference);
  expect(receipt.text).toContain(trackingLink);
  expect(receipt.text).toContain('please confirm your email address');
  const verifyLink = linkIn(receipt, new URL('/verify/', trackingLink).href);

  // Asking for another letter straight away is politely refused.
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Send me a new confirmation email' }).click();
  await expect(page).toHaveURL(/\/track\/[A-Za-z0-9_-]+\?resend=wait$/);
  await expect(page.locator('#verify-notice').getByRole('status')).toHaveText(/We sent one moments ago/);
  expect(lettersTo(email, /^(Please confirm your email address|We received your request)/)).toHaveLength(1);

  // Opening the link changes nothing by itself (mail scanners open links too).
  const mailbox = await (await openContext()).newPage();
  await gotoHydrated(mailbox, verifyLink);
  await expect(mailbox.getByRole('heading', { level: 1, name: 'Confirm your email address' })).toBeVisible();
  await page.goto(trackingLink);
  await expect(facts(page, 'Status')).toHaveText(unverified);

  // The button confirms.
  await mailbox.getByRole('button', { name: 'Confirm my email address' }).click();
  await expect(mailbox).toHaveURL(/\/verify\/[A-Za-z0-9_-]+\?result=ok$/);
  await expect(mailbox.getByRole('heading', { name: 'Thank you: your email address is confirmed' })).toBeVisible();

  await page.goto(trackingLink);
  await expect(facts(page, 'Status')).toHaveText('Received');
  await expect(page.locator('#verify-notice')).toHaveCount(0);
  await expect(page.locator('ol.timeline .timeline-title')).toHaveText([
    'You confirmed your email address',
    'We received your request',
  ]);

  // The link works once.
  await gotoHydrated(mailbox, verifyLink);
  await mailbox.getByRole('button', { name: 'Confirm my email address' }).click();
  await expect(mailbox).toHaveURL(/\?result=unknown$/);
  await expect(mailbox.getByRole('heading', { level: 1, name: 'This link cannot be used' })).toBeVisible();
});

test('a confirmation link works without JavaScript too', async ({ page, openContext }) => {
  const spec = forms.amendment;
  const email = uniqueAddress('amendment');
  await submitAs(page, spec, email);
  const trackingLink = await page.getByLabel('Your private link', { exact: true }).inputValue();

  const verification = await waitForLetter(email, /^We received your request /);
  const mailbox = await (await openContext({ javaScriptEnabled: false })).newPage();
  await mailbox.goto(linkIn(verification, new URL('/verify/', trackingLink).href));
  await mailbox.getByRole('button', { name: 'Confirm my email address' }).click();
  await expect(mailbox.getByRole('heading', { name: 'Thank you: your email address is confirmed' })).toBeVisible();

  await page.goto(trackingLink);
  await expect(facts(page, 'Status')).toHaveText('Received');
});

test('an opt-out takes effect at once: a receipt, and no confirmation needed', async ({ page }) => {
  const spec = forms['opt-out'];
  const email = uniqueAddress('opt-out');
  await submitAs(page, spec, email);
  const reference = (await page.locator('.panel .reference').innerText()).trim();
  await expect(facts(page, 'Status')).toHaveText('Received');
  await expect(page.locator('#verify-notice')).toHaveCount(0);

  const receipt = await waitForLetter(email, /^We received your request /);
  expect(receipt.subject).toBe(`We received your request ${reference}: ${spec.kindLabel}`);
  expect(receipt.text).toContain(await page.getByLabel('Your private link', { exact: true }).inputValue());
  expect(receipt.text).not.toContain('confirm your email address');
  // The receipt is the only letter: nothing to confirm.
  expect(lettersTo(email, /./)).toHaveLength(1);
});

test('an unknown confirmation link cannot be used', async ({ page }) => {
  await gotoHydrated(page, `/verify/${'B'.repeat(43)}`);
  await page.getByRole('button', { name: 'Confirm my email address' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'This link cannot be used' })).toBeVisible();
});
