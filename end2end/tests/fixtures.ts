/*
 * What every test shares: a `test` whose pages note when the WebAssembly has
 * started (so tests can wait for hydration), fail the test on a script error
 * in the page or anything the Content-Security-Policy blocked, and attach the
 * server's log when the test fails.
 */
import fs from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { STAFF_PASSWORD } from '../staff-accounts';
import {
  test as base,
  expect,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from '@playwright/test';

export { expect };

/**
 * Runs in every page before its own scripts. wasm-bindgen instantiates the
 * module, and the hydration script calls `hydrate()` in the promise chain
 * that follows, without giving the event loop a turn in between. So once a
 * later task sees this flag, hydration has run.
 */
function markWasmStart() {
  const w = window as unknown as { __e2eWasmStarted?: boolean };
  for (const name of ['instantiateStreaming', 'instantiate'] as const) {
    const original = WebAssembly[name] as (...args: unknown[]) => Promise<unknown>;
    if (typeof original !== 'function') continue;
    (WebAssembly as unknown as Record<string, unknown>)[name] = function (this: unknown, ...args: unknown[]) {
      return original.apply(this, args).then((result) => {
        w.__e2eWasmStarted = true;
        return result;
      });
    };
  }
}

/**
 * Runs in every page before its own scripts (Playwright's init scripts are
 * not subject to the page's policy): hands each Content-Security-Policy
 * violation to the test, including those Chromium does not log.
 */
function reportPolicyViolations() {
  document.addEventListener('securitypolicyviolation', (event) => {
    const report = (window as unknown as { __e2eReportViolation?: (text: string) => void }).__e2eReportViolation;
    const where = event.sourceFile ? ` at ${event.sourceFile}:${event.lineNumber}` : '';
    report?.(`${event.effectiveDirective} blocked ${event.blockedURI || 'an inline item'}${where}`);
  });
}

/** Script errors, console errors and policy violations a page reported; the test fails on any. */
type ProblemLog = string[];

/** Console messages that are a page's normal business, not a fault. */
const expectedConsole = [
  // Chromium logs every 4xx answer, including the refusals and error pages that
  // some tests ask for on purpose.
  /^Failed to load resource: the server responded with a status of (401|403|404|409|422|429)/,
  // This file's init scripts try to run in every frame, the letter previews'
  // sandboxed frames too, where no script may run: the pages put none there.
  // A style the page's policy refused there would still be logged, and fail.
  /^Blocked script execution in 'about:srcdoc' because the document's frame is sandboxed/,
];

function watch(context: BrowserContext, problems: ProblemLog) {
  const attach = (page: Page) => {
    page.on('pageerror', (error) => problems.push(`page error on ${page.url()}: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const text = message.text();
      if (expectedConsole.some((pattern) => pattern.test(text))) return;
      problems.push(`console error on ${page.url()}: ${text}`);
    });
  };
  context.pages().forEach(attach);
  context.on('page', attach);
}

async function prepare(context: BrowserContext, problems: ProblemLog) {
  await context.exposeBinding('__e2eReportViolation', ({ page }, text: string) => {
    problems.push(`Content-Security-Policy violation on ${page.url()}: ${text}`);
  });
  await context.addInitScript(reportPolicyViolations);
  await context.addInitScript(markWasmStart);
  watch(context, problems);
}

type Fixtures = {
  /** Opens another browser context (other options, or a fresh visitor), closed after the test. */
  openContext: (options?: BrowserContextOptions) => Promise<BrowserContext>;
  problems: ProblemLog;
  serverLog: void;
};

export const test = base.extend<Fixtures>({
  problems: async ({}, use) => {
    const problems: ProblemLog = [];
    await use(problems);
    expect(problems, 'the pages reported script or console errors').toEqual([]);
  },

  context: async ({ context, problems }, use) => {
    await prepare(context, problems);
    await use(context);
  },

  openContext: async ({ browser, problems }, use) => {
    const opened: BrowserContext[] = [];
    await use(async (options) => {
      const context = await (browser as Browser).newContext(options);
      opened.push(context);
      await prepare(context, problems);
      return context;
    });
    for (const context of opened) await context.close();
  },

  serverLog: [
    async ({}, use, testInfo) => {
      const file = process.env.PORTAL_E2E_SERVER_LOG;
      const start = file && fs.existsSync(file) ? fs.statSync(file).size : 0;
      await use();
      if (!file || testInfo.status === testInfo.expectedStatus || !fs.existsSync(file)) return;
      const end = fs.statSync(file).size;
      const buffer = Buffer.alloc(Math.max(0, end - start));
      const fd = fs.openSync(file, 'r');
      try {
        fs.readSync(fd, buffer, 0, buffer.length, start);
      } finally {
        fs.closeSync(fd);
      }
      // Strip colour codes so the log reads well in the report.
      const text = buffer.toString('utf8').replace(/\x1b\[[0-9;]*m/g, '');
      await testInfo.attach('server.log', { body: text, contentType: 'text/plain' });
      console.log(`--- server log during "${testInfo.title}" (${file}) ---\n${text || '(nothing)'}\n--- end of server log ---`);
    },
    { auto: true },
  ],
});

/**
 * Waits until the page's WebAssembly has loaded and woken the page's
 * islands. A page without an island loads none, and has nothing to wait for.
 */
export async function waitForHydration(page: Page) {
  await page.waitForLoadState('networkidle');
  if ((await page.locator('leptos-island').count()) === 0) return;
  await page.waitForFunction(() => (window as unknown as { __e2eWasmStarted?: boolean }).__e2eWasmStarted === true);
}

/** Opens a page and waits until it is interactive. */
export async function gotoHydrated(page: Page, url: string) {
  const response = await page.goto(url);
  await waitForHydration(page);
  return response;
}

/**
 * Opens one of the case page's folded action cards ("note", "message",
 * "hold", ...) the way a person does, by its title; an open card stays open.
 */
export async function openCard(page: Page, card: string) {
  const details = page.locator(`#card-${card}`);
  if (!(await details.evaluate((element) => (element as HTMLDetailsElement).open))) {
    await details.locator('summary').click();
  }
  await expect(details).toHaveAttribute('open', '');
}

/** Fails on any serious or critical axe-core violation on the page as it is now. */
export async function expectNoSeriousViolations(page: Page, what: string) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = serious
    .map(
      (v) =>
        `[${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n` +
        v.nodes.map((n) => `    ${n.target.join(' ')}\n      ${n.failureSummary?.replace(/\n/g, '\n      ')}`).join('\n'),
    )
    .join('\n');
  if (serious.length) console.log(`Accessibility violations on ${what}:\n${report}`);
  expect(serious, `serious or critical accessibility violations on ${what}:\n${report}`).toEqual([]);
}

/** Signs `page` in as the staff member `email` (one of the run's accounts). */
export async function signIn(page: Page, email: string) {
  await page.goto('/staff');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/staff$/);
}
