import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestStack, type TestStack } from '../../helpers/app.js';
import { DIALECTS } from '../../helpers/dialects.js';
import { TEST_REDIS_URL } from '../../helpers/global-setup.js';
import { createTestChurch, TEST_PASSWORD, type TestChurch } from '../../helpers/session.js';

const withRedis = inject('redisAvailable') ? [false, true] : [false];
const cases = DIALECTS.flatMap((d) => withRedis.map((r) => [d, r] as const));

/**
 * A replayed refresh token ends its whole session: the refresh family and every access token
 * issued with it (their `sid`), refused at once rather than when they expire.
 */
describe.each(cases)('session revocation on %s (Redis: %s)', (dialect, redis) => {
  let stack: TestStack;
  let church: TestChurch;
  const post = (url: string, payload?: object, token?: string) =>
    stack.app.inject({
      method: 'POST',
      url,
      payload,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  const me = async (token: string) =>
    (await stack.app.inject({ url: '/api/me', headers: { authorization: `Bearer ${token}` } })).statusCode;
  const login = async () => {
    const res = await post('/api/auth/login', {
      church: church.slug,
      email: church.users.staff.email,
      password: TEST_PASSWORD,
    });
    expect(res.statusCode).toBe(200);
    return res.json().data as { accessToken: string; refreshToken: string };
  };

  beforeAll(async () => {
    const env = redis
      ? { REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: `sessrev-${randomBytes(4).toString('hex')}` }
      : {};
    stack = await createTestStack(dialect, env);
    if (redis) {
      const end = Date.now() + 5000;
      while (!stack.services.deps.redis.isUsable() && Date.now() < end)
        await new Promise((r) => setTimeout(r, 20));
      expect(stack.services.deps.redis.isUsable()).toBe(true);
    }
    church = await createTestChurch(stack, { roles: ['admin', 'staff'] });
  });
  afterAll(() => stack.close());

  it('a replayed refresh token gets 401 for every access token of its family at once', async () => {
    const first = await login();
    const other = await login(); // another session of the same user
    const rotated = await post('/api/auth/refresh', { refreshToken: first.refreshToken });
    expect(rotated.statusCode).toBe(200);
    const second = rotated.json().data as { accessToken: string; refreshToken: string };
    expect(await me(first.accessToken)).toBe(200);
    expect(await me(second.accessToken)).toBe(200);

    expect((await post('/api/auth/refresh', { refreshToken: first.refreshToken })).statusCode).toBe(401);
    expect(await me(first.accessToken)).toBe(401);
    expect(await me(second.accessToken)).toBe(401);
    expect((await post('/api/auth/refresh', { refreshToken: second.refreshToken })).statusCode).toBe(401);
    // Only that session: the user's other session goes on.
    expect(await me(other.accessToken)).toBe(200);
  });

  it('logout ends every access token of the session, not only the one presented', async () => {
    const first = await login();
    const second = (await post('/api/auth/refresh', { refreshToken: first.refreshToken })).json().data;
    expect((await post('/api/auth/logout', undefined, second.accessToken)).statusCode).toBe(204);
    expect(await me(first.accessToken)).toBe(401);
    expect(await me(second.accessToken)).toBe(401);
  });
});
