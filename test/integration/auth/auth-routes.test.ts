import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TenantDbManager } from '../../../src/tenancy/tenant-db-manager.js';
import { createTestStack, type TestStack } from '../../helpers/app.js';
import { DIALECTS } from '../../helpers/dialects.js';
import { createTestChurch, setChurchStatus, TEST_PASSWORD, type TestChurch } from '../../helpers/session.js';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe.each(DIALECTS)('auth routes on %s', (dialect) => {
  let stack: TestStack;
  let church: TestChurch;
  const post = (url: string, payload?: object, headers?: Record<string, string>) =>
    stack.app.inject({ method: 'POST', url, payload, headers });
  const login = (email: string, password = TEST_PASSWORD, slug = church.slug) =>
    post('/api/auth/login', { church: slug, email, password });

  beforeAll(async () => {
    stack = await createTestStack(dialect);
    church = await createTestChurch(stack);
  });
  afterAll(() => stack.close());

  it('logs in with the session shape and serves /api/me', async () => {
    const res = await login(church.users.staff.email.toUpperCase());
    expect(res.statusCode).toBe(200);
    const data = res.json().data;
    expect(data).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: 900,
      user: { id: church.users.staff.id, email: church.users.staff.email, role: 'staff' },
      church: { id: church.id, slug: church.slug, name: church.name },
    });
    expect(Object.keys(data).sort()).toEqual(
      ['accessToken', 'church', 'expiresIn', 'refreshToken', 'tokenType', 'user'].sort(),
    );
    const me = await stack.app.inject({ url: '/api/me', headers: bearer(data.accessToken) });
    expect(me.statusCode).toBe(200);
    expect(me.json().data.user).toMatchObject({ id: church.users.staff.id, role: 'staff', disabled: false });
    expect(JSON.stringify(me.json())).not.toMatch(/password|hash|argon/i);
  });

  it('answers unknown church, unknown email, wrong password and disabled user identically', async () => {
    const admin = church.users.admin;
    const victim = await post(
      '/api/users',
      { email: 'gone@x.example', name: 'Gone', role: 'viewer', password: TEST_PASSWORD },
      church.as('admin'),
    );
    expect(victim.statusCode).toBe(201);
    expect(
      (await post(`/api/users/${victim.json().data.id}/disable`, undefined, church.as('admin'))).statusCode,
    ).toBe(200);
    const answers = await Promise.all([
      login(admin.email, TEST_PASSWORD, 'no-such-church'),
      login('nobody@x.example'),
      login(admin.email, 'wrong password!!'),
      login('gone@x.example'),
    ]);
    const strip = (b: Record<string, unknown>) => ({ ...b, requestId: undefined });
    for (const r of answers) {
      expect(r.statusCode).toBe(401);
      expect(strip(r.json())).toEqual(strip(answers[0]!.json()));
    }
    expect(answers[0]!.json().code).toBe('INVALID_CREDENTIALS');
  });

  it('rotates refresh tokens; a replay revokes the family; parallel refreshes win at most once', async () => {
    const first = (await login(church.users.viewer.email)).json().data;
    const r2 = await post('/api/auth/refresh', { refreshToken: first.refreshToken });
    expect(r2.statusCode).toBe(200);
    const second = r2.json().data;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    const replay = await post('/api/auth/refresh', { refreshToken: first.refreshToken });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('UNAUTHENTICATED');
    expect((await post('/api/auth/refresh', { refreshToken: second.refreshToken })).statusCode).toBe(401);

    const fresh = (await login(church.users.viewer.email)).json().data;
    const race = await Promise.all(
      Array.from({ length: 6 }, () => post('/api/auth/refresh', { refreshToken: fresh.refreshToken })),
    );
    expect(race.filter((r) => r.statusCode === 200).length).toBeLessThanOrEqual(1);
    expect(race.every((r) => r.statusCode === 200 || r.statusCode === 401)).toBe(true);
  });

  it('logout revokes the access token and its refresh family; logout-all revokes every session', async () => {
    const a = (await login(church.users.finance.email)).json().data;
    const b = (await login(church.users.finance.email)).json().data;
    expect((await post('/api/auth/logout', undefined, bearer(a.accessToken))).statusCode).toBe(204);
    expect((await stack.app.inject({ url: '/api/me', headers: bearer(a.accessToken) })).statusCode).toBe(401);
    expect((await post('/api/auth/refresh', { refreshToken: a.refreshToken })).statusCode).toBe(401);
    expect((await stack.app.inject({ url: '/api/me', headers: bearer(b.accessToken) })).statusCode).toBe(200);

    expect((await post('/api/auth/logout-all', undefined, bearer(b.accessToken))).statusCode).toBe(204);
    expect((await stack.app.inject({ url: '/api/me', headers: bearer(b.accessToken) })).statusCode).toBe(401);
    expect((await post('/api/auth/refresh', { refreshToken: b.refreshToken })).statusCode).toBe(401);
    const after = await login(church.users.finance.email);
    expect(after.statusCode).toBe(200);
    expect(
      (await stack.app.inject({ url: '/api/me', headers: bearer(after.json().data.accessToken) })).statusCode,
    ).toBe(200);
  });

  it('PATCH /api/me changes the name only; other fields are a 400 and change nothing', async () => {
    const h = church.as('staff');
    const ok = await stack.app.inject({
      method: 'PATCH',
      url: '/api/me',
      headers: h,
      payload: { name: 'Renamed' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().data.user.name).toBe('Renamed');
    for (const extra of [
      { role: 'admin' },
      { tenantId: 'x' },
      { id: 'x' },
      { passwordHash: 'x' },
      { emailVerified: true },
    ]) {
      const bad = await stack.app.inject({
        method: 'PATCH',
        url: '/api/me',
        headers: h,
        payload: { name: 'Evil', ...extra },
      });
      expect(bad.statusCode).toBe(400);
    }
    const me = (await stack.app.inject({ url: '/api/me', headers: h })).json().data.user;
    expect(me).toMatchObject({ name: 'Renamed', role: 'staff' });
  });

  it('a password change revokes older tokens and returns a fresh session', async () => {
    const u = church.users.viewer;
    const old = (await login(u.email)).json().data;
    const wrong = await post(
      '/api/me/password',
      { currentPassword: 'nope', newPassword: 'a brand new secret' },
      bearer(old.accessToken),
    );
    expect(wrong.statusCode).toBe(400);
    const res = await post(
      '/api/me/password',
      { currentPassword: TEST_PASSWORD, newPassword: 'a brand new secret' },
      bearer(old.accessToken),
    );
    expect(res.statusCode).toBe(200);
    const fresh = res.json().data;
    expect((await stack.app.inject({ url: '/api/me', headers: bearer(old.accessToken) })).statusCode).toBe(
      401,
    );
    expect((await stack.app.inject({ url: '/api/me', headers: u.headers })).statusCode).toBe(401);
    expect((await post('/api/auth/refresh', { refreshToken: old.refreshToken })).statusCode).toBe(401);
    expect((await stack.app.inject({ url: '/api/me', headers: bearer(fresh.accessToken) })).statusCode).toBe(
      200,
    );
    expect((await login(u.email)).statusCode).toBe(401);
    expect((await login(u.email, 'a brand new secret')).statusCode).toBe(200);
  });

  it('manages users: create, duplicate, role change and disable revoke tokens, enable, last admin kept', async () => {
    const h = church.as('admin');
    const created = await post(
      '/api/users',
      { email: 'New@X.example', name: 'New', role: 'viewer', password: TEST_PASSWORD },
      h,
    );
    expect(created.statusCode).toBe(201);
    const id = created.json().data.id;
    expect(created.json().data).toMatchObject({ email: 'new@x.example', role: 'viewer', disabled: false });
    const dup = await post(
      '/api/users',
      { email: 'new@x.example', name: 'Dup', role: 'viewer', password: TEST_PASSWORD },
      h,
    );
    expect(dup.statusCode).toBe(409);
    const tok = (await login('new@x.example')).json().data.accessToken;
    const patched = await stack.app.inject({
      method: 'PATCH',
      url: `/api/users/${id}`,
      headers: h,
      payload: { role: 'staff' },
    });
    expect(patched.json().data.role).toBe('staff');
    expect((await stack.app.inject({ url: '/api/me', headers: bearer(tok) })).statusCode).toBe(401);
    const tok2 = (await login('new@x.example')).json().data.accessToken;
    expect((await post(`/api/users/${id}/disable`, undefined, h)).json().data.disabled).toBe(true);
    expect((await stack.app.inject({ url: '/api/me', headers: bearer(tok2) })).statusCode).toBe(401);
    expect((await post(`/api/users/${id}/enable`, undefined, h)).json().data.disabled).toBe(false);
    expect((await login('new@x.example')).statusCode).toBe(200);
    const self = await post(`/api/users/${church.users.admin.id}/disable`, undefined, h);
    expect(self.statusCode).toBe(409);
    const demote = await stack.app.inject({
      method: 'PATCH',
      url: `/api/users/${church.users.admin.id}`,
      headers: h,
      payload: { role: 'viewer' },
    });
    expect(demote.statusCode).toBe(409);
    const list = await stack.app.inject({ url: '/api/users?limit=2', headers: h });
    expect(list.json().data).toHaveLength(2);
    expect(list.json().meta.nextCursor).toEqual(expect.any(String));
  });

  it('refuses a suspended church with 403 TENANT_SUSPENDED and a deleted one with 401', async () => {
    const other = await createTestChurch(stack, { roles: ['admin'] });
    await setChurchStatus(stack, other.id, 'suspended');
    const res = await stack.app.inject({ url: '/api/me', headers: other.as('admin') });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('TENANT_SUSPENDED');
    await setChurchStatus(stack, other.id, 'deleted');
    expect((await stack.app.inject({ url: '/api/me', headers: other.as('admin') })).statusCode).toBe(401);
    expect((await login(other.users.admin.email, TEST_PASSWORD, other.slug)).statusCode).toBe(401);
  });

  it('releases every tenant lease, on success and on error paths', async () => {
    const h = church.as('admin');
    await Promise.all([
      stack.app.inject({ url: '/api/me', headers: h }),
      stack.app.inject({ method: 'PATCH', url: '/api/me', headers: h, payload: { bad: 1 } }),
      stack.app.inject({ url: '/api/users/not-a-user', headers: h }),
      stack.app.inject({ method: 'POST', url: '/api/users', headers: h, payload: '{not json' }),
      stack.app.inject({ url: '/api/users', headers: church.as('viewer') }),
    ]);
    expect((stack.services.deps.tenants as TenantDbManager).getStats().leased).toBe(0);
  });
});

describe('auth fails closed', () => {
  it('answers 503 (never 200) to requests and logins when the catalog cannot be read', async () => {
    const stack = await createTestStack('sqlite');
    try {
      const church = await createTestChurch(stack, { roles: ['admin'] });
      expect((await stack.app.inject({ url: '/api/me', headers: church.as('admin') })).statusCode).toBe(200);
      await stack.services.deps.catalog.destroy();
      const res = await stack.app.inject({ url: '/api/me', headers: church.as('admin') });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBeDefined();
      const login = await stack.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { church: church.slug, email: church.users.admin.email, password: TEST_PASSWORD },
      });
      expect(login.statusCode).toBe(503);
    } finally {
      await stack.close().catch(() => {});
    }
  });

  it('upgrades a weaker stored hash on a successful login', async () => {
    const stack = await createTestStack('sqlite');
    try {
      const church = await createTestChurch(stack, { roles: ['admin'] });
      const { hash } = await import('@node-rs/argon2');
      const weak = await hash(TEST_PASSWORD, { memoryCost: 4096, timeCost: 1, parallelism: 1, algorithm: 2 });
      const tenants = stack.services.deps.tenants;
      await tenants.withTenant(church.id, (db) =>
        db
          .updateTable('users')
          .set({ password_hash: weak })
          .where('id', '=', church.users.admin.id)
          .execute(),
      );
      const res = await stack.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { church: church.slug, email: church.users.admin.email, password: TEST_PASSWORD },
      });
      expect(res.statusCode).toBe(200);
      const stored = await tenants.withTenant(church.id, (db) =>
        db
          .selectFrom('users')
          .select('password_hash')
          .where('id', '=', church.users.admin.id)
          .executeTakeFirstOrThrow(),
      );
      expect(stored.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    } finally {
      await stack.close();
    }
  });
});
