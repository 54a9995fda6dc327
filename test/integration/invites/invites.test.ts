import { afterEach, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../../helpers/app.js';
import { DIALECTS } from '../../helpers/dialects.js';
import { createTestChurch, type TestChurch } from '../../helpers/session.js';
import { type SmtpSink, startSmtpSink } from '../../helpers/smtp-sink.js';

const PUBLIC_URL = 'https://console.grace.example';
const LINK = /^https:\/\/console\.grace\.example\/accept-invite#token=([0-9a-f-]{36}\.[A-Za-z0-9_-]{43})$/m;
const PASSWORD = 'a long new passphrase';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(dialect: (typeof DIALECTS)[number]) {
  const sink = await startSmtpSink();
  cleanups.push(() => sink.close());
  const stack = await createTestStack(dialect, { SMTP_URL: sink.url, PUBLIC_URL });
  cleanups.push(() => stack.close());
  const church = await createTestChurch(stack, { roles: ['admin', 'staff'], name: 'Grace Chapel' });
  return { sink, stack, church };
}

const invite = (stack: TestStack, church: TestChurch, body: object) =>
  stack.app.inject({ method: 'POST', url: '/api/invites', headers: church.as('admin'), payload: body });
const inspect = (stack: TestStack, token: string) =>
  stack.app.inject({ method: 'POST', url: '/api/invites/inspect', payload: { token } });
const accept = (stack: TestStack, token: string, name = 'Bea Lopez') =>
  stack.app.inject({
    method: 'POST',
    url: '/api/invites/accept',
    payload: { token, name, password: PASSWORD },
  });

function tokenOf(sink: SmtpSink, i: number): string {
  const token = LINK.exec(sink.messages[i]?.text ?? '')?.[1];
  if (!token) throw new Error(`no invite link in message ${i}:\n${sink.messages[i]?.text}`);
  return token;
}

describe.each(DIALECTS)('staff invites (%s)', (dialect) => {
  it('invites by email; the link shows the invite, accepting signs in like a login, once', async () => {
    const { sink, stack, church } = await setup(dialect);
    const res = await invite(stack, church, { email: 'Bea@Example.org', role: 'finance' });
    expect(res.statusCode).toBe(201);
    expect(res.json().data).toMatchObject({
      email: 'bea@example.org',
      role: 'finance',
      status: 'pending',
      acceptedAt: null,
    });
    await sink.waitForMessages(1);
    expect(sink.messages[0]!.subject).toBe('You are invited to Grace Chapel');
    const token = tokenOf(sink, 0);

    const shown = await inspect(stack, token);
    expect(shown.statusCode).toBe(200);
    expect(shown.json().data).toMatchObject({
      church: { name: 'Grace Chapel', slug: church.slug },
      email: 'bea@example.org',
      role: 'finance',
    });

    const accepted = await accept(stack, token);
    expect(accepted.statusCode).toBe(200);
    expect(accepted.headers['cache-control']).toBe('no-store');
    const session = accepted.json().data;
    expect(session.user).toMatchObject({ email: 'bea@example.org', name: 'Bea Lopez', role: 'finance' });
    const me = await stack.app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { authorization: `Bearer ${session.accessToken}` },
    });
    expect(me.json().data.user.role).toBe('finance');
    const login = await stack.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { church: church.slug, email: 'bea@example.org', password: PASSWORD },
    });
    expect(login.statusCode).toBe(200);

    const again = await accept(stack, token, 'Someone Else');
    expect(again.statusCode).toBe(410);
    expect(again.json().code).toBe('TOKEN_USED');
    expect((await inspect(stack, token)).json().code).toBe('TOKEN_USED');
    const list = await stack.app.inject({ method: 'GET', url: '/api/invites', headers: church.as('admin') });
    expect(list.json().data).toEqual([
      expect.objectContaining({ email: 'bea@example.org', status: 'accepted' }),
    ]);
    // Inviting an address that has an account: 409.
    expect((await invite(stack, church, { email: 'bea@example.org', role: 'staff' })).statusCode).toBe(409);
  });

  it('re-inviting replaces the link; revoking kills it; expired links are refused; a retry sends once', async () => {
    const { sink, stack, church } = await setup(dialect);
    const first = await invite(stack, church, { email: 'cy@example.org', role: 'staff' });
    // The same request again (a retry): nothing new is sent.
    const retried = await invite(stack, church, { email: 'cy@example.org', role: 'staff' });
    expect(retried.json().data.id).toBe(first.json().data.id);
    await sink.waitForMessages(1);
    // A different role is a new invite: a new link replaces the old one.
    const second = await invite(stack, church, { email: 'cy@example.org', role: 'viewer' });
    expect(second.json().data).toMatchObject({ id: first.json().data.id, role: 'viewer' });
    await sink.waitForMessages(2);
    await new Promise((r) => setTimeout(r, 200));
    expect(sink.attempts).toHaveLength(2);
    const [oldToken, newToken] = [tokenOf(sink, 0), tokenOf(sink, 1)];
    expect((await inspect(stack, oldToken)).json()).toMatchObject({ status: 400, code: 'TOKEN_INVALID' });
    expect((await inspect(stack, newToken)).json().data.role).toBe('viewer');

    const revoked = await stack.app.inject({
      method: 'DELETE',
      url: `/api/invites/${first.json().data.id}`,
      headers: church.as('admin'),
    });
    expect(revoked.statusCode).toBe(204);
    expect((await accept(stack, newToken)).json()).toMatchObject({ status: 410, code: 'TOKEN_REVOKED' });

    const third = await invite(stack, church, { email: 'dee@example.org', role: 'staff' });
    await sink.waitForMessages(3);
    await stack.services.deps.tenants.withTenant(church.id, (db) =>
      db
        .updateTable('staff_invites')
        .set({ expires_at: new Date(Date.now() - 1).toISOString() })
        .where('id', '=', third.json().data.id)
        .execute(),
    );
    expect((await accept(stack, tokenOf(sink, 2))).json()).toMatchObject({
      status: 410,
      code: 'TOKEN_EXPIRED',
    });
    const list = await stack.app.inject({
      method: 'GET',
      url: '/api/invites?limit=1',
      headers: church.as('admin'),
    });
    expect(list.json().data).toHaveLength(1);
    expect(list.json().meta.nextCursor).toBeTruthy();
    const statuses = (
      await stack.app.inject({ method: 'GET', url: '/api/invites', headers: church.as('admin') })
    )
      .json()
      .data.map((i: { status: string }) => i.status);
    expect(statuses).toEqual(['revoked', 'expired']);

    expect((await invite(stack, church, { email: 'not an address', role: 'staff' })).json()).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
    expect((await invite(stack, church, { email: 'x@example.org', role: 'owner' })).statusCode).toBe(400);
    expect((await accept(stack, 'garbage')).json()).toMatchObject({ status: 400, code: 'TOKEN_INVALID' });
    const missing = await stack.app.inject({
      method: 'DELETE',
      url: '/api/invites/nope',
      headers: church.as('admin'),
    });
    expect(missing.statusCode).toBe(404);
    const notAdmin = await stack.app.inject({
      method: 'POST',
      url: '/api/invites',
      headers: church.as('staff'),
      payload: { email: 'e@example.org', role: 'staff' },
    });
    expect(notAdmin.statusCode).toBe(403);
  });
});
