/*
 * Whatever a person types comes back as the text they typed: markup in a
 * name or an answer is never run or drawn as page elements.
 */
import type { Page } from '@playwright/test';
import { test, expect, gotoHydrated, waitForHydration } from './fixtures';
import { expectErrors, field, fillAnswers, forms, messages } from './forms';

const markupName = '<img src=x onerror=alert(1)>';
const markupText = '</textarea></script><img src=y onerror=alert(2)><script>alert(3)</script> & "quotes" \'too\'';

const spec = forms.amendment;
/** A complete amendment except the email, so the server sends it back. */
const answers = spec.answers
  .filter((a) => a.name !== 'email')
  .map((a) => {
    if (a.name === 'full_name') return { ...a, value: markupName };
    if (a.name === 'current_information') return { ...a, value: markupText };
    return a;
  });

function recordDialogs(page: Page) {
  const dialogs: string[] = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    await dialog.dismiss();
  });
  return dialogs;
}

async function expectShownAsTyped(page: Page) {
  await expect(page.getByRole('heading', { level: 1, name: spec.heading })).toBeVisible();
  await expectErrors(page, spec, [['email', messages.emailMissing]]);
  await expect(field(page, 'Full name')).toHaveValue(markupName);
  await expect(field(page, 'What it says now')).toHaveValue(markupText);
  // The other answers are intact, so nothing broke out of its field.
  await expect(field(page, 'What it should say')).toHaveValue(answers.find((a) => a.name === 'corrected_information')!.value);
  await expect(page.locator('textarea')).toHaveCount(4);
  await expect(page.locator('img[src="x"], img[src="y"]')).toHaveCount(0);
  await expect(page.locator('main script')).toHaveCount(0);
}

test('markup typed into a name and an answer comes back as text, without JavaScript', async ({ openContext }) => {
  const page = await (await openContext({ javaScriptEnabled: false })).newPage();
  await page.goto(spec.path);
  await fillAnswers(page, answers);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.getByRole('button', { name: spec.submit }).click(),
  ]);
  expect(response.status()).toBe(422);
  await page.waitForLoadState();
  await expectShownAsTyped(page);
});

test('markup sent back by the server is not run when the page hydrates', async ({ page }) => {
  const dialogs = recordDialogs(page);
  await gotoHydrated(page, spec.path);
  await fillAnswers(page, answers);
  // Post the form as the browser would without its script, so the server
  // (not the browser's own check) sends the page back.
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.locator('form').evaluate((form: HTMLFormElement) => form.submit()),
  ]);
  expect(response.status()).toBe(422);
  await waitForHydration(page);
  await expectShownAsTyped(page);

  // Still interactive after hydration, and still nothing has run.
  await field(page, 'Email address').fill('grace@example.com');
  await expect(page.locator('#f-email-error')).toHaveText('');
  expect(dialogs).toEqual([]);
});

test('a request with markup in it is stored and tracked without running it', async ({ page }) => {
  const dialogs = recordDialogs(page);
  await gotoHydrated(page, spec.path);
  await fillAnswers(page, [...answers, spec.answers.find((a) => a.name === 'email')!]);
  await page.getByRole('button', { name: spec.submit }).click();
  await expect(page.getByRole('heading', { name: 'Request received' })).toBeVisible();
  await waitForHydration(page);
  await expect(page.locator('img[src="x"], img[src="y"]')).toHaveCount(0);
  expect(dialogs).toEqual([]);
});
