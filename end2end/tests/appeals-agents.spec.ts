/*
 * Issue 17's last rooms, with JavaScript on and off: a customer appeals a
 * denial from the tracking page, a colleague other than the refuser
 * decides it, and the decision letter names the Attorney General; an
 * agent asks for a parent, the customer confirms by email, and staff
 * verify the agent's authority before work starts. With a script, the
 * documents form shows how much has been sent.
 */
import type { Page } from '@playwright/test';
import { test, expect, expectNoSeriousViolations, signIn, waitForHydration } from './fixtures';
import { fillAnswers, forms } from './forms';
import { linkIn, waitForLetter } from './mail';

test.skip(!process.env.PORTAL_E2E_MAIL_DIR, 'staff accounts exist only on a server this suite started');

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

/** Sends an amendment as `email`, with `extra` typed after the answers. */
async function amend(page: Page, email: string, javaScriptEnabled: boolean, extra?: (page: Page) => Promise<void>) {
  const spec = forms.amendment;
  await page.goto(spec.path);
  if (javaScriptEnabled) await waitForHydration(page);
  await fillAnswers(page, spec.answers);
  await page.getByLabel('Email address', { exact: true }).fill(email);
  if (extra) await extra(page);
  await page.getByRole('button', { name: spec.submit }).click();
  await expect(page.getByRole('heading', { name: 'Request received' })).toBeVisible();
  const reference = (await page.locator('.panel .reference').innerText()).trim();
  return { reference, tracking: page.url().replace(/\?.*$/, '') };
}

/** Records an outcome through the letter preview, as at the desk. */
async function decide(staff: Page) {
  await staff.getByRole('button', { name: 'Preview the outcome letter' }).click();
  await expect(staff.locator('#letter-preview')).toBeVisible();
  await staff.getByRole('button', { name: 'Send and close' }).click();
  await expect(staff.getByRole('status').first()).toContainText('Status changed');
}

for (const javaScriptEnabled of [true, false]) {
  const mode = `JavaScript ${javaScriptEnabled ? 'on' : 'off'}`;

  test(`a customer appeals a denial and a colleague of the refuser decides it (${mode})`, async ({ openContext }) => {
    const run = `${javaScriptEnabled ? 'js' : 'nojs'}-${Date.now()}`;
    const email = `appeal-${run}@example.com`;
    const customer = await (await openContext({ javaScriptEnabled })).newPage();
    const { reference, tracking } = await amend(customer, email, javaScriptEnabled);

    const refuser = await (await openContext({ javaScriptEnabled: false })).newPage();
    await signIn(refuser, 'agent@example.com');
    await refuser.goto(`/staff/requests/${reference}`);
    await refuser.getByRole('button', { name: 'Mark identity verified' }).click();
    await refuser.locator('#resolve-outcome').selectOption('denied');
    await refuser.locator('#resolve-ground').selectOption('accurate_and_complete');
    await refuser.locator('#resolve-explanation').fill('Our records match the insurer.');
    await decide(refuser);
    const denial = await waitForLetter(email, /Amendment denied/);
    expect(denial.text).toContain('YOUR RIGHT TO APPEAL');

    await customer.goto(tracking);
    if (javaScriptEnabled) await waitForHydration(customer);
    const box = customer.locator('#appeal');
    await expect(box.getByRole('heading', { name: 'Appeal this decision' })).toBeVisible();
    // axe runs in the page, so only where scripts do.
    if (javaScriptEnabled) await expectNoSeriousViolations(customer, 'a tracking page offering an appeal');
    await customer.getByRole('button', { name: 'Send my appeal' }).click();
    await expect(customer.locator('#f-grounds-error')).toContainText('why you think our decision is wrong');
    await customer.getByLabel('The state you live in').selectOption('va_cdpa');
    await customer.getByLabel('Why our decision is wrong').fill(`My insurer confirmed 9876 <b>${run}</b>.`);
    await customer.getByRole('button', { name: 'Send my appeal' }).click();
    await expect(customer.getByRole('heading', { name: 'Request received' })).toBeVisible();
    const appeal = (await customer.locator('.panel .reference').innerText()).trim();
    expect(appeal).not.toBe(reference);
    await expect(customer.locator('dl.facts')).toContainText(`Appeal of our decision on request ${reference}`);
    await expect(customer.locator('#answer-by')).toBeVisible();
    await customer.goto(tracking);
    await expect(customer.locator('#appeal-filed')).toContainText(appeal);

    // The refuser works the appeal but cannot decide it.
    await refuser.goto(`/staff/requests/${appeal}`);
    await expect(refuser.locator('#appeal-of')).toContainText(reference);
    await expect(refuser.locator('#refused-by')).toContainText('Someone else must decide the appeal');
    await expect(refuser.getByText(`My insurer confirmed 9876 <b>${run}</b>.`)).toBeVisible();
    await expect(refuser.locator('#resolve-outcome')).toHaveCount(0);

    const reviewer = await (await openContext({ javaScriptEnabled: false })).newPage();
    await signIn(reviewer, 'manager@example.com');
    await reviewer.goto(`/staff/requests/${appeal}`);
    await reviewer.locator('#resolve-outcome').selectOption('denied');
    await reviewer.locator('#resolve-explanation').fill("The insurer's own file still says 1234.");
    await decide(reviewer);
    const decision = await waitForLetter(email, /Appeal denied/);
    expect(decision.text).toContain('Attorney General of Virginia');
    expect(decision.text).toContain("The insurer's own file still says 1234.");
  });

  test(`an agent asks for a parent and staff verify their authority (${mode})`, async ({ openContext }) => {
    const run = `${javaScriptEnabled ? 'js' : 'nojs'}-${Date.now()}`;
    const email = `parent-${run}@example.com`;
    const agentEmail = `daughter-${run}@example.com`;
    const page = await (await openContext({ javaScriptEnabled })).newPage();
    const { reference } = await amend(page, email, javaScriptEnabled, async (form) => {
      await form.getByRole('radio', { name: 'Parent of a child under 18', exact: true }).check();
      await form.getByLabel('Your name, if you are their agent').fill(`Mary <i>${run}</i>`);
      await form.getByLabel('Your email, if you are their agent').fill(agentEmail);
    });
    await expect(page.locator('#agent-notice')).toContainText(`Mary <i>${run}</i>`);

    const copy = await waitForLetter(agentEmail, /^We received your request /);
    expect(copy.text).toContain('signed permission');
    const agentsPage = linkIn(copy, new URL('/track/', page.url()).href);
    const receipt = await waitForLetter(email, /^We received your request /);
    expect(receipt.text).toContain('asked for this on your behalf');
    const mailbox = await (await openContext({ javaScriptEnabled: false })).newPage();
    await mailbox.goto(linkIn(receipt, new URL('/verify/', page.url()).href));
    await mailbox.getByRole('button', { name: 'Confirm my email address' }).click();

    await page.goto(agentsPage);
    if (javaScriptEnabled) await waitForHydration(page);
    await page.getByLabel('Your documents').setInputFiles({ name: 'permission.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByRole('button', { name: 'Send my documents' }).click();
    await expect(page.locator('#documents-list')).toContainText('permission.pdf');

    const staff = await (await openContext({ javaScriptEnabled: false })).newPage();
    await signIn(staff, 'agent@example.com');
    await staff.goto(`/staff/requests/${reference}`);
    await expect(staff.locator('#agent')).toContainText('Parent of a child under 18');
    if (javaScriptEnabled) {
      // axe runs in the page, so in a window where scripts do.
      const look = await (await openContext({ javaScriptEnabled: true })).newPage();
      await signIn(look, 'agent@example.com');
      await look.goto(`/staff/requests/${reference}`);
      await expectNoSeriousViolations(look, 'a case made by an agent');
    }
    await expect(staff.getByRole('button', { name: 'Start work' })).toHaveCount(0);
    await staff.getByRole('button', { name: "Verify the agent's authority" }).click();
    await expect(staff.locator('#agent-verified')).toBeVisible();
    await staff.getByRole('button', { name: 'Start work' }).click();
    await expect(staff.getByRole('status').first()).toContainText('Status changed');
  });
}

test('with a script, the documents form shows how much has been sent', async ({ page }) => {
  const email = `progress-${Date.now()}@example.com`;
  const { tracking } = await amend(page, email, true);
  await page.goto(tracking);
  // Held back a moment on its way, so the bar can be seen.
  await page.route('**/documents', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await route.continue();
  });
  await page.getByLabel('Your documents').setInputFiles({ name: 'card.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.getByRole('button', { name: 'Send my documents' }).click();
  await expect(page.locator('#documents-progress')).toBeVisible();
  await expect(page.locator('#documents-sent')).toBeVisible();
  await expect(page).toHaveURL(/documents=sent/);
});
