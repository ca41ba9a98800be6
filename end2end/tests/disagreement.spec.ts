/*
 * After a denial, with JavaScript on and off: the customer writes a
 * statement of disagreement on the tracking page (too long is refused
 * beside the field with every word kept), staff see it beside the denial
 * and send a rebuttal, which the customer sees too.
 */
import type { Page } from '@playwright/test';
import { test, expect, waitForHydration, openCard } from './fixtures';
import { fillAnswers, forms } from './forms';
import { STAFF_PASSWORD } from '../staff-accounts';

test.skip(!process.env.PORTAL_E2E_MAIL_DIR, 'staff accounts exist only on a server this suite started');

async function signIn(page: Page, email: string) {
  await page.goto('/staff');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/staff$/);
}

const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i + 1}`).join(' ');

for (const javaScriptEnabled of [true, false]) {
  test(`a customer writes a statement of disagreement and staff rebut it (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async ({
    openContext,
  }) => {
    const run = `${javaScriptEnabled ? 'js' : 'nojs'}-${Date.now()}`;
    const customer = await (await openContext({ javaScriptEnabled })).newPage();
    const spec = forms.amendment;
    await customer.goto(spec.path);
    if (javaScriptEnabled) await waitForHydration(customer);
    await fillAnswers(customer, spec.answers);
    await customer.getByLabel('Email address', { exact: true }).fill(`disagree-${run}@example.com`);
    await customer.getByRole('button', { name: spec.submit }).click();
    await expect(customer.getByRole('heading', { name: 'Request received' })).toBeVisible();
    const reference = (await customer.locator('.panel .reference').innerText()).trim();
    const tracking = customer.url().replace(/\?.*$/, '');

    const agent = await (await openContext({ javaScriptEnabled: false })).newPage();
    await signIn(agent, 'agent@example.com');
    await agent.goto(`/staff/requests/${reference}`);
    await agent.getByRole('button', { name: 'Mark identity verified' }).click();
    await expect(agent.getByRole('status').first()).toContainText('Status changed');
    await agent.locator('#resolve-outcome').selectOption('denied');
    await agent.locator('#resolve-ground').selectOption('accurate_and_complete');
    await agent.locator('#resolve-explanation').fill('Our records match the insurer.');
    // The denial letter is previewed, then sent.
    await agent.getByRole('button', { name: 'Preview the outcome letter' }).click();
    await expect(agent.locator('#letter-preview')).toBeVisible();
    await agent.getByRole('button', { name: 'Send and close' }).click();
    await expect(agent.getByRole('status').first()).toContainText('Status changed');

    await customer.goto(tracking);
    if (javaScriptEnabled) await waitForHydration(customer);
    const box = customer.locator('#disagreement');
    await expect(box.getByRole('heading', { name: 'If you disagree with our decision' })).toBeVisible();
    const field = customer.getByLabel('Your statement of disagreement');
    const limit = await customer.locator('#statement-limit').innerText();
    const allowed = Number(/(\d+) words/.exec(limit)?.[1]);
    expect(allowed).toBeGreaterThan(0);
    const tooLong = words(allowed + 1);
    await field.fill(tooLong);
    await customer.getByRole('button', { name: 'Send my statement' }).click();
    await expect(customer.locator('#f-statement-error')).toContainText(`${allowed} words or fewer`);
    await expect(customer.getByLabel('Your statement of disagreement')).toHaveValue(tooLong);

    await customer.getByLabel('Your statement of disagreement').fill(`My card says 4321 <b>${run}</b>.`);
    await customer.getByRole('button', { name: 'Send my statement' }).click();
    await expect(customer.locator('#statement-sent')).toBeVisible();
    await expect(customer.locator('#your-statement')).toHaveText(`My card says 4321 <b>${run}</b>.`);
    await expect(customer.getByLabel('Your statement of disagreement')).toHaveCount(0);

    await agent.goto(`/staff/requests/${reference}`);
    const after = agent.locator('#disagreement');
    await expect(after).toContainText(`My card says 4321 <b>${run}</b>.`);
    await expect(agent.locator('#outcome-title')).toContainText('denied');
    await openCard(agent, 'rebuttal');
    await agent.getByLabel('Rebuttal').fill('The insurer confirmed 1234.');
    await agent.getByRole('button', { name: 'Send the rebuttal' }).click();
    await expect(agent.getByRole('status').first()).toContainText('Rebuttal recorded and sent to the customer.');
    await expect(after).toContainText('The insurer confirmed 1234.');

    await customer.goto(tracking);
    await expect(customer.locator('#our-rebuttal')).toHaveText('The insurer confirmed 1234.');
  });
}
