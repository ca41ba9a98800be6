/*
 * Spanish as well as English (issue 18): the switch on every customer page
 * is a plain link, so it works with JavaScript off and on; the choice is
 * remembered; the forms check and refuse in Spanish, in the browser and
 * from the server; Spanish pages pass the accessibility check and fit a
 * phone although Spanish runs longer.
 */
import type { Page } from '@playwright/test';
import { test, expect, gotoHydrated, expectNoSeriousViolations } from './fixtures';
import { spanishLongDate } from './forms';
import { waitForLetter } from './mail';

const spanish = {
  home: 'Sus opciones de privacidad',
  optOut: 'Exclusión voluntaria del intercambio de datos',
  complaint: 'Queja de privacidad',
  checkTheForm: 'Revise el formulario',
  nameMissing: 'Escriba su nombre completo.',
  scopeMissing: 'Elija qué abarca la exclusión voluntaria.',
};

async function expectNoSidewaysScroll(page: Page) {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(scrollWidth, 'the page is wider than the screen').toBeLessThanOrEqual(clientWidth);
}

test('without JavaScript, the switch turns the page and the form\'s errors Spanish, and back', async ({
  openContext,
}) => {
  const context = await openContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/opt-out');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.getByRole('link', { name: 'Español' }).click();
  await expect(page).toHaveURL(/\/opt-out$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(spanish.optOut);

  await page.getByLabel('Dirección postal', { exact: true }).fill('Calle Luna 5, Phoenix AZ');
  await page.getByRole('button', { name: 'Enviar mi exclusión voluntaria' }).click();
  await expect(page.getByRole('heading', { name: spanish.checkTheForm })).toBeVisible();
  await expect(page.locator('#f-full_name-error')).toContainText(spanish.nameMissing);
  await expect(page.locator('#f-scope-error')).toContainText(spanish.scopeMissing);
  await expect(page.getByLabel('Dirección postal', { exact: true })).toHaveValue('Calle Luna 5, Phoenix AZ');

  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(spanish.home);
  await page.getByRole('link', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your privacy choices');
});

test('with JavaScript, the form checks in Spanish in the browser', async ({ page }) => {
  await gotoHydrated(page, '/complaint');
  await page.getByRole('link', { name: 'Español' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  await gotoHydrated(page, '/complaint');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(spanish.complaint);

  await page.getByLabel('Correo electrónico', { exact: true }).fill('ana@gmail');
  await expect(page.getByText('¿Quiso decir ana@gmail.com?')).toBeVisible();
  await page.getByRole('button', { name: 'Enviar mi queja' }).click();
  await expect(page.getByRole('heading', { name: spanish.checkTheForm })).toBeVisible();
  await expect(page.locator('#f-full_name-error')).toContainText(spanish.nameMissing);
  await expect(page.locator('#f-description-error')).toContainText('Díganos qué ocurrió.');
  await expect(page.locator('.count').first()).toContainText('caracteres');
});

test('a browser that asks for Spanish gets Spanish before any choice', async ({ openContext }) => {
  const context = await openContext({ locale: 'es-MX' });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(spanish.home);
  await expect(page.getByRole('link', { name: 'English' })).toBeVisible();
});

for (const width of [1280, 375]) {
  test(`the Spanish customer pages pass the accessibility check and fit at ${width} px`, async ({ openContext }) => {
    const context = await openContext({
      viewport: { width, height: 900 },
      locale: 'es-MX',
    });
    const page = await context.newPage();
    for (const path of ['/', '/opt-out', '/amendment', '/complaint', '/my-link', '/no-such-page']) {
      await gotoHydrated(page, path);
      await expect(page.locator('html')).toHaveAttribute('lang', 'es');
      await expectNoSidewaysScroll(page);
      await expectNoSeriousViolations(page, `${path} in Spanish at ${width} px`);
    }
    await gotoHydrated(page, '/opt-out');
    await page.getByRole('button', { name: 'Enviar mi exclusión voluntaria' }).click();
    await expect(page.getByRole('heading', { name: spanish.checkTheForm })).toBeVisible();
    await expectNoSidewaysScroll(page);
    await expectNoSeriousViolations(page, `the opt-out form's errors in Spanish at ${width} px`);
  });
}

test('a request made in Spanish is followed and answered in Spanish', async ({ openContext }) => {
  const context = await openContext({ locale: 'es-MX' });
  const page = await context.newPage();
  const email = `ana-${Date.now()}@example.com`;
  await gotoHydrated(page, '/opt-out');
  await page.getByLabel('Nombre completo', { exact: true }).fill('Ana Martínez');
  await page.getByLabel('Correo electrónico', { exact: true }).fill(email);
  await page.getByLabel('Dirección postal', { exact: true }).fill('Calle Luna 5, Phoenix AZ 85001');
  await page.getByRole('radio', { name: 'Todo intercambio con terceros no afiliados', exact: true }).check();
  await page.getByRole('radio', { name: 'No es una cuenta conjunta', exact: true }).check();
  const sent = new Date();
  await page.getByRole('button', { name: 'Enviar mi exclusión voluntaria' }).click();

  await expect(page.getByRole('heading', { name: 'Solicitud recibida' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  const reference = (await page.locator('.panel .reference').innerText()).trim();
  // The day in New York, where the business is: from 7 or 8 in the
  // evening there, the machine's own (UTC) date is already the next day.
  const days = [...new Set([spanishLongDate(sent), spanishLongDate(new Date())])];
  await expect(page.getByText(new RegExp(days.join('|'))).first()).toBeVisible();
  await expectNoSeriousViolations(page, 'the Spanish receipt page');

  const receipt = await waitForLetter(email, /^Hemos recibido su solicitud /);
  expect(receipt.subject).toBe(`Hemos recibido su solicitud ${reference}: Exclusión voluntaria del intercambio de datos`);
  expect(receipt.text).toContain('Ana Martínez');
  expect(receipt.text).not.toContain('Dear ');
});
