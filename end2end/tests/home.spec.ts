import { test, expect, gotoHydrated } from './fixtures';
import { forms, site } from './forms';

test.describe('home page', () => {
  test('offers the three rights, each with a link and a phone alternative', async ({ page }) => {
    const response = await page.goto('/');
    expect(response?.status()).toBe(200);
    await expect(page).toHaveTitle(`Your privacy choices | ${site.org}`);
    await expect(page.getByRole('heading', { level: 1, name: 'Your privacy choices' })).toBeVisible();

    const cards = page.locator('main .card');
    await expect(cards).toHaveCount(3);

    const expected = [
      { link: 'Opt out of sharing', href: '/opt-out', phone: site.optOutPhone, says: /Or call toll-free/ },
      { link: 'Amendment of your records', href: '/amendment', phone: site.privacyPhone, says: /Or call/ },
      { link: 'Privacy complaint', href: '/complaint', phone: site.privacyPhone, says: /Or call/ },
    ];
    for (const [index, right] of expected.entries()) {
      const card = cards.nth(index);
      const link = card.getByRole('heading', { level: 2 }).getByRole('link', { name: right.link, exact: true });
      await expect(link).toBeVisible();
      await expect(link).toHaveAttribute('href', right.href);
      await expect(card.locator('.card-alt')).toHaveText(right.says);
      const phone = card.getByRole('link', { name: right.phone, exact: true });
      await expect(phone).toBeVisible();
      await expect(phone).toHaveAttribute('href', `tel:${right.phone}`);
    }

    // Lost links: the page offers the link again, and says whom to call.
    const note = page.locator('main .note');
    await expect(note.getByRole('link', { name: 'Send me my link again' })).toHaveAttribute('href', '/my-link');
    await expect(note).toContainText(`call ${site.privacyPhone} with your reference number`);
    // Both lines are in the footer of every page too.
    const footer = page.getByRole('contentinfo');
    await expect(footer.getByRole('link', { name: site.privacyPhone })).toHaveAttribute('href', `tel:${site.privacyPhone}`);
    await expect(footer.getByRole('link', { name: site.optOutPhone })).toHaveAttribute('href', `tel:${site.optOutPhone}`);
  });

  test('every card link opens its form', async ({ page }) => {
    for (const spec of Object.values(forms)) {
      await gotoHydrated(page, '/');
      await page.locator('main').getByRole('link', { name: spec.heading, exact: true }).click();
      await expect(page).toHaveURL(spec.path);
      await expect(page.getByRole('heading', { level: 1, name: spec.heading })).toBeVisible();
      await expect(page.getByRole('button', { name: spec.submit })).toBeVisible();
    }
  });

  for (const javaScriptEnabled of [true, false]) {
    test(`the skip link takes the keyboard past the header (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async ({
      openContext,
    }) => {
      const page = await (await openContext({ javaScriptEnabled })).newPage();
      if (javaScriptEnabled) await gotoHydrated(page, '/opt-out');
      else await page.goto('/opt-out');
      await page.keyboard.press('Tab');
      await expect(page.getByRole('link', { name: 'Skip to main content' })).toBeFocused();
      await page.keyboard.press('Enter');
      await expect(page.locator('main#content')).toBeFocused();
      // The next Tab lands in the page's own content, not on the header's links.
      await page.keyboard.press('Tab');
      await expect(page.locator('main').getByRole('link', { name: site.optOutPhone })).toBeFocused();
    });
  }

  test('can be used with the keyboard alone: Tab to a right, Enter opens its form', async ({ page }) => {
    await gotoHydrated(page, '/');

    // The first stop is the skip link, shown when focused.
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to main content' });
    await expect(skip).toBeFocused();
    await expect(skip).toBeInViewport();

    const target = page.locator('main').getByRole('link', { name: 'Privacy complaint', exact: true });
    let reached = false;
    for (let presses = 0; presses < 15 && !reached; presses++) {
      await page.keyboard.press('Tab');
      reached = await target.evaluate((link) => link === document.activeElement);
    }
    expect(reached, 'Tab reaches the complaint link within 15 presses').toBe(true);
    // A focused link shows where the keyboard is.
    const outline = await target.evaluate((link) => getComputedStyle(link).outlineStyle);
    expect(outline).not.toBe('none');

    await page.keyboard.press('Enter');
    await expect(page).toHaveURL('/complaint');
    await expect(page.getByRole('heading', { level: 1, name: 'Privacy complaint' })).toBeVisible();
    await expect(page).toHaveTitle(`Privacy complaint | ${site.org}`);

    // And the form itself can be reached and typed into from the keyboard.
    const name = page.getByLabel('Full name', { exact: true });
    for (let presses = 0; presses < 25; presses++) {
      if (await name.evaluate((input) => input === document.activeElement)) break;
      await page.keyboard.press('Tab');
    }
    await expect(name).toBeFocused();
    await page.keyboard.type('Keyboard User');
    await expect(name).toHaveValue('Keyboard User');
  });
});
