import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createRedisService } from '../../../src/infra/redis/redis-service.js';
import { type FaultProxy, startFaultProxy } from '../../helpers/fault-proxy.js';
import { type RedisChild, startRedisChild } from '../../helpers/redis-server.js';
import { capturingLogger, sleep, uniquePrefix, waitFor } from './support.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function service(url: string | undefined, overrides: { resetMs?: number } = {}) {
  const { logger, lines } = capturingLogger();
  const metrics = new Registry();
  const redis = createRedisService({
    url,
    keyPrefix: uniquePrefix('svc'),
    commandTimeoutMs: 200,
    connectTimeoutMs: 500,
    reconnect: { baseMs: 50, maxMs: 500 },
    breaker: { failureThreshold: 3, windowMs: 10_000, resetMs: overrides.resetMs ?? 1000 },
    downLogIntervalMs: 60_000,
    logger,
    metrics,
  });
  cleanups.push(() => redis.close());
  return { redis, lines, metrics };
}

async function child(): Promise<RedisChild> {
  const c = await startRedisChild();
  cleanups.push(() => c.kill());
  return c;
}

const upGauge = async (m: Registry) => (await m.getSingleMetric('steeple_redis_up')!.get()).values[0]!.value;

describe('RedisService on a real redis-server', () => {
  it('runs commands when up, and a reply error does not trip the breaker', async () => {
    const server = await child();
    const { redis, metrics } = service(server.url);
    await waitFor('up', () => redis.state() === 'up');
    expect(redis.isUsable()).toBe(true);
    expect(await upGauge(metrics)).toBe(1);
    const key = redis.keys.rateLimit('t', '1', 0);
    expect(await redis.attempt((c) => c.set(key, 'v'))).toEqual({ ok: true, value: 'OK' });
    expect(await redis.tryRun((c) => c.get(key), 'fallback')).toBe('v');
    for (let i = 0; i < 5; i++) {
      expect(await redis.attempt((c) => c.incr(key))).toEqual({ ok: false });
    }
    expect(redis.state()).toBe('up');
  });

  it('goes down when Redis is killed, answers with the fallback at once, and heals when it returns', async () => {
    const server = await child();
    const { redis, lines, metrics } = service(server.url);
    await waitFor('up', () => redis.state() === 'up');

    await server.kill();
    await waitFor('down', () => redis.state() === 'down', 2000);
    expect(await upGauge(metrics)).toBe(0);
    const t0 = performance.now();
    expect(await redis.tryRun((c) => c.get('x'), 'fallback')).toBe('fallback');
    expect(performance.now() - t0).toBeLessThan(50);

    await sleep(1500);
    await server.start();
    await waitFor('up again without restart', () => redis.state() === 'up', 10_000);
    expect(await redis.tryRun((c) => c.ping(), 'fallback')).toBe('PONG');

    const transitions = await metrics.getSingleMetric('steeple_redis_state_transitions_total')!.get();
    const byState = Object.fromEntries(transitions.values.map((v) => [v.labels.to, v.value]));
    expect(byState).toEqual({ up: 2, down: 1 });
    // up, down, up: one line each; the reconnect errors in between stay quiet.
    expect(lines.map((l) => l.msg)).toEqual([
      'Redis is up; using it again',
      'Redis is down; features use their fallbacks until it returns',
      'Redis is up; using it again',
    ]);
  });

  it('opens the breaker on a blackhole, short-circuits under 5 ms, probes after the reset time', async () => {
    const server = await child();
    const proxy: FaultProxy = await startFaultProxy({ port: server.port });
    cleanups.push(() => proxy.close());
    const { redis } = service(proxy.url(), { resetMs: 800 });
    await waitFor('up', () => redis.state() === 'up');

    await proxy.setMode('blackhole');
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      expect(await redis.tryRun((c) => c.get('k'), 'fb')).toBe('fb');
      const took = performance.now() - t0;
      // Held no longer than the command timeout (200 ms) plus scheduling slack.
      expect(took).toBeGreaterThanOrEqual(150);
      expect(took).toBeLessThan(600);
    }
    expect(redis.state()).toBe('down');
    const t0 = performance.now();
    for (let i = 0; i < 100; i++) await redis.tryRun((c) => c.get('k'), 'fb');
    expect((performance.now() - t0) / 100).toBeLessThan(5);

    await proxy.setMode('pass');
    // The background probe closes the breaker after the reset time, with no traffic needed.
    await waitFor('up after probe', () => redis.state() === 'up', 5000);
    expect(await redis.tryRun((c) => c.ping(), 'fb')).toBe('PONG');
  });

  it('starts with Redis absent and uses it once it appears', async () => {
    const server = await child();
    await server.kill();
    const { redis, lines } = service(server.url);
    await sleep(300);
    expect(redis.state()).toBe('down');
    expect(await redis.tryRun(async () => 'ran', 'fb')).toBe('fb');
    await server.start();
    await waitFor('up', () => redis.state() === 'up', 10_000);
    expect(lines.map((l) => l.msg)).toEqual([
      'Redis is down; features use their fallbacks until it returns',
      'Redis is up; using it again',
    ]);
  });

  it('is disabled without a URL', async () => {
    const { redis, metrics } = service(undefined);
    expect(redis.state()).toBe('disabled');
    expect(redis.isUsable()).toBe(false);
    expect(await redis.tryRun(async () => 1, 2)).toBe(2);
    expect(await redis.attempt(async () => 1)).toEqual({ ok: false });
    expect(await upGauge(metrics)).toBe(0);
  });
});
