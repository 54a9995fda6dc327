import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AxeFinding, axeViolations, launchChromium, screenshot } from '../../helpers/browser.js';
import { tempDataDir } from '../../helpers/config.js';
import { registerChurch, startConsoleServer } from '../../helpers/console-server.js';
import type { ServerProcess } from '../../helpers/process.js';
import { type SmtpSink, startSmtpSink } from '../../helpers/smtp-sink.js';

/**
 * A forgotten password through the console: the sign-in page's link, the emailed link (a real
 * SMTP server receives it) opened at /reset-password#token=..., a new password, sign in with it;
 * the same link a second time is refused.
 */
const SLUG = 'st-anne-reset';
const EMAIL = 'ana@anne.example';
const PUBLIC_URL = 'http://console.example';

let server: ServerProcess;
let browser: Browser;
let sink: SmtpSink;
const data = tempDataDir();
const findings: AxeFinding[] = [];

beforeAll(async () => {
  sink = await startSmtpSink();
  server = await startConsoleServer(data.dir, {
    SMTP_URL: sink.url,
    PUBLIC_URL,
    MAIL_FROM: 'St Anne <office@anne.example>',
  });
  await registerChurch(
    server,
    { name: 'St Anne', slug: SLUG, timezone: 'Europe/Dublin', currency: 'EUR' },
    { name: 'Ana Office', email: EMAIL, password: 'the old passphrase' },
  );
  browser = await launchChromium();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop('SIGKILL');
  await sink?.close();
  data.cleanup();
});

async function check(page: Page, name: string, heading: string) {
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  await screenshot(page, name);
  findings.push(...(await axeViolations(page, name)));
}

describe('forgot and reset password in the console', () => {
  it('emails a link that sets a new password once', { timeout: 180_000 }, async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${server.url}/sign-in`);
      await page.getByLabel('Church address').fill(SLUG);
      await page.getByRole('link', { name: 'Forgot your password?' }).click();
      await check(page, 'forgot-password', 'Forgot your password?');
      await expect.poll(() => page.getByLabel('Church address').inputValue()).toBe(SLUG);
      await page.getByLabel('Email').fill(EMAIL);
      await page.getByRole('button', { name: 'Send reset link' }).click();
      await page.getByText('Check your email').waitFor();

      const [mail] = await sink.waitForMessages(1, 30_000);
      const link = /(http:\/\/console\.example\/reset-password#token=\S+)/.exec(mail!.text ?? '')?.[1];
      expect(link, mail!.text).toBeDefined();
      const local = link!.replace(PUBLIC_URL, server.url);

      await page.goto(local);
      await check(page, 'reset-password', 'Choose a new password');
      await page.getByLabel('New password', { exact: true }).fill('a brand new passphrase');
      await page.getByLabel('Repeat the new password').fill('a brand new passphrase!');
      await page.getByRole('button', { name: 'Save new password' }).click();
      await page.getByText('The two passwords differ').waitFor();
      await page.getByLabel('Repeat the new password').fill('a brand new passphrase');
      await page.getByRole('button', { name: 'Save new password' }).click();
      await page.getByText('Password changed').waitFor();

      await page.getByRole('link', { name: 'Sign in' }).click();
      await page.getByLabel('Church address').fill(SLUG);
      await page.getByLabel('Email').fill(EMAIL);
      await page.getByLabel('Password', { exact: true }).fill('a brand new passphrase');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor();

      // The link works once.
      await page.goto(local);
      await page.getByLabel('New password', { exact: true }).fill('yet another passphrase');
      await page.getByLabel('Repeat the new password').fill('yet another passphrase');
      await page.getByRole('button', { name: 'Save new password' }).click();
      await page.getByText('This link has expired or was used already').waitFor();
    } catch (err) {
      await screenshot(page, 'failure-reset');
      throw err;
    }
    expect(findings, JSON.stringify(findings, null, 2)).toEqual([]);
  });
});
