import { afterEach, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../../helpers/app.js';
import { startRedisChild } from '../../helpers/redis-server.js';
import { uniquePrefix, waitFor } from './support.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function ready(stack: TestStack) {
  const res = await stack.app.inject({ method: 'GET', url: '/api/health/ready' });
  return {
    status: res.statusCode,
    body: res.json().data as { status: string; checks: Record<string, string> },
  };
}

describe('readiness and metrics follow Redis', () => {
  it('reports redis disabled without REDIS_URL', async () => {
    const stack = await createTestStack('sqlite');
    cleanups.push(() => stack.close());
    expect(await ready(stack)).toEqual({
      status: 200,
      body: { status: 'ready', checks: { catalog: 'up', redis: 'disabled' } },
    });
  });

  it('is degraded (still 200) within 2 s of Redis dying, and ready again when it returns', async () => {
    const server = await startRedisChild();
    cleanups.push(() => server.kill());
    const stack = await createTestStack('sqlite', {
      REDIS_URL: server.url,
      REDIS_KEY_PREFIX: uniquePrefix('ready'),
    });
    cleanups.push(() => stack.close());
    await waitFor('ready', async () => (await ready(stack)).body.status === 'ready');
    expect((await ready(stack)).body.checks.redis).toBe('up');

    await server.kill();
    const killedAt = Date.now();
    await waitFor('degraded', async () => (await ready(stack)).body.status === 'degraded', 2000);
    expect(Date.now() - killedAt).toBeLessThan(2000);
    expect(await ready(stack)).toMatchObject({
      status: 200,
      body: { checks: { redis: 'down', catalog: 'up' } },
    });
    const metrics = await stack.services.deps.metrics.metrics();
    expect(metrics).toMatch(/^steeple_redis_up 0$/m);

    await server.start();
    await waitFor('ready again', async () => (await ready(stack)).body.status === 'ready', 10_000);
    expect(await stack.services.deps.metrics.metrics()).toMatch(/^steeple_redis_up 1$/m);
  });
});
