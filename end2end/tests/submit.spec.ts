/*
 * A person fills in each form in a browser with JavaScript, sends it, gets a
 * receipt with a reference and a private link, and can open that link later.
 */
import { test, expect, gotoHydrated, waitForHydration } from './fixtures';
import { allForms, facts, fillAnswers, longDate, referencePattern, site } from './forms';

for (const spec of allForms) {
  test(`${spec.key}: filled in and sent, gives a reference and a private link that shows the request`, async ({
    page,
    openContext,
  }) => {
    const before = new Date();
    await gotoHydrated(page, spec.path);
    await expect(page).toHaveTitle(`${spec.title} | ${site.org}`);
    await expect(page.getByRole('heading', { level: 1, name: spec.heading })).toBeVisible();

    await fillAnswers(page, spec.answers);
    await page.getByRole('button', { name: spec.submit }).click();

    // The receipt.
    await expect(page).toHaveURL(/\/track\/[A-Za-z0-9_-]+\?new=1$/);
    const receipt = page.getByRole('status').filter({ has: page.getByRole('heading', { name: 'Request received' }) });
    await expect(receipt).toBeVisible();
    const reference = (await receipt.locator('.reference').innerText()).trim();
    expect(reference).toMatch(referencePattern);
    await expect(receipt).toContainText(`Your reference number is ${reference}`);

    const linkBox = page.getByLabel('Your private link', { exact: true });
    await expect(linkBox).toHaveAttribute('readonly', '');
    const link = await linkBox.inputValue();
    const trackPath = new URL(page.url()).pathname;
    expect(new URL(link).pathname).toBe(trackPath);
    expect(link).not.toContain('?new');

    // The same details below the receipt.
    await expect(facts(page, 'Reference')).toHaveText(reference);
    await expect(facts(page, 'Request')).toHaveText(spec.kindLabel);
    await expect(facts(page, 'Status')).toHaveText(spec.status);
    await expect(page.locator('#verify-notice')).toHaveCount(spec.verifies ? 1 : 0);
    await waitForHydration(page);
    await expect(receipt).toBeVisible();

    // Later, on another device: the private link alone shows the request.
    const later = await (await openContext()).newPage();
    const response = await later.goto(link);
    expect(response?.status()).toBe(200);
    await waitForHydration(later);
    await expect(later.getByRole('heading', { level: 1, name: 'Your request' })).toBeVisible();
    await expect(later.getByRole('heading', { name: 'Request received' })).toHaveCount(0);
    await expect(later.getByLabel('Your private link', { exact: true })).toHaveCount(0);
    await expect(facts(later, 'Reference')).toHaveText(reference);
    await expect(facts(later, 'Request')).toHaveText(spec.kindLabel);
    await expect(facts(later, 'What you asked')).toHaveText(spec.summary);
    await expect(facts(later, 'Status')).toHaveText(spec.status);
    const verifyNotice = later.locator('#verify-notice');
    if (spec.verifies) {
      await expect(verifyNotice.getByRole('heading')).toHaveText('Please confirm your email address');
      await expect(verifyNotice.getByRole('button', { name: 'Send me a new confirmation email' })).toBeVisible();
    } else {
      await expect(verifyNotice).toHaveCount(0);
    }
    const days = new Set([longDate(before), longDate(new Date())]);
    expect(days).toContain(await facts(later, 'Received').innerText());
    expect(days).toContain(await facts(later, 'Last update').innerText());

    const timeline = later.locator('ol.timeline > li');
    await expect(timeline).toHaveCount(1);
    await expect(timeline.first().locator('.timeline-title')).toHaveText('We received your request');
    expect(days).toContain(await timeline.first().locator('time').innerText());
    await expect(later.locator('main')).toContainText(`Call ${site.privacyPhone} and quote your reference number`);
  });
}

