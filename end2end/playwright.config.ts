/*
 * End-to-end tests of the privacy-request portal, in Chromium.
 *
 * How to run (from the repository root):
 *
 *   cargo leptos build                 # builds target/debug/server and target/site/pkg
 *   cd end2end
 *   PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci   # once; browsers are never downloaded
 *   npx playwright test                # or: npx playwright test tests/gpc.spec.ts
 *
 * Playwright starts the already-built server itself on a free port of
 * 127.0.0.1 (or PORTAL_E2E_PORT when set) with a
 * fresh SQLite database in a new temporary folder per run, and stops it at
 * the end. The server sends no email: it writes its letters as .eml files
 * into mail/ in that folder, where the tests read them. The browser is
 * Debian's /usr/bin/chromium (override with PORTAL_CHROMIUM). Other settings,
 * all optional:
 *
 *   PORTAL_SERVER_BIN  the server binary (default <repo>/target/debug/server;
 *                      a relative path is taken from the current folder)
 *   PORTAL_SITE_ROOT   the compiled site (default target/site, from the repo root);
 *                      it is copied into the run's folder and served from there
 *   PORTAL_E2E_PORT    the port the started server listens on (default 3100),
 *                      so that two worktrees can run the suite at once
 *   PORTAL_URL         test a portal that is already running at this address
 *                      instead of starting one (its PUBLIC_URL must be the same
 *                      address, so tracking links can be opened); the
 *                      tests that read the server's letters are then skipped
 *
 * The server's stdout (its log) goes to server.log in the run's temporary
 * folder, whose path is printed at the start of the run; when a test fails,
 * the log lines written during that test are attached to it and printed
 * (see tests/fixtures.ts). The server's stderr is shown on the console.
 */
import { defineConfig, devices } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { STAFF, STAFF_PASSWORD } from './staff-accounts';

const repoRoot = path.resolve(__dirname, '..');
const externalUrl = process.env.PORTAL_URL;
// A port the system hands out, not a fixed one: two runs on one machine (a
// developer's beside CI's) each start their own server, and with a fixed
// port the second run failed before its first test. Chosen once, in the
// main process, and inherited by the workers like the run folder below.
if (!externalUrl && !process.env.PORTAL_E2E_PORT) {
  process.env.PORTAL_E2E_PORT = execFileSync(process.execPath, [
    '-e',
    "const s = require('net').createServer(); s.listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); });",
  ])
    .toString()
    .trim();
}
const port = process.env.PORTAL_E2E_PORT;
const defaultUrl = `http://127.0.0.1:${port}`;
const baseURL = (externalUrl ?? defaultUrl).replace(/\/+$/, '');

const serverBin = process.env.PORTAL_SERVER_BIN
  ? path.resolve(process.cwd(), process.env.PORTAL_SERVER_BIN)
  : path.join(repoRoot, 'target', 'debug', 'server');
const builtSite = path.resolve(repoRoot, process.env.PORTAL_SITE_ROOT ?? 'target/site');

// Playwright evaluates this file in its main process and again in every
// worker. The run folder is made once, in the main process, and handed to
// the workers (which inherit the environment) so that all agree on it.
if (!externalUrl && !process.env.PORTAL_E2E_RUN_DIR) {
  for (const [file, what] of [
    [serverBin, 'the server binary'],
    [path.join(builtSite, 'pkg', 'portal.wasm'), 'the compiled site'],
  ]) {
    if (!fs.existsSync(file)) throw new Error(`${what} is missing (${file}): run \`cargo leptos build\` first`);
  }
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), `portal-e2e-${process.pid}-${Date.now()}-`));
  process.env.PORTAL_E2E_RUN_DIR = runDir;
  process.env.PORTAL_E2E_SERVER_LOG = path.join(runDir, 'server.log');
  process.env.PORTAL_E2E_MAIL_DIR = path.join(runDir, 'mail');
  fs.writeFileSync(process.env.PORTAL_E2E_SERVER_LOG, '');
  // The server reads the site's files on every request. A copy keeps the
  // run on one build even if `cargo leptos build` or `watch` rewrites
  // target/site meanwhile (which otherwise breaks the pages' scripts).
  fs.cpSync(builtSite, path.join(runDir, 'site'), { recursive: true });
  // Staff accounts, made the way an operator makes them: with the server's
  // own command, the password on standard input. This also creates and
  // migrates the database the server then opens.
  for (const [email, role] of Object.entries(STAFF)) {
    execFileSync(serverBin, ['user', 'create', '--email', email, '--role', role], {
      input: `${STAFF_PASSWORD}\n`,
      env: { ...process.env, DATABASE_URL: `sqlite://${path.join(runDir, 'portal.db')}?mode=rwc`, RUST_LOG: 'warn' },
      stdio: ['pipe', 'ignore', 'inherit'],
    });
  }
  console.log(`Portal database, site copy and server log: ${runDir}`);
}
const runDir = process.env.PORTAL_E2E_RUN_DIR;
const serverLog = process.env.PORTAL_E2E_SERVER_LOG;
const mailDir = process.env.PORTAL_E2E_MAIL_DIR;

/** Quotes a value for the POSIX shell that Playwright runs the command in. */
const sh = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

export default defineConfig({
  testDir: './tests',
  globalTeardown: './global-teardown.ts',
  outputDir: './test-results',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  reporter: 'list',
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    locale: 'en-US',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath: process.env.PORTAL_CHROMIUM ?? '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
  ],
  webServer: externalUrl
    ? undefined
    : {
        // `exec` so that the server itself receives Playwright's stop signal;
        // no SMTP server, so letters are written as files the tests can read.
        command: `exec env -u SMTP_URL -u LEPTOS_ENV ${sh(serverBin)} >> ${sh(serverLog!)}`,
        cwd: repoRoot,
        url: `${defaultUrl}/`,
        reuseExistingServer: false,
        timeout: 120_000,
        stdout: 'ignore',
        stderr: 'pipe',
        gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
        env: {
          LEPTOS_SITE_ROOT: path.join(runDir!, 'site'),
          LEPTOS_OUTPUT_NAME: 'portal',
          LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
          PUBLIC_URL: defaultUrl,
          DATABASE_URL: `sqlite://${path.join(runDir!, 'portal.db')}?mode=rwc`,
          MAIL_DIR: mailDir!,
          // What the tests expect the pages to say.
          ORG_NAME: 'Example Medical Supply',
          PRIVACY_PHONE: '1-800-555-0199',
          OPT_OUT_PHONE: '1-800-555-0142',
          RUST_LOG: process.env.RUST_LOG ?? 'info,sqlx=warn',
          // Every test posts from 127.0.0.1, many of them to the same
          // addresses: the limits on the public are for the open internet.
          SUBMISSIONS_PER_HOUR: '100000',
          LETTERS_PER_RECIPIENT: '100000',
          // The webhook test's receiver listens on this machine.
          WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
        },
      },
});
