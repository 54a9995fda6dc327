import { afterEach, describe, expect, it } from 'vitest';
import { startFaultProxy } from '../helpers/fault-proxy.js';
import { startRedisChild } from '../helpers/redis-server.js';
import { EFFECT_JOB } from '../integration/jobs/effect-job.js';
import { jobHarness } from '../integration/jobs/harness.js';
import { waitFor } from '../integration/redis/support.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('Redis blackhole (accepts, never answers)', () => {
  it('holds no call longer than the command timeout, opens the breaker, keeps pending commands bounded', async () => {
    const server = await startRedisChild();
    cleanups.push(() => server.kill());
    const proxy = await startFaultProxy({ port: server.port });
    cleanups.push(() => proxy.close());
    const timeoutMs = 250;
    const h = await jobHarness({
      redisUrl: proxy.url(),
      env: {
        REDIS_COMMAND_TIMEOUT_MS: String(timeoutMs),
        REDIS_BREAKER_FAILURES: '5',
        REDIS_BREAKER_RESET_MS: '1000',
      },
    });
    cleanups.push(() => h.close());
    await waitFor('up', () => h.redis.state() === 'up');
    await proxy.setMode('blackhole');

    // 40 concurrent request-path calls, twice: none waits past the command timeout.
    let slowest = 0;
    for (let round = 0; round < 2; round++) {
      await Promise.all(
        Array.from({ length: 40 }, async () => {
          const t0 = performance.now();
          await h.redis.tryRun((c) => c.get('k'), null);
          slowest = Math.max(slowest, performance.now() - t0);
        }),
      );
    }
    expect(slowest).toBeLessThan(timeoutMs + 500);
    expect(h.redis.state()).toBe('down');
    // Once open, nothing new is sent: at most the first round plus probes is in flight.
    const client = h.redis.requestClient() as unknown as { commandQueue: { length: number } };
    expect(client.commandQueue.length).toBeLessThanOrEqual(42);

    const t0 = performance.now();
    expect(await h.queue.enqueue(EFFECT_JOB, { key: 'bh', tenantId: 't' })).toMatchObject({
      backend: 'in-process',
    });
    expect(performance.now() - t0).toBeLessThan(50);

    await proxy.setMode('pass');
    await waitFor('closed by the half-open probe', () => h.redis.state() === 'up', 5000);
    expect(await h.redis.tryRun((c) => c.ping(), 'fallback')).toBe('PONG');
  });
});
