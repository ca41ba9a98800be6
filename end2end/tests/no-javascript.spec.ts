/*
 * Without JavaScript every form is a plain HTML form: the server checks it,
 * sends the page back (422) with what was typed and every error beside its
 * field, and a corrected form reaches the receipt.
 */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import {
  type Answer,
  type FormSpec,
  expectAnswers,
  expectErrors,
  fillAnswers,
  forms,
  messages,
  required,
  referencePattern,
} from './forms';

type Case = {
  spec: FormSpec;
  /** What the person types at first: some answers wrong or missing. */
  first: Answer[];
  errors: Array<[string, string]>;
};

const answer = (spec: FormSpec, name: string, value?: string): Answer => {
  const found = spec.answers.find((a) => a.name === name);
  if (!found) throw new Error(name);
  return value === undefined ? found : { ...found, value } as Answer;
};

const cases: Case[] = [
  {
    spec: forms['opt-out'],
    first: [
      answer(forms['opt-out'], 'full_name'),
      answer(forms['opt-out'], 'email', 'ada.example.com'),
      answer(forms['opt-out'], 'phone', '12'),
      answer(forms['opt-out'], 'account_number'),
      answer(forms['opt-out'], 'scope'),
    ],
    errors: [
      ['email', messages.emailInvalid],
      ['phone', messages.phoneInvalid],
      ['postal_address', required('postal_address')],
      ['joint_account', messages.joint],
    ],
  },
  {
    spec: forms.amendment,
    first: [
      answer(forms.amendment, 'full_name'),
      answer(forms.amendment, 'date_of_birth', '2999-01-01'),
      answer(forms.amendment, 'current_information'),
      answer(forms.amendment, 'reason'),
      answer(forms.amendment, 'supporting_details'),
    ],
    errors: [
      ['email', messages.emailMissing],
      ['date_of_birth', messages.birthInFuture],
      ['category', messages.amendmentCategory],
      ['corrected_information', required('corrected_information')],
    ],
  },
  {
    spec: forms.complaint,
    first: [
      answer(forms.complaint, 'email'),
      answer(forms.complaint, 'category'),
      answer(forms.complaint, 'description'),
    ],
    errors: [
      ['full_name', required('full_name')],
      ['occurred_on', messages.occurredMissing],
    ],
  },
];

async function send(page: Page, spec: FormSpec) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === spec.path),
    page.getByRole('button', { name: spec.submit }).click(),
  ]);
  await page.waitForLoadState();
  return response;
}

for (const { spec, first, errors } of cases) {
  test(`${spec.key} without JavaScript: errors come back beside the fields, nothing typed is lost, then it can be sent`, async ({
    openContext,
  }) => {
    const context = await openContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const get = await page.goto(spec.path);
    expect(get?.status()).toBe(200);
    await expect(page.locator('.error-summary')).toBeHidden();

    await fillAnswers(page, first);
    const rejected = await send(page, spec);
    expect(rejected.status(), 'an incomplete form is answered 422').toBe(422);
    await expect(page).toHaveURL(spec.path);
    await expect(page.getByRole('heading', { level: 1, name: spec.heading })).toBeVisible();
    await expectErrors(page, spec, errors);
    await expectAnswers(page, first);

    // The summary's links lead to the fields, and put the focus there.
    await page.locator('.error-summary').getByRole('link').first().focus();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(`${spec.path}#f-${errors[0][0]}`);
    await expect(page.locator(`#f-${errors[0][0]}`)).toBeFocused();

    // Put everything right and send again.
    await fillAnswers(page, spec.answers);
    const accepted = await send(page, spec);
    expect(accepted.status(), 'a complete form is answered with a redirect').toBe(303);
    await expect(page).toHaveURL(/\/track\/[A-Za-z0-9_-]+\?new=1$/);
    await expect(page.getByRole('heading', { name: 'Request received' })).toBeVisible();
    await expect(page.locator('.panel .reference')).toHaveText(referencePattern);
    await expect(page.getByLabel('Your private link', { exact: true })).toHaveValue(/^https?:\/\/[^/]+\/track\/[A-Za-z0-9_-]+$/);
  });
}
