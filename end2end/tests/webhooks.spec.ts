/*
 * An administrator registers a webhook endpoint in the browser and sees its
 * delivery; the receiver, a real HTTP server on loopback, checks every
 * delivery with the Standard Webhooks project's own verifier, an
 * implementation independent of the portal's.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
import { Webhook } from 'standardwebhooks';
import { test, expect, gotoHydrated } from './fixtures';
import { fillAnswers, forms } from './forms';
import { STAFF_PASSWORD } from '../staff-accounts';

test.skip(!process.env.PORTAL_E2E_MAIL_DIR, 'staff accounts exist only on a server this suite started');

type Arrival = { headers: Record<string, string>; body: string };

async function receiver(): Promise<{ url: string; arrivals: Arrival[]; close: () => void }> {
  const arrivals: Arrival[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) headers[name] = String(value);
      arrivals.push({ headers, body });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/privacy-events`, arrivals, close: () => server.close() };
}

async function signIn(page: Page, email: string) {
  await page.goto('/staff');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/staff$/);
}

test('an administrator registers a webhook and sees a signed delivery arrive', async ({ openContext }) => {
  const hook = await receiver();
  try {
    const admin = await (await openContext()).newPage();
    await signIn(admin, 'admin@example.com');
    await admin.getByRole('link', { name: 'Webhooks' }).click();
    await expect(admin.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible();
    await admin.getByLabel('Address').fill(hook.url);
    await admin.getByLabel('What it is').fill('Marketing suppression list');
    await admin.getByLabel(/Request received/).check();
    await admin.getByRole('button', { name: 'Register endpoint' }).click();
    await expect(admin.getByRole('status').first()).toContainText('Endpoint registered');
    const endpoint = admin.locator('section.endpoint', { hasText: hook.url });
    await endpoint.getByText('Show the signing secret').click();
    const secret = await endpoint.getByLabel('Signing secret').inputValue();
    expect(secret).toMatch(/^whsec_/);

    const customer = await (await openContext()).newPage();
    const spec = forms['opt-out'];
    await gotoHydrated(customer, spec.path);
    await fillAnswers(customer, spec.answers);
    await customer.getByLabel('Email address', { exact: true }).fill(`hook-${Date.now()}@example.com`);
    await customer.getByRole('button', { name: spec.submit }).click();
    await expect(customer.getByRole('heading', { name: 'Request received' })).toBeVisible();
    const reference = (await customer.locator('.panel .reference').innerText()).trim();

    // Other tests submit requests on the same server meanwhile, and the
    // endpoint hears of those too: wait for this request's own delivery.
    const verifier = new Webhook(secret);
    const mine = () =>
      hook.arrivals
        .map((arrival) => verifier.verify(arrival.body, arrival.headers) as { type: string; data: { reference: string } })
        .filter((event) => event.data.reference === reference);
    await expect.poll(() => mine().length, { timeout: 20_000 }).toBeGreaterThan(0);
    expect(mine()).toHaveLength(1);
    expect(mine()[0].type).toBe('request.received');
    expect(() => new Webhook('whsec_' + Buffer.from('not the secret').toString('base64')).verify(
      hook.arrivals[0].body,
      hook.arrivals[0].headers,
    )).toThrow();

    await expect(async () => {
      await admin.reload();
      const row = admin.locator('section.endpoint', { hasText: hook.url }).locator('tbody tr').first();
      await expect(row).toContainText('Delivered');
      await expect(row).toContainText('200');
    }).toPass({ timeout: 20_000 });
  } finally {
    hook.close();
  }
});
