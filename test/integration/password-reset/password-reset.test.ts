import { afterEach, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../../helpers/app.js';
import { DIALECTS } from '../../helpers/dialects.js';
import { addTestUser, createTestChurch } from '../../helpers/session.js';
import { type SmtpSink, startSmtpSink } from '../../helpers/smtp-sink.js';
import { runCli } from '../tenancy/cli-runner.js';

const PUBLIC_URL = 'https://console.grace.example';
const NEW_PASSWORD = 'a brand new passphrase';
const LINK = /^https:\/\/console\.grace\.example\/reset-password#token=([0-9a-f-]{36}\.[A-Za-z0-9_-]{43})$/m;

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(dialect: (typeof DIALECTS)[number]) {
  const sink = await startSmtpSink();
  cleanups.push(() => sink.close());
  const stack = await createTestStack(dialect, {
    SMTP_URL: sink.url,
    PUBLIC_URL,
    MAIL_FROM: 'Grace <office@grace.example>',
  });
  cleanups.push(() => stack.close());
  const church = await createTestChurch(stack, { roles: ['admin', 'viewer'] });
  return { sink, stack, church };
}

const ask = (stack: TestStack, payload: object, ip = '10.0.0.1') =>
  stack.app.inject({ method: 'POST', url: '/api/auth/password-reset', payload, remoteAddress: ip });
const confirm = (stack: TestStack, token: string, password = NEW_PASSWORD) =>
  stack.app.inject({ method: 'POST', url: '/api/auth/password-reset/confirm', payload: { token, password } });

async function emailedToken(sink: SmtpSink, n = 1): Promise<string> {
  const messages = await sink.waitForMessages(n);
  const m = messages[n - 1]!;
  const token = LINK.exec(m.text ?? '')?.[1];
  if (!token) throw new Error(`no reset link in:\n${m.text}`);
  return token;
}

describe.each(DIALECTS)('password reset (%s)', (dialect) => {
  it('emails a single-use link that sets the password and ends every session', async () => {
    const { sink, stack, church } = await setup(dialect);
    const user = church.users.viewer;
    const res = await ask(stack, { church: church.slug, email: user.email.toUpperCase() });
    expect(res.statusCode).toBe(202);
    const token = await emailedToken(sink);
    const [m] = sink.messages;
    expect(m!.subject).toBe(`Reset your ${church.name} password`);
    expect(m!.to && 'text' in m!.to ? m!.to.text : '').toBe(user.email);
    // Only the token's hash is stored.
    const stored = await stack.services.deps.tenants.withTenant(church.id, (db) =>
      db.selectFrom('password_resets').selectAll().execute(),
    );
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(token.split('.')[1]);

    expect((await confirm(stack, token)).statusCode).toBe(204);
    // Every session of the user is over: the access token and the refresh token.
    expect(
      (await stack.app.inject({ method: 'GET', url: '/api/me', headers: user.headers })).statusCode,
    ).toBe(401);
    const refresh = await stack.app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refreshToken: user.refreshToken },
    });
    expect(refresh.statusCode).toBe(401);
    const login = (password: string) =>
      stack.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { church: church.slug, email: user.email, password },
      });
    expect((await login(NEW_PASSWORD)).statusCode).toBe(200);
    expect((await login(user.password)).statusCode).toBe(401);

    const again = await confirm(stack, token, 'yet another passphrase');
    expect(again.statusCode).toBe(410);
    expect(again.json()).toMatchObject({ code: 'TOKEN_USED' });
    expect((await login(NEW_PASSWORD)).statusCode).toBe(200);
  });

  it('answers the same 202 for unknown churches, unknown and disabled users, and sends nothing', async () => {
    const { sink, stack, church } = await setup(dialect);
    const disabled = await addTestUser(stack, church, 'staff');
    await stack.app.inject({
      method: 'POST',
      url: `/api/users/${disabled.id}/disable`,
      headers: church.as('admin'),
    });
    const bodies = new Set<string>();
    for (const payload of [
      { church: 'no-such-church', email: church.users.viewer.email },
      { church: church.slug, email: 'ghost@nowhere.example' },
      { church: church.slug, email: disabled.email },
      { church: church.slug, email: church.users.admin.email },
    ]) {
      const res = await ask(stack, payload);
      expect(res.statusCode).toBe(202);
      bodies.add(res.body);
    }
    expect(bodies.size).toBe(1);
    await sink.waitForMessages(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(sink.attempts).toHaveLength(1);
  });

  it('refuses expired, malformed and unknown tokens with a clear problem each', async () => {
    const { sink, stack, church } = await setup(dialect);
    await ask(stack, { church: church.slug, email: church.users.viewer.email });
    const token = await emailedToken(sink);
    await stack.services.deps.tenants.withTenant(church.id, (db) =>
      db
        .updateTable('password_resets')
        .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
        .execute(),
    );
    const expired = await confirm(stack, token);
    expect(expired.statusCode).toBe(410);
    expect(expired.json()).toMatchObject({ code: 'TOKEN_EXPIRED' });
    const malformed = await confirm(stack, 'not-a-token');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ code: 'TOKEN_INVALID' });
    const unknown = await confirm(stack, `${church.id}.${'A'.repeat(43)}`);
    expect(unknown.json()).toMatchObject({ status: 400, code: 'TOKEN_INVALID' });
    const short = await confirm(stack, token, 'short');
    expect(short.json()).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    const badEmail = await ask(stack, { church: church.slug, email: 'not an address' });
    expect(badEmail.json()).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('sends once for a retried request and limits requests per account and per IP', async () => {
    const { sink, stack, church } = await setup(dialect);
    const payload = { church: church.slug, email: church.users.viewer.email };
    expect((await ask(stack, payload)).statusCode).toBe(202);
    expect((await ask(stack, payload)).statusCode).toBe(202);
    await sink.waitForMessages(1);
    for (let i = 0; i < 3; i++) expect((await ask(stack, payload, `10.0.1.${i}`)).statusCode).toBe(202);
    const limited = await ask(stack, payload, '10.0.2.1');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // An unknown account is limited the same way (a 429 tells nothing about existence).
    const ghost = { church: church.slug, email: 'ghost@nowhere.example' };
    for (let i = 0; i < 5; i++) expect((await ask(stack, ghost, `10.0.3.${i}`)).statusCode).toBe(202);
    expect((await ask(stack, ghost, '10.0.4.1')).statusCode).toBe(429);
    // Per IP: many accounts from one address.
    let status = 0;
    for (let i = 0; i < 31 && status !== 429; i++)
      status = (await ask(stack, { church: church.slug, email: `p${i}@x.example` }, '10.9.9.9')).statusCode;
    expect(status).toBe(429);
    await new Promise((r) => setTimeout(r, 300));
    expect(sink.attempts).toHaveLength(1);
  });
});

describe('password reset timing and the operator command', () => {
  it('known and unknown accounts: the same body and medians within 50 ms', async () => {
    const { stack, church } = await setup('sqlite');
    const known = [];
    for (let i = 0; i < 8; i++) known.push(await addTestUser(stack, church, 'viewer'));
    const timed = async (payload: object, ip: string) => {
      const start = process.hrtime.bigint();
      const res = await ask(stack, payload, ip);
      return { ms: Number(process.hrtime.bigint() - start) / 1e6, body: res.body, status: res.statusCode };
    };
    await timed({ church: church.slug, email: 'warm@x.example' }, '10.1.0.1');
    const k: number[] = [];
    const u: number[] = [];
    const bodies = new Set<string>();
    for (let i = 0; i < known.length; i++) {
      const a = await timed({ church: church.slug, email: known[i]!.email }, `10.2.0.${i}`);
      const b = await timed({ church: church.slug, email: `ghost${i}@x.example` }, `10.3.0.${i}`);
      for (const r of [a, b]) {
        expect(r.status).toBe(202);
        bodies.add(r.body);
      }
      k.push(a.ms);
      u.push(b.ms);
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    console.info(
      `password reset medians: known ${median(k).toFixed(1)} ms, unknown ${median(u).toFixed(1)} ms`,
    );
    expect(bodies.size).toBe(1);
    expect(Math.abs(median(k) - median(u))).toBeLessThan(50);
  });

  it('steeple users reset-password sends the same email', async () => {
    const { sink, stack, church } = await setup('sqlite');
    const env = { DATA_DIR: stack.config.dataDir, SMTP_URL: sink.url, PUBLIC_URL };
    const r = await runCli(['users', 'reset-password', church.slug, church.users.viewer.email], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`reset link emailed to ${church.users.viewer.email}`);
    const token = await emailedToken(sink);
    expect((await confirm(stack, token)).statusCode).toBe(204);
    const missing = await runCli(['users', 'reset-password', church.slug, 'ghost@x.example'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('NOT_FOUND');
  }, 120_000);
});
