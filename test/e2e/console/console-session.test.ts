import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot } from '../../helpers/browser.js';
import { tempDataDir } from '../../helpers/config.js';
import { registerChurch, startConsoleServer } from '../../helpers/console-server.js';
import type { ServerProcess } from '../../helpers/process.js';

/**
 * Browser sessions: nothing a script can read holds a token, a reload comes back signed in
 * through the httpOnly refresh cookie, and a session ended elsewhere ("sign out everywhere")
 * sends this tab back to sign-in on its next request (the 401, one refresh refused).
 */
const SLUG = 'st-paul-session';
const EMAIL = 'ana@paul.example';
const PASSWORD = 'a session passphrase';

let server: ServerProcess;
let browser: Browser;
const data = tempDataDir();

beforeAll(async () => {
  server = await startConsoleServer(data.dir);
  await registerChurch(
    server,
    { name: 'St Paul', slug: SLUG, timezone: 'UTC', currency: 'GBP' },
    { name: 'Ana Office', email: EMAIL, password: PASSWORD },
  );
  browser = await launchChromium();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop('SIGKILL');
  data.cleanup();
});

async function signIn(page: Page) {
  await page.goto(`${server.url}/people`);
  await page.getByRole('heading', { name: 'Sign in to Steeple' }).waitFor();
  await page.getByLabel('Church address').fill(SLUG);
  await page.getByLabel('Email').fill(EMAIL);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('console sessions', () => {
  it('keeps tokens out of script reach, survives a reload, ends when signed out elsewhere', {
    timeout: 180_000,
  }, async () => {
    const a = await (await browser.newContext()).newPage();
    const b = await (await browser.newContext()).newPage();
    try {
      // Signing in from a deep link returns to it.
      await signIn(a);
      await a.getByRole('heading', { level: 1, name: 'People' }).waitFor();
      const cookies = await a.context().cookies();
      const refresh = cookies.find((c) => c.name === 'steeple_refresh');
      expect(refresh).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/auth' });
      // Page scripts see no cookie and nothing stored.
      const readable = await a.evaluate('[document.cookie, localStorage.length, sessionStorage.length]');
      expect(readable).toEqual(['', 0, 0]);

      // A reload forgets the in-memory token; the cookie brings the session back.
      await a.reload();
      await a.getByRole('heading', { level: 1, name: 'People' }).waitFor();

      // Signed out everywhere from another browser: this tab's next request is refused, the
      // one refresh too, and it is back at sign-in.
      await signIn(b);
      await b.getByRole('heading', { level: 1, name: 'People' }).waitFor();
      await b.getByRole('button', { name: 'Ana Office' }).click();
      await b.getByRole('menuitem', { name: 'Sign out everywhere' }).click();
      await b.getByRole('heading', { name: 'Sign in to Steeple' }).waitFor();
      await a
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Households', exact: true })
        .click();
      await a.getByRole('heading', { name: 'Sign in to Steeple' }).waitFor();
    } catch (err) {
      await screenshot(a, 'failure-session-a');
      throw err;
    }
  });
});
