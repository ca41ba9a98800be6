/*
 * Amendment notices, with JavaScript off, on a desk and on a phone: the
 * customer names a person to tell on the amendment form (a bad address is
 * explained beside its field, and what was typed is kept); an administrator
 * lists a business associate; staff accept the amendment with both ticked,
 * and the case page shows each notice's delivery.
 */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
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

for (const width of [1280, 375]) {
  test(`a person the customer names and a business associate are told of the accepted amendment (${width} px)`, async ({
    openContext,
  }) => {
    const viewport = { width, height: 900 };
    const run = `${width}-${Date.now()}`;
    const person = `Dr Joan Clarke ${run}`;
    const associate = `Claims Clearing ${run}`;

    const customer = await (await openContext({ javaScriptEnabled: false, viewport })).newPage();
    const spec = forms.amendment;
    await customer.goto(spec.path);
    await fillAnswers(customer, spec.answers);
    await customer.getByLabel('Email address', { exact: true }).fill(`notices-${run}@example.com`);
    await customer.getByLabel('Person 1: name (optional)').fill(person);
    await customer.getByLabel('Person 1: email address (optional)').fill('joan@clinic');
    await customer.getByRole('button', { name: spec.submit }).click();
    const emailField = customer.locator('#f-notify_1_email');
    await expect(emailField).toHaveAttribute('aria-invalid', 'true');
    await expect(customer.locator('#f-notify_1_email-error')).toContainText('email address');
    await expect(customer.getByLabel('Person 1: name (optional)')).toHaveValue(person);
    await emailField.fill(`joan-${run}@clinic.example.com`);
    await customer.getByRole('button', { name: spec.submit }).click();
    await expect(customer.getByRole('heading', { name: 'Request received' })).toBeVisible();
    const reference = (await customer.locator('.panel .reference').innerText()).trim();

    const admin = await (await openContext({ javaScriptEnabled: false, viewport })).newPage();
    await signIn(admin, 'admin@example.com');
    await admin.goto('/staff/associates');
    await admin.getByLabel('Name', { exact: true }).fill(associate);
    await admin.getByLabel('Email address for notices').fill(`claims-${run}@ba.example.com`);
    await admin.getByLabel('Which records it relies on').fill('Insurance claims');
    await admin.getByRole('button', { name: 'Add business associate' }).click();
    await expect(admin.getByRole('status').first()).toContainText('Business associate added');
    await expect(admin.locator('#associates')).toContainText(associate);

    const agent = await (await openContext({ javaScriptEnabled: false, viewport })).newPage();
    await signIn(agent, 'agent@example.com');
    await agent.goto(`/staff/requests/${reference}`);
    await agent.getByRole('button', { name: 'Mark identity verified' }).click();
    await expect(agent.getByRole('status').first()).toContainText('Status changed');
    await agent.locator('#resolve-outcome').selectOption('accepted');
    const tell = agent.locator('#tell-whom');
    await expect(tell.getByRole('checkbox', { name: new RegExp(person) })).toBeChecked();
    await expect(tell.getByRole('checkbox', { name: new RegExp(associate) })).toBeChecked();
    await agent.getByRole('button', { name: 'Preview the outcome letter' }).click();
    await expect(agent.locator('#resolve-records-changed-error')).toContainText('List the records that were changed');
    await agent.locator('#resolve-records-changed').fill('Insurance member number');
    await agent.getByRole('button', { name: 'Preview the outcome letter' }).click();
    await agent.getByRole('button', { name: 'Send and close' }).click();
    await expect(agent.getByRole('status').first()).toContainText('Status changed');

    const notices = agent.locator('#notices');
    await expect(notices.getByRole('heading', { name: 'Amendment notices' })).toBeVisible();
    await expect(async () => {
      await agent.reload();
      const sent = notices.locator('li.letter', { has: agent.locator('.badge', { hasText: /^Sent$/ }) });
      await expect(sent.filter({ hasText: `joan-${run}@clinic.example.com` })).toHaveCount(1);
      await expect(sent.filter({ hasText: `claims-${run}@ba.example.com` })).toHaveCount(1);
    }).toPass({ timeout: 20_000 });
    const box = await notices.boundingBox();
    expect(box && box.width <= width, 'the notices fit the screen').toBeTruthy();
  });
}
