/*
 * Supporting documents (issue 17), with JavaScript on and off: a customer
 * sends a photo of a card as a PDF from the tracking page and sees it
 * listed; a script named like an image is refused beside the field; staff
 * see the document on the case page and download the same bytes.
 */
import fs from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect, waitForHydration } from './fixtures';
import { fillAnswers, forms } from './forms';
import { STAFF_PASSWORD } from '../staff-accounts';

test.skip(!process.env.PORTAL_E2E_MAIL_DIR, 'staff accounts exist only on a server this suite started');

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

async function signIn(page: Page) {
  await page.goto('/staff');
  await page.getByLabel('Email address').fill('agent@example.com');
  await page.getByLabel('Password').fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/staff$/);
}

for (const javaScriptEnabled of [true, false]) {
  test(`a customer sends a document from the tracking page and staff download it (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async ({
    openContext,
  }) => {
    const run = `${javaScriptEnabled ? 'js' : 'nojs'}-${Date.now()}`;
    const customer = await (await openContext({ javaScriptEnabled })).newPage();
    const spec = forms.amendment;
    await customer.goto(spec.path);
    if (javaScriptEnabled) await waitForHydration(customer);
    await fillAnswers(customer, spec.answers);
    await customer.getByLabel('Email address', { exact: true }).fill(`documents-${run}@example.com`);
    await customer.getByRole('button', { name: spec.submit }).click();
    await expect(customer.getByRole('heading', { name: 'Request received' })).toBeVisible();
    const reference = (await customer.locator('.panel .reference').innerText()).trim();
    const tracking = customer.url().replace(/\?.*$/, '');
    await customer.goto(tracking);
    if (javaScriptEnabled) await waitForHydration(customer);

    // A script dressed as a photo is refused beside the field.
    await customer.getByLabel('Your documents').setInputFiles({
      name: 'photo.png',
      mimeType: 'image/png',
      buffer: Buffer.from('<script>alert(1)</script>'),
    });
    await customer.getByRole('button', { name: 'Send my documents' }).click();
    await expect(customer.locator('#f-documents-error')).toContainText('photo.png is not a PDF, JPEG or PNG file');
    await expect(customer.locator('#documents-list')).toHaveCount(0);

    // Real PDF bytes under a photo's name are taken, as what they are.
    await customer.getByLabel('Your documents').setInputFiles({
      name: `card <b>${run}</b>.jpg`,
      mimeType: 'image/jpeg',
      buffer: PDF,
    });
    await customer.getByRole('button', { name: 'Send my documents' }).click();
    await expect(customer.locator('#documents-sent')).toBeVisible();
    await expect(customer.locator('#documents-list')).toContainText(`card <b>${run}</b>.jpg`);

    const agent = await (await openContext({ javaScriptEnabled: false })).newPage();
    await signIn(agent);
    await agent.goto(`/staff/requests/${reference}`);
    const link = agent.getByRole('link', { name: `card <b>${run}</b>.jpg` });
    await expect(link).toBeVisible();
    const download = agent.waitForEvent('download');
    await link.click();
    const file = await (await download).path();
    expect(fs.readFileSync(file)).toEqual(PDF);
  });
}
