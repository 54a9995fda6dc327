import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { type AxeFinding, axeViolations, launchChromium, screenshot } from '../../helpers/browser.js';
import { tempDataDir } from '../../helpers/config.js';
import { startConsoleServer } from '../../helpers/console-server.js';
import type { ServerProcess } from '../../helpers/process.js';

/**
 * The church office's day through the console only, in headless Chromium against the real
 * server: register, sign in, people, household, tags, group, event and attendance, a batch of
 * gifts committed, a statement, a CSV import, a viewer who cannot see giving, sign out. Every
 * screen is photographed (web/test-artifacts/) and checked by axe-core.
 */
const PASSWORD = 'a long parish passphrase';
const SLUG = 'st-brigid-e2e';

let server: ServerProcess;
let browser: Browser;
const data = tempDataDir();
const findings: AxeFinding[] = [];

beforeAll(async () => {
  server = await startConsoleServer(data.dir);
  browser = await launchChromium();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop('SIGKILL');
  data.cleanup();
});

/** Waits for a screen's heading, photographs it and runs axe on it. */
async function screen(page: Page, name: string, heading: string | RegExp) {
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  await page.waitForLoadState('networkidle');
  await screenshot(page, name);
  findings.push(...(await axeViolations(page, name)));
}

const nav = (page: Page, label: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label, exact: true }).click();

/** Types into a searchable select and picks the option that appears. */
async function pick(page: Page, label: string, text: string, option: RegExp | string = text) {
  await page.getByLabel(label, { exact: true }).first().fill(text);
  await page.getByRole('option', { name: option }).first().click();
}

async function signIn(page: Page, email: string) {
  await page.getByLabel('Church address').fill(SLUG);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor();
}

async function addPerson(page: Page, first: string, last: string, email: string) {
  await nav(page, 'People');
  await page.getByRole('link', { name: 'Add person' }).click();
  await screen(page, 'person-add', 'Add person');
  await page.getByLabel('First name').fill(first);
  await page.getByLabel('Last name').fill(last);
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('heading', { level: 1, name: `${first} ${last}` }).waitFor();
}

describe('the staff console, end to end', () => {
  it('runs the office flow through the UI alone', { timeout: 300_000 }, async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      timezoneId: 'America/Chicago',
    });
    const page = await context.newPage();
    try {
      await officeDay(page);
    } catch (err) {
      await screenshot(page, 'failure');
      throw err;
    }
    await context.close();
  });
});

async function officeDay(page: Page) {
  {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/40[13]|Failed to load resource/.test(m.text())) errors.push(m.text());
    });

    // Register a church; the address is checked as it is typed.
    await page.goto(server.url);
    await screen(page, 'sign-in', 'Sign in to Steeple');
    await page.getByRole('link', { name: 'Register a church' }).click();
    await screen(page, 'register', 'Register a church');
    await page.getByLabel('Church name').fill('St Brigid E2E');
    await expect.poll(() => page.getByLabel('Church address').inputValue()).toBe(SLUG);
    await page.getByText(`${SLUG} is available`).waitFor();
    await page.getByLabel('Your name').fill('Ana Office');
    await page.getByLabel('Email').fill('ana@brigid.example');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Register' }).click();
    await screen(page, 'home', 'Home');

    // Sign out and in again.
    await page.getByRole('button', { name: 'Ana Office' }).click();
    await page.getByRole('menuitem', { name: 'Sign out', exact: true }).click();
    await page.getByRole('heading', { name: 'Sign in to Steeple' }).waitFor();
    await signIn(page, 'ana@brigid.example');

    // People.
    await addPerson(page, 'Maria', 'Lopez', 'maria@brigid.example');
    await screen(page, 'person', 'Maria Lopez');
    await addPerson(page, 'Jose', 'Lopez', 'jose@brigid.example');
    await nav(page, 'People');
    await screen(page, 'people', 'People');
    await page.getByLabel('Search').fill('mar');
    await expect.poll(() => page.getByRole('table', { name: 'People' }).getByRole('row').count()).toBe(2);

    // A household.
    await nav(page, 'Households');
    await screen(page, 'households', 'Households');
    await page.getByLabel('Household name').fill('Lopez household');
    await page.getByRole('button', { name: 'Add household' }).click();
    await screen(page, 'household', 'Lopez household');
    await pick(page, 'Person to add', 'Maria', /Maria Lopez/);
    await page.getByRole('button', { name: 'Add member' }).click();
    await page.getByRole('link', { name: 'Maria Lopez' }).waitFor();

    // Tags: make one, put it on Maria.
    await nav(page, 'Tags');
    await screen(page, 'tags', 'Tags');
    await page.getByLabel('Tag name').fill('Volunteer');
    await page.getByRole('button', { name: 'Add tag' }).click();
    await page.getByRole('cell', { name: 'Volunteer', exact: true }).waitFor();
    await nav(page, 'People');
    await page.getByRole('link', { name: 'Maria Lopez' }).click();
    await pick(page, 'Add tag', 'Volu', 'Volunteer');
    await page.getByRole('button', { name: 'Remove tag Volunteer' }).waitFor();

    // A group with a leader.
    await nav(page, 'Groups');
    await screen(page, 'groups', 'Groups');
    await page.getByLabel('Group name').fill('Choir');
    await page.getByRole('button', { name: 'Add group' }).click();
    await screen(page, 'group', 'Choir');
    await pick(page, 'Person to add', 'Jose', /Jose Lopez/);
    await page.getByRole('button', { name: 'Add member' }).click();
    await page.getByRole('link', { name: 'Jose Lopez' }).waitFor();

    // An event, attendance from the keyboard.
    await nav(page, 'Events');
    await screen(page, 'events', 'Events');
    await page.getByLabel('Event name').fill('Sunday Mass');
    await page.getByRole('button', { name: 'Add event' }).click();
    await screen(page, 'event', 'Sunday Mass');
    const find = page.getByLabel('Find a name');
    await find.fill('maria');
    await page.getByRole('checkbox', { name: 'Maria Lopez' }).waitFor();
    await find.press('Enter');
    await page.getByText('1 checked in').waitFor();
    await find.fill('jose');
    await page.getByRole('checkbox', { name: 'Jose Lopez' }).waitFor();
    await find.press('Enter');
    await page.getByText('2 checked in').waitFor();

    // Giving: a fund, a batch entered from the keyboard, committed.
    await nav(page, 'Giving');
    await page.getByLabel('Fund name').fill('General Fund');
    await page.getByRole('button', { name: 'Add fund' }).click();
    await page.getByRole('cell', { name: 'General Fund', exact: true }).waitFor();
    await screen(page, 'giving', 'Giving');
    await page.getByRole('button', { name: 'New batch' }).click();
    await screen(page, 'batch-entry', /^Sunday /);
    for (const [who, amount, check] of [
      ['Maria', '50.00', '101'],
      ['Jose', '25', '102'],
    ] as const) {
      // Typed without waiting for the search: Enter takes the first match once it is there.
      const person = page.getByLabel('Person', { exact: true }).first();
      await expect.poll(() => person.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
      await person.pressSequentially(who);
      await page.getByRole('option', { name: new RegExp(who) }).waitFor();
      await person.press('Enter');
      await expect.poll(() => person.inputValue()).toMatch(new RegExp(`^${who} Lopez`));
      await page.keyboard.press('Tab');
      await page.keyboard.type(amount);
      await page.getByLabel('Check number').fill(check);
      await page.getByLabel('Check number').press('Enter');
      await page.getByRole('cell', { name: check, exact: true }).waitFor();
    }
    await page.getByRole('cell', { name: 'Maria Lopez', exact: true }).waitFor();
    await page.getByLabel('Expected total').fill('75');
    await page.getByText('matches the expected total').waitFor();
    await screenshot(page, 'batch-entry-filled');
    await page.getByRole('button', { name: 'Commit batch' }).click();
    await page.getByText('Committed', { exact: true }).first().waitFor();
    await screen(page, 'batch-committed', /^Sunday /);

    // Maria's statement.
    await nav(page, 'People');
    await page.getByRole('link', { name: 'Maria Lopez' }).click();
    await page.getByRole('heading', { name: 'Giving', exact: true }).waitFor();
    await page.getByRole('link', { name: 'Giving statement' }).click();
    await screen(page, 'statement', /^Giving statement \d{4}$/);
    await page.getByRole('table', { name: 'Totals by fund' }).getByText('$50.00').first().waitFor();
    await page.goBack();

    // CSV import: a file with an error is reviewed and refused, the fixed one imported.
    await nav(page, 'Import');
    await screen(page, 'import', 'Import people');
    const upload = async (name: string, csv: string) =>
      page.getByLabel('CSV file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.locator('input[type=file]').setInputFiles({
      name: 'bad.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('firstName,lastName,email\nPaul,Kim,paul@brigid.example\n,NoFirst,\n'),
    });
    await page.getByText('The file has errors').waitFor();
    await page
      .getByRole('table', { name: 'Rows with errors' })
      .getByRole('cell', { name: '3', exact: true })
      .waitFor();
    await screen(page, 'import-errors', 'Import people');
    void upload;
    await page.getByRole('button', { name: 'Choose another file' }).click();
    await page.locator('input[type=file]').setInputFiles({
      name: 'good.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'firstName,lastName,email\nPaul,Kim,paul@brigid.example\nGrace,Kim,grace@brigid.example\n',
      ),
    });
    await page.getByText('Ready to import').waitFor();
    await screen(page, 'import-review', 'Import people');
    await page.getByRole('button', { name: 'Confirm import' }).click();
    await page.getByText('2 added, 0 updated, 0 unchanged.').waitFor();

    // Audit log and settings.
    await nav(page, 'Audit log');
    await screen(page, 'audit', 'Audit log');
    await nav(page, 'Church settings');
    await screen(page, 'settings', 'Church settings');

    // A viewer, who cannot see giving.
    await nav(page, 'Staff users');
    await screen(page, 'users', 'Staff users');
    const form = page.getByRole('form', { name: 'Add staff user' });
    await form.getByLabel('Name').fill('Vic Viewer');
    await form.getByLabel('Email').fill('vic@brigid.example');
    await form.getByLabel('Role', { exact: true }).first().click();
    await page.getByRole('option', { name: 'Viewer' }).click();
    await form.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await form.getByRole('button', { name: 'Add user' }).click();
    await page.getByRole('cell', { name: 'vic@brigid.example', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Ana Office' }).click();
    await page.getByRole('menuitem', { name: 'Sign out everywhere' }).click();
    await page.getByRole('heading', { name: 'Sign in to Steeple' }).waitFor();

    await signIn(page, 'vic@brigid.example');
    await screen(page, 'home-viewer', 'Home');
    const menu = page.getByRole('navigation', { name: 'Main' });
    await expect(menu.getByRole('link', { name: 'People' }).count()).resolves.toBe(1);
    await expect(menu.getByRole('link', { name: 'Giving' }).count()).resolves.toBe(0);
    await expect(menu.getByRole('link', { name: 'Year-end statements' }).count()).resolves.toBe(0);
    await expect(page.getByText("This year's giving").count()).resolves.toBe(0);
    await nav(page, 'People');
    await page.getByRole('link', { name: 'Maria Lopez' }).click();
    await page.getByRole('heading', { level: 2, name: 'Attendance' }).waitFor();
    await expect(page.getByRole('heading', { name: 'Giving', exact: true }).count()).resolves.toBe(0);
    await expect(page.getByRole('link', { name: 'Add person' }).count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Vic Viewer' }).click();
    await page.getByRole('menuitem', { name: 'Sign out', exact: true }).click();
    await page.getByRole('heading', { name: 'Sign in to Steeple' }).waitFor();

    expect(errors).toEqual([]);
    expect(findings, JSON.stringify(findings, null, 2)).toEqual([]);
  }
}
