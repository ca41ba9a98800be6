/*
 * The pages run under a strict Content-Security-Policy: their own scripts,
 * stamped with each answer's nonce, hydrate them; anything else is blocked,
 * and the suite hears of it (so every other test fails on a violation).
 */
import { test, expect, gotoHydrated } from './fixtures';

test('a script the page did not sign is blocked, and the suite is told', async ({ page, problems }) => {
  const response = await gotoHydrated(page, '/opt-out');
  expect(response?.headers()['content-security-policy']).toContain("script-src 'nonce-");

  const before = problems.length;
  await page.evaluate(() => {
    const injected = document.createElement('script');
    injected.textContent = 'window.__e2eInjected = true;';
    document.body.append(injected);
  });
  await expect
    .poll(() => problems.slice(before).some((p) => p.startsWith('Content-Security-Policy violation')))
    .toBe(true);
  expect(await page.evaluate(() => (window as unknown as { __e2eInjected?: boolean }).__e2eInjected)).toBeUndefined();

  // That violation, and Chromium's console line about it, were the point.
  const caused = problems.splice(before);
  expect(caused.every((p) => p.includes('script-src'))).toBe(true);
});
