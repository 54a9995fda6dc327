import Fastify from 'fastify';
import cookie from '@fastify/cookie';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFRESH_COOKIE, setRefreshCookie } from '../../../src/http/refresh-cookie.js';
import { createTestStack, type TestStack } from '../../helpers/app.js';
import { DIALECTS } from '../../helpers/dialects.js';
import { createTestChurch, TEST_PASSWORD, type TestChurch } from '../../helpers/session.js';

/** The refresh cookie's value and attributes from a response's Set-Cookie header. */
function refreshCookie(setCookie: string | string[] | undefined) {
  const line = [setCookie ?? []].flat().find((c) => c.startsWith(`${REFRESH_COOKIE}=`));
  if (!line) return undefined;
  const [pair, ...attrs] = line.split(';').map((s) => s.trim());
  return { value: pair!.slice(REFRESH_COOKIE.length + 1), attrs: attrs.map((a) => a.toLowerCase()) };
}

describe.each(DIALECTS)('browser sessions (refresh cookie) on %s', (dialect) => {
  let stack: TestStack;
  let church: TestChurch;
  const post = (url: string, payload?: object, headers: Record<string, string> = {}) =>
    stack.app.inject({ method: 'POST', url, payload, headers });
  const browserLogin = () =>
    post('/api/auth/login', {
      church: church.slug,
      email: church.users.staff.email,
      password: TEST_PASSWORD,
      refreshCookie: true,
    });

  beforeAll(async () => {
    stack = await createTestStack(dialect);
    church = await createTestChurch(stack, { roles: ['admin', 'staff'] });
  });
  afterAll(() => stack.close());

  it('login sets an httpOnly SameSite=Strict cookie on the auth path and keeps the token out of the body', async () => {
    const res = await browserLogin();
    expect(res.statusCode).toBe(200);
    expect(res.json().data.refreshToken).toBeUndefined();
    expect(res.json().data.accessToken).toEqual(expect.any(String));
    const c = refreshCookie(res.headers['set-cookie'])!;
    expect(c.value).toMatch(new RegExp(`^${church.id}\\.`));
    expect(c.attrs).toEqual(expect.arrayContaining(['httponly', 'samesite=strict', 'path=/api/auth']));
    expect(c.attrs).not.toContain('secure'); // not production: the console may run on plain http
  });

  it('refresh reads and rotates the cookie; the old cookie replayed is refused', async () => {
    const first = refreshCookie((await browserLogin()).headers['set-cookie'])!;
    const res = await post('/api/auth/refresh', {}, { cookie: `${REFRESH_COOKIE}=${first.value}` });
    expect(res.statusCode).toBe(200);
    expect(res.json().data.refreshToken).toBeUndefined();
    const second = refreshCookie(res.headers['set-cookie'])!;
    expect(second.value).not.toBe(first.value);
    const me = await stack.app.inject({
      url: '/api/me',
      headers: { authorization: `Bearer ${res.json().data.accessToken}` },
    });
    expect(me.statusCode).toBe(200);
    const replay = await post('/api/auth/refresh', {}, { cookie: `${REFRESH_COOKIE}=${first.value}` });
    expect(replay.statusCode).toBe(401);
  });

  it('a refresh with neither body token nor cookie is 401', async () => {
    const res = await post('/api/auth/refresh', {});
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('UNAUTHENTICATED');
  });

  it('a bearer client keeps the token in the body and gets no cookie', async () => {
    const res = await post('/api/auth/login', {
      church: church.slug,
      email: church.users.staff.email,
      password: TEST_PASSWORD,
    });
    expect(res.json().data.refreshToken).toEqual(expect.any(String));
    expect(refreshCookie(res.headers['set-cookie'])).toBeUndefined();
    const next = await post('/api/auth/refresh', { refreshToken: res.json().data.refreshToken });
    expect(next.statusCode).toBe(200);
    expect(next.json().data.refreshToken).toEqual(expect.any(String));
  });

  it('logout and logout-everywhere clear the cookie and end its family', async () => {
    for (const path of ['/api/auth/logout', '/api/auth/logout-all']) {
      const login = await browserLogin();
      const c = refreshCookie(login.headers['set-cookie'])!;
      const out = await post(path, undefined, { authorization: `Bearer ${login.json().data.accessToken}` });
      expect(out.statusCode).toBe(204);
      const cleared = refreshCookie(out.headers['set-cookie'])!;
      expect(cleared.value).toBe('');
      expect(cleared.attrs).toEqual(expect.arrayContaining(['path=/api/auth']));
      const after = await post('/api/auth/refresh', {}, { cookie: `${REFRESH_COOKIE}=${c.value}` });
      expect(after.statusCode).toBe(401);
    }
  });
});

describe('refresh cookie in production', () => {
  it('carries Secure', async () => {
    const app = Fastify();
    await app.register(cookie);
    app.get('/', async (_req, reply) => {
      setRefreshCookie(reply, 'x.y', true);
      return 'ok';
    });
    const res = await app.inject({ url: '/' });
    expect(refreshCookie(res.headers['set-cookie'])!.attrs).toContain('secure');
    await app.close();
  });
});
