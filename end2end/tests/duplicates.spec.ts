/*
 * A likely duplicate, with JavaScript on and off: the same person sends the
 * same opt-out twice; both go through, the queue marks the second
 * "Possible duplicate", and staff merge it into the first, whose deadline
 * stands and whose case page then lists it.
 */
import type { Page } from '@playwright/test';
import { test, expect, waitForHydration } from './fixtures';
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

async function optOut(page: Page, email: string, javaScriptEnabled: boolean) {
  const spec = forms['opt-out'];
  await page.goto(spec.path);
  if (javaScriptEnabled) await waitForHydration(page);
  await fillAnswers(page, spec.answers);
  await page.getByLabel('Email address', { exact: true }).fill(email);
  // An account of this run's own: the form's usual one is shared by every
  // opt-out of the suite, which are each other's likely duplicates.
  await page.getByLabel('Account or order number (optional)').fill(email);
  await page.getByRole('button', { name: spec.submit }).click();
  await expect(page.getByRole('heading', { name: 'Request received' })).toBeVisible();
  return (await page.locator('.panel .reference').innerText()).trim();
}

for (const javaScriptEnabled of [true, false]) {
  test(`staff merge a duplicate opt-out into the earlier one (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async ({
    openContext,
  }) => {
    const email = `twice-${javaScriptEnabled ? 'js' : 'nojs'}-${Date.now()}@example.com`;
    const customer = await (await openContext({ javaScriptEnabled })).newPage();
    const first = await optOut(customer, email, javaScriptEnabled);
    const second = await optOut(customer, email.toUpperCase(), javaScriptEnabled);
    expect(second).not.toBe(first);

    const agent = await (await openContext({ javaScriptEnabled })).newPage();
    await signIn(agent, 'agent@example.com');
    await agent.goto(`/staff?status=all&q=${encodeURIComponent(email)}`);
    if (javaScriptEnabled) await waitForHydration(agent);
    const rows = agent.locator('table.queue tbody tr');
    await expect(rows.filter({ hasText: second })).toContainText('Possible duplicate');
    await expect(rows.filter({ hasText: first })).not.toContainText('Possible duplicate');

    await agent.goto(`/staff/requests/${first}`);
    await expect(agent.locator('#repeated-by')).toContainText(second);
    const due = await agent.locator('#deadlines-title + dl.facts strong').first().innerText();

    await agent.goto(`/staff/requests/${second}`);
    if (javaScriptEnabled) await waitForHydration(agent);
    await expect(agent.locator('#duplicate-of')).toContainText(first);
    await agent.getByRole('button', { name: `Merge into ${first}` }).click();
    await expect(agent.getByRole('status').first()).toContainText('Merged into the earlier request');
    await expect(agent.locator('#merged-into')).toContainText(first);

    await agent.goto(`/staff/requests/${first}`);
    await expect(agent.locator('#merged-here')).toContainText(second);
    await expect(agent.locator('#deadlines-title + dl.facts strong').first()).toHaveText(due);
    await expect(agent.locator('ol.timeline')).toContainText(`(request ${second})`);
  });
}
