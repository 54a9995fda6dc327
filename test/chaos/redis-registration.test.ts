import { afterEach, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../helpers/app.js';
import { freePort } from '../helpers/process.js';
import { type RedisChild, startRedisChild } from '../helpers/redis-server.js';
import { sleep, uniquePrefix, waitFor } from '../integration/redis/support.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const signup = (stack: TestStack, slug: string) =>
  stack.app.inject({
    method: 'POST',
    url: '/api/registrations?wait=true',
    payload: {
      church: { name: `Church ${slug}`, slug, timezone: 'UTC', currency: 'USD' },
      admin: { name: 'Ana', email: `ana@${slug}.example`, password: 'correct horse battery' },
    },
  });

async function loginAndLogout(stack: TestStack, slug: string) {
  const login = await stack.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { church: slug, email: `ana@${slug}.example`, password: 'correct horse battery' },
  });
  expect(login.statusCode).toBe(200);
  const headers = { authorization: `Bearer ${login.json().data.accessToken}` };
  expect((await stack.app.inject({ url: '/api/me', headers })).statusCode).toBe(200);
  expect((await stack.app.inject({ method: 'POST', url: '/api/auth/logout', headers })).statusCode).toBe(204);
  return headers;
}

describe('registration and revocation across Redis outages (real app, real redis-server child)', () => {
  it('Redis absent at boot: serves, registers, revokes; when Redis appears the queue takes over and revocations hold', async () => {
    const port = await freePort();
    const stack = await createTestStack('sqlite', {
      REDIS_URL: `redis://127.0.0.1:${port}`,
      REDIS_KEY_PREFIX: uniquePrefix('reg'),
      REDIS_RECONNECT_MAX_MS: '300',
      REGISTRATION_RATE_LIMIT: '0',
    });
    cleanups.push(() => stack.close());
    expect(stack.services.deps.redis.state()).toBe('down');
    expect((await stack.app.inject({ url: '/api/health/ready' })).json().data.status).toBe('degraded');

    const first = await signup(stack, 'no-redis-church');
    expect(first.statusCode).toBe(201);
    const revoked = await loginAndLogout(stack, 'no-redis-church');
    expect((await stack.app.inject({ url: '/api/me', headers: revoked })).statusCode).toBe(401);

    const redis: RedisChild = await startRedisChild(port);
    cleanups.push(() => redis.kill());
    await waitFor('redis up', () => stack.services.deps.redis.state() === 'up', 10_000);
    // The token revoked while Redis was absent stays refused once Redis is back.
    expect((await stack.app.inject({ url: '/api/me', headers: revoked })).statusCode).toBe(401);
    // Registrations go through BullMQ again, with no restart.
    await waitFor('queue used', async () => {
      const r = await stack.services.deps.jobs.enqueue('provision-registration', {
        registrationId: '00000000-0000-4000-8000-000000000000',
      });
      return r.backend === 'bullmq';
    });
    const second = await signup(stack, 'redis-back-church');
    expect(second.statusCode).toBe(201);
    await loginAndLogout(stack, 'redis-back-church');
  }, 90_000);

  it('Redis SIGKILLed mid-way: registrations keep completing and nothing is left pending', async () => {
    const redis = await startRedisChild();
    cleanups.push(() => redis.kill());
    const stack = await createTestStack('sqlite', {
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: uniquePrefix('reg'),
      REDIS_RECONNECT_MAX_MS: '300',
      REGISTRATION_RATE_LIMIT: '0',
      RECONCILE_INTERVAL_MS: '1000',
    });
    cleanups.push(() => stack.close());
    await waitFor('redis up', () => stack.services.deps.redis.state() === 'up');

    const results: number[] = [];
    let i = 0;
    const load = (async () => {
      while (i < 12) {
        const res = await signup(stack, `kill-${i++}`);
        results.push(res.statusCode);
      }
    })();
    await sleep(300);
    await redis.kill('SIGKILL');
    await sleep(1500);
    await redis.start();
    await load;
    expect(results.every((s) => s === 201 || s === 202)).toBe(true);
    // A registration whose BullMQ job died with Redis is re-dispatched by the reconciler.
    const { catalog } = stack.services.deps;
    await waitFor(
      'all ready',
      async () =>
        (await catalog.selectFrom('registrations').select('status').where('status', '!=', 'ready').execute())
          .length === 0,
      40_000,
    );
    expect(
      (await catalog.selectFrom('tenants').select('id').where('status', '=', 'active').execute()).length,
    ).toBe(12);
  }, 90_000);
});
