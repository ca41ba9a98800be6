/*
 * The customer's half of a request (issue 17), with JavaScript on and off:
 * staff ask for something, the customer answers from the tracking page and
 * the request is worked again; another request is withdrawn with a reason,
 * the customer is told by email, and staff see why.
 */
import type { Page } from '@playwright/test';
import { test, expect, waitForHydration } from './fixtures';
import { fillAnswers, forms } from './forms';
import { waitForLetter } from './mail';
import { STAFF_PASSWORD } from '../staff-accounts';

test.skip(!process.env.PORTAL_E2E_MAIL_DIR, 'staff accounts exist only on a server this suite started');

async function signIn(page: Page) {
  await page.goto('/staff');
  await page.getByLabel('Email address').fill('agent@example.com');
  await page.getByLabel('Password').fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/staff$/);
}

/** Sends a complaint from `customer` and returns its reference and tracking address. */
async function complain(customer: Page, email: string, javaScriptEnabled: boolean) {
  const spec = forms.complaint;
  await customer.goto(spec.path);
  if (javaScriptEnabled) await waitForHydration(customer);
  await fillAnswers(customer, spec.answers);
  await customer.getByLabel('Email address', { exact: true }).fill(email);
  await customer.getByRole('button', { name: spec.submit }).click();
  await expect(customer.getByRole('heading', { name: 'Request received' })).toBeVisible();
  const reference = (await customer.locator('.panel .reference').innerText()).trim();
  return { reference, tracking: customer.url().replace(/\?.*$/, '') };
}

for (const javaScriptEnabled of [true, false]) {
  const mode = `JavaScript ${javaScriptEnabled ? 'on' : 'off'}`;

  test(`a customer answers a question from staff on the tracking page (${mode})`, async ({ openContext }) => {
    const run = `${javaScriptEnabled ? 'js' : 'nojs'}-${Date.now()}`;
    const customer = await (await openContext({ javaScriptEnabled })).newPage();
    const { reference, tracking } = await complain(customer, `reply-${run}@example.com`, javaScriptEnabled);

    const agent = await (await openContext({ javaScriptEnabled: false })).newPage();
    await signIn(agent);
    await agent.goto(`/staff/requests/${reference}`);
    await agent.getByRole('button', { name: 'Mark identity verified' }).click();
    await agent.locator('#ask-what').fill('Which phone number were you called on?');
    await agent.getByRole('button', { name: 'Ask the customer' }).click();
    await expect(agent.locator('#card-status')).toContainText('Awaiting customer');

    await waitForLetter(`reply-${run}@example.com`, /information/i);
    await customer.goto(tracking);
    if (javaScriptEnabled) await waitForHydration(customer);
    await expect(customer.locator('.timeline')).toContainText('Which phone number were you called on?');
    const answer = `On 555-0100, twice <b>${run}</b>.`;
    await customer.getByLabel('Your reply').fill(answer);
    await customer.getByRole('button', { name: 'Send my reply' }).click();
    await expect(customer.locator('#reply-sent')).toBeVisible();
    await expect(customer.locator('.timeline')).toContainText(answer);

    // The request is worked again, with the reply on its timeline, as typed.
    await agent.goto(`/staff/requests/${reference}`);
    await expect(agent.locator('#card-status')).toContainText('In progress');
    await expect(agent.locator('.timeline')).toContainText(answer);
    // One conversation, oldest first: the question sent to the customer,
    // its email, then the customer's answer, each marked by who spoke.
    const said = agent.locator('ol.conversation > li.said');
    const question = said.filter({ hasText: 'Which phone number were you called on?' });
    await expect(question).toHaveClass(/\bstaff\b/);
    await expect(question.locator('.badge')).toHaveText('Sent to the customer');
    await expect(said.last()).toHaveClass(/\bcustomer\b/);
    await expect(said.last()).toContainText(answer);
    await expect(said.last().locator('.badge')).toHaveText('From the customer');
    await expect(agent.locator('ol.conversation > li.email').filter({ hasText: /information/i })).toHaveCount(1);
  });

  test(`a customer withdraws a request with a reason (${mode})`, async ({ openContext }) => {
    const run = `${javaScriptEnabled ? 'js' : 'nojs'}-${Date.now()}`;
    const customer = await (await openContext({ javaScriptEnabled })).newPage();
    const { reference, tracking } = await complain(customer, `withdraw-${run}@example.com`, javaScriptEnabled);

    await customer.goto(tracking);
    if (javaScriptEnabled) await waitForHydration(customer);
    await customer.getByLabel('Why you are withdrawing it (optional)').fill(`Sorted out by phone <i>${run}</i>.`);
    await customer.getByRole('button', { name: 'Withdraw my request' }).click();
    await expect(customer.locator('#withdrawn-notice')).toBeVisible();
    await expect(customer.getByRole('heading', { name: 'Withdraw my request' })).toHaveCount(0);
    await waitForLetter(`withdraw-${run}@example.com`, /withdrawn/i);

    const agent = await (await openContext({ javaScriptEnabled: false })).newPage();
    await signIn(agent);
    await agent.goto(`/staff/requests/${reference}`);
    await expect(agent.locator('.status').first()).toHaveText('Withdrawn');
    await expect(agent.locator('.timeline')).toContainText(`Sorted out by phone <i>${run}</i>.`);
    await expect(agent.getByText('This request is finished')).toBeVisible();
  });
}
