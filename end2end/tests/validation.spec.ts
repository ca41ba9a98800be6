/*
 * With JavaScript the rules run in the browser: a form with problems is not
 * sent, the summary says what to fix and takes the focus, and errors go away
 * as the person puts them right.
 */
import type { Page, Request } from '@playwright/test';
import { test, expect, gotoHydrated } from './fixtures';
import { expectErrors, expectNoErrors, field, fillAnswers, forms, messages, required } from './forms';

/** Records every POST the page makes from now on. */
function recordPosts(page: Page) {
  const posts: Request[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST') posts.push(request);
  });
  return posts;
}

test('opt-out: sending an empty form stops in the browser with a summary that takes the focus', async ({ page }) => {
  const spec = forms['opt-out'];
  await gotoHydrated(page, spec.path);
  const posts = recordPosts(page);
  const url = page.url();

  await page.getByRole('button', { name: spec.submit }).click();

  const summary = page.locator('.error-summary');
  await expect(summary).toBeVisible();
  // Soft, so the rest of the behaviour is still checked when this fails.
  await expect.soft(summary, 'the error summary takes the focus on the first failed submit').toBeFocused();
  await expectErrors(page, spec, [
    ['full_name', required('full_name')],
    ['email', messages.emailMissing],
    ['postal_address', required('postal_address')],
    ['scope', messages.scope],
    ['joint_account', messages.joint],
  ]);
  expect(page.url()).toBe(url);
  expect(posts.map((r) => r.url()), 'nothing was sent').toEqual([]);

  // Typing into a field marked wrong clears its mark as soon as it is right.
  const name = field(page, 'Full name');
  await name.fill('Ada Lovelace');
  await expect(page.locator('#f-full_name-error')).toHaveText('');
  await expect(name).not.toHaveAttribute('aria-invalid', 'true');
  await expect(summary).toContainText('4 answers need your attention');
  await expect(summary.getByRole('link')).toHaveCount(4);

  // A wrong email stays marked until it is right.
  const email = field(page, 'Email address');
  await email.fill('ada@');
  await expect(page.locator('#f-email-error')).toHaveText(`Error: ${messages.emailInvalid}`);
  await email.fill('ada@example.com');
  await expect(page.locator('#f-email-error')).toHaveText('');
  await expect(email).not.toHaveAttribute('aria-invalid', 'true');

  // Choosing an option clears the group's error.
  await page.getByRole('radio', { name: 'All sharing with unaffiliated third parties' }).check();
  await expect(page.locator('#f-scope-error')).toHaveText('');
  await expect(summary).toContainText('2 answers need your attention');

  await fillAnswers(page, spec.answers);
  await expectNoErrors(page, spec);
  expect(posts, 'still nothing sent before the button is pressed').toEqual([]);
  await page.getByRole('button', { name: spec.submit }).click();
  await expect(page).toHaveURL(/\/track\/[A-Za-z0-9_-]+\?new=1$/);
  await expect(page.getByRole('heading', { name: 'Request received' })).toBeVisible();
  expect(posts).toHaveLength(1);
});

test('opt-out: a link in the error summary leads to its field', async ({ page }) => {
  const spec = forms['opt-out'];
  await gotoHydrated(page, spec.path);
  await fillAnswers(page, spec.answers.filter((a) => a.name !== 'postal_address'));
  await page.getByRole('button', { name: spec.submit }).click();
  await expectErrors(page, spec, [['postal_address', required('postal_address')]]);

  // As a keyboard user: the summary has the focus, Tab to the link, Enter.
  const link = page.locator('.error-summary').getByRole('link', { name: required('postal_address') });
  await link.focus();
  await page.keyboard.press('Enter');
  const address = field(page, 'Postal address');
  await expect(page).toHaveURL(/\/opt-out#f-postal_address$/);
  await expect(address).toBeInViewport();
  // The field takes the focus, so what is typed next goes into it (as it
  // does without JavaScript, see no-javascript.spec.ts).
  await expect(address).toBeFocused();
  await page.keyboard.type('1 Analytical Way');
  await expect(address).toHaveValue('1 Analytical Way');
  await expect(page.locator('#f-postal_address-error')).toHaveText('');
});

test('leaving a field checks that field only', async ({ page }) => {
  const spec = forms.complaint;
  await gotoHydrated(page, spec.path);
  const posts = recordPosts(page);

  // Passing through an empty required field marks it once it is left...
  await field(page, 'Full name').focus();
  await page.keyboard.press('Tab');
  await expect(page.locator('#f-full_name-error')).toHaveText(`Error: ${required('full_name')}`);
  await expect(field(page, 'Full name')).toHaveAttribute('aria-invalid', 'true');
  // ...but fields not reached yet are left alone.
  await expect(page.locator('#f-description-error')).toHaveText('');
  await expect(page.locator('#f-occurred_on-error')).toHaveText('');

  await field(page, 'Phone number (optional)').fill('call me');
  await field(page, 'Phone number (optional)').blur();
  await expect(page.locator('#f-phone-error')).toHaveText(`Error: ${messages.phoneInvalid}`);
  await expect(page.locator('#f-description-error')).toHaveText('');

  // A phone number may be left empty.
  await field(page, 'Phone number (optional)').fill('');
  await expect(page.locator('#f-phone-error')).toHaveText('');
  expect(posts).toEqual([]);
});

test('dates in the future are refused in the browser', async ({ page }) => {
  const nextYear = new Date().getUTCFullYear() + 1;
  const future = `${nextYear}-06-01`;

  const amendment = forms.amendment;
  await gotoHydrated(page, amendment.path);
  let posts = recordPosts(page);
  await fillAnswers(page, amendment.answers);
  await field(page, 'Date of birth (optional)').fill(future);
  await page.getByRole('button', { name: amendment.submit }).click();
  await expectErrors(page, amendment, [['date_of_birth', messages.birthInFuture]]);
  await expect(page.locator('.error-summary')).toBeFocused();
  expect(posts).toEqual([]);

  const complaint = forms.complaint;
  await gotoHydrated(page, complaint.path);
  posts = recordPosts(page);
  await fillAnswers(page, complaint.answers);
  await field(page, 'When did it happen?').fill(future);
  await page.getByRole('button', { name: complaint.submit }).click();
  await expectErrors(page, complaint, [['occurred_on', messages.occurredInFuture]]);
  expect(posts).toEqual([]);
  await expect(page).toHaveURL(complaint.path);
});
