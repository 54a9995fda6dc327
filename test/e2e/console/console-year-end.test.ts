import fs from 'node:fs';
import { unzipSync } from 'fflate';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AxeFinding, axeViolations, launchChromium, screenshot } from '../../helpers/browser.js';
import { tempDataDir } from '../../helpers/config.js';
import { registerChurch, startConsoleServer } from '../../helpers/console-server.js';
import { apiClient } from '../../helpers/http-api.js';
import { pdfText } from '../../helpers/pdf-text.js';
import type { ServerProcess } from '../../helpers/process.js';
import { type SmtpSink, startSmtpSink } from '../../helpers/smtp-sink.js';

/**
 * A treasurer's year end through the console: gifts of last year in a committed batch (one
 * more in a batch still open), the figures and the warning, every statement as a ZIP of PDFs,
 * the emails sent to a real SMTP server with the progress followed to the end, and the
 * printable list of donors without an email address.
 */
const SLUG = 'grace-year-end';
const EMAIL = 'treasurer@grace.example';
const PASSWORD = 'a long treasurer passphrase';
const TIMEZONE = 'America/Chicago';
// The screen opens on last year in the church's time zone.
const YEAR =
  Number(new Intl.DateTimeFormat('en-CA', { timeZone: TIMEZONE }).format(new Date()).slice(0, 4)) - 1;

let server: ServerProcess;
let browser: Browser;
let sink: SmtpSink;
const data = tempDataDir();
const findings: AxeFinding[] = [];

beforeAll(async () => {
  sink = await startSmtpSink();
  server = await startConsoleServer(data.dir, {
    SMTP_URL: sink.url,
    MAIL_FROM: 'Grace <office@grace.example>',
  });
  await registerChurch(
    server,
    { name: 'Grace Chapel', slug: SLUG, timezone: TIMEZONE, currency: 'USD' },
    { name: 'Tess Treasurer', email: EMAIL, password: PASSWORD },
  );
  await seedGiving();
  browser = await launchChromium();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop('SIGKILL');
  await sink?.close();
  data.cleanup();
});

/** Ana (with email) gives twice, Ben (no email) once, in a committed batch; one gift waits in an open one. */
async function seedGiving() {
  const api = apiClient(server.url);
  const login = await api('POST', '/api/auth/login', { church: SLUG, email: EMAIL, password: PASSWORD });
  const token = login.body.data.accessToken as string;
  const post = async (path: string, body: unknown) => {
    const res = await api('POST', path, body, token);
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    return res.body?.data;
  };
  const ana = await post('/api/people', { firstName: 'Ana', lastName: 'Diaz', email: 'ana@example.org' });
  const ben = await post('/api/people', { firstName: 'Ben', lastName: 'Okafor' });
  const fund = await post('/api/funds', { name: 'General' });
  const sundays = await post('/api/batches', { name: 'Sundays', date: `${YEAR}-03-02` });
  const december = await post('/api/batches', { name: 'December', date: `${YEAR}-12-28` });
  const gift = (personId: string, batchId: string, receivedOn: string, amountCents: number) =>
    post('/api/donations', {
      personId,
      batchId,
      receivedOn,
      method: 'check',
      checkNumber: '101',
      splits: [{ fundId: fund.id, amountCents }],
    });
  await gift(ana.id, sundays.id, `${YEAR}-03-02`, 5000);
  await gift(ana.id, sundays.id, `${YEAR}-06-01`, 2550);
  await gift(ben.id, sundays.id, `${YEAR}-04-06`, 10000);
  await post(`/api/batches/${sundays.id}/commit`, undefined);
  await gift(ana.id, december.id, `${YEAR}-12-28`, 4000);
}

async function screen(page: Page, name: string, heading: string) {
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  await page.waitForLoadState('networkidle');
  await screenshot(page, name);
  findings.push(...(await axeViolations(page, name)));
}

describe('year-end statements in the console', () => {
  it('shows the year, downloads the ZIP and emails the statements', { timeout: 240_000 }, async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
    const page = await context.newPage();
    try {
      await page.goto(`${server.url}/sign-in`);
      await page.getByLabel('Church address').fill(SLUG);
      await page.getByLabel('Email').fill(EMAIL);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor();
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Year-end statements' })
        .click();
      await screen(page, 'year-end', 'Year-end statements');

      // Last year, its figures (committed gifts only) and the gift still in an open batch.
      await expect.poll(() => page.getByRole('combobox', { name: 'Year' }).inputValue()).toBe(String(YEAR));
      const figures = page.getByRole('group', { name: `Giving in ${YEAR}` });
      await expect.poll(() => figures.textContent()).toBe('Donors2Gifts3Total given$175.50');
      await page.getByText(`1 gift of ${YEAR} is in batches not yet committed`).waitFor();

      // The ZIP: a PDF per donor, each with its donor's name and total.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download all statements (ZIP)' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(`giving-statements-${YEAR}.zip`);
      const files = unzipSync(new Uint8Array(fs.readFileSync(await download.path())));
      const names = Object.keys(files);
      expect(names).toHaveLength(2);
      const texts = await Promise.all(names.map((n) => pdfText(files[n]!)));
      expect(names[0]).toMatch(new RegExp(`^${YEAR}/Ana-Diaz-.*\\.pdf$`));
      expect(texts[0]).toContain('Ana Diaz');
      expect(texts[0]).toContain('Total tax-deductible contributions $75.50');
      expect(names[1]).toMatch(new RegExp(`^${YEAR}/Ben-Okafor-.*\\.pdf$`));
      expect(texts[1]).toContain('Ben Okafor');
      expect(texts[1]).toContain('Total tax-deductible contributions $100.00');

      // The emails: confirmed first, then followed until every one is sent.
      await page.getByRole('button', { name: 'Email statements' }).click();
      const dialog = page.getByRole('dialog', { name: `Email the ${YEAR} statements?` });
      await dialog.waitFor();
      await screenshot(page, 'year-end-confirm');
      findings.push(...(await axeViolations(page, 'year-end-confirm')));
      await dialog.getByRole('button', { name: 'Send 1 email' }).click();
      const progress = page.getByRole('status', { name: 'Email progress' });
      await progress
        .getByText('Every donor with an email address has their statement.')
        .waitFor({ timeout: 60_000 });
      expect(await progress.textContent()).toContain('Sent 1 of 1.');
      await screen(page, 'year-end-sent', 'Year-end statements');
      const [mail] = await sink.waitForMessages(1);
      expect(mail!.subject).toBe(`Your ${YEAR} giving statement from Grace Chapel`);
      expect(mail!.to && 'text' in mail!.to ? mail!.to.text : '').toBe('ana@example.org');
      expect(await pdfText(mail!.attachments[0]!.content)).toContain(
        'Total tax-deductible contributions $75.50',
      );

      // Ben has no email: his statement goes by post, from the printable list.
      await page.getByRole('link', { name: 'Printable list' }).click();
      await screen(page, 'year-end-without-email', `Statements to post for ${YEAR}`);
      await page.getByRole('cell', { name: 'Ben Okafor' }).waitFor();
      expect(sink.messages).toHaveLength(1);
    } catch (err) {
      await screenshot(page, 'failure-year-end');
      throw err;
    } finally {
      await context.close();
    }
    expect(findings, JSON.stringify(findings, null, 2)).toEqual([]);
  });
});
