import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../../src/app.js';
import { buildTestApp } from '../../helpers/app.js';
import { createServices } from '../../../src/services.js';
import type { TestStack } from '../../helpers/app.js';
import { testConfig, testLogger, tempDataDir } from '../../helpers/config.js';
import { createTestPgDatabase } from '../../helpers/dialects.js';
import { hasRedisServer, type RedisChild, startRedisChild } from '../../helpers/redis-server.js';
import { createTestChurch, TEST_PASSWORD, type TestChurch } from '../../helpers/session.js';

const ready = inject('pgAvailable') && hasRedisServer();

/**
 * Two app instances (two service graphs, two catalog pools) on one PostgreSQL catalog, one
 * DATA_DIR and one private redis-server that the test kills and restarts: a token revoked
 * through either instance is refused by both, with Redis up, down and back.
 */
describe.runIf(ready)('revocation across two instances and a Redis outage', () => {
  let redis: RedisChild;
  let a: TestStack;
  let b: TestStack;
  let church: TestChurch;
  const cleanup: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    redis = await startRedisChild();
    cleanup.push(() => redis.kill());
    const data = tempDataDir();
    const pg = await createTestPgDatabase();
    cleanup.push(async () => {
      await pg.drop();
      data.cleanup();
    });
    const env = {
      DATABASE_URL: pg.url,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: `auth-two-${process.pid}`,
      REDIS_RECONNECT_MAX_MS: '200',
      REDIS_BREAKER_RESET_MS: '200',
      JWT_SECRET: 'two-instances-share-this-secret-0123456789',
      ENABLE_QUEUES: 'false',
    };
    const instance = async (): Promise<TestStack> => {
      const config = testConfig(data.dir, env);
      const services = await createServices(config, testLogger());
      const app = await buildTestApp(services.deps);
      const close = async () => {
        await app.close();
        await services.close();
      };
      cleanup.unshift(close);
      return { config, services, app, close };
    };
    a = await instance();
    b = await instance();
    await Promise.all([usable(a, true), usable(b, true)]);
    church = await createTestChurch(a, { roles: ['admin', 'staff'] });
  });
  afterAll(async () => {
    for (const c of cleanup) await c().catch(() => {});
  });

  const login = async (app: App) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { church: church.slug, email: church.users.staff.email, password: TEST_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    return res.json().data as { accessToken: string; refreshToken: string };
  };
  const me = async (app: App, token: string) =>
    (await app.inject({ url: '/api/me', headers: { authorization: `Bearer ${token}` } })).statusCode;
  const post = async (app: App, url: string, token: string) =>
    (await app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}` } })).statusCode;

  const revokedUp: string[] = [];
  const revokedDown: string[] = [];

  it('Redis up: logout on B is refused on A, logout-all on A is refused on B', async () => {
    const s1 = await login(a.app);
    expect(await me(b.app, s1.accessToken)).toBe(200);
    expect(await post(b.app, '/api/auth/logout', s1.accessToken)).toBe(204);
    expect(await me(a.app, s1.accessToken)).toBe(401);
    expect(await me(b.app, s1.accessToken)).toBe(401);
    revokedUp.push(s1.accessToken);

    const s2 = await login(b.app);
    const s3 = await login(a.app);
    expect(await post(a.app, '/api/auth/logout-all', s2.accessToken)).toBe(204);
    for (const app of [a.app, b.app]) {
      expect(await me(app, s2.accessToken)).toBe(401);
      expect(await me(app, s3.accessToken)).toBe(401);
    }
    revokedUp.push(s3.accessToken);
  });

  it('Redis down: logout still works everywhere and earlier revocations still hold', async () => {
    await redis.kill();
    await Promise.all([usable(a, false), usable(b, false)]);
    for (const t of revokedUp) for (const app of [a.app, b.app]) expect(await me(app, t)).toBe(401);

    const s1 = await login(a.app);
    expect(await me(b.app, s1.accessToken)).toBe(200);
    expect(await post(a.app, '/api/auth/logout', s1.accessToken)).toBe(204);
    expect(await me(b.app, s1.accessToken)).toBe(401);
    revokedDown.push(s1.accessToken);

    const s2 = await login(a.app);
    expect(await post(b.app, '/api/auth/logout-all', s2.accessToken)).toBe(204);
    expect(await me(a.app, s2.accessToken)).toBe(401);
    revokedDown.push(s2.accessToken);
  });

  it('Redis back (empty): nothing revoked before or during the outage comes back', async () => {
    await redis.start();
    await Promise.all([usable(a, true), usable(b, true)]);
    for (const t of [...revokedUp, ...revokedDown]) {
      for (const app of [a.app, b.app]) expect(await me(app, t)).toBe(401);
    }
    const fresh = await login(b.app);
    expect(await me(a.app, fresh.accessToken)).toBe(200);
  });

  it('failure counters are shared by both instances while Redis is down', async () => {
    await redis.kill();
    await Promise.all([usable(a, false), usable(b, false)]);
    const attempt = (app: App) =>
      app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { church: church.slug, email: church.users.admin.email, password: 'wrong password' },
      });
    for (let i = 0; i < 5; i++) expect((await attempt(i % 2 ? a.app : b.app)).statusCode).toBe(401);
    const limited = await attempt(a.app);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('1');
    expect((await attempt(b.app)).statusCode).toBe(429);
  });
});

async function usable(stack: TestStack, want: boolean) {
  await waitFor(async () => stack.services.deps.redis.isUsable() === want);
}

async function waitFor(cond: () => Promise<boolean>, ms = 10_000) {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
