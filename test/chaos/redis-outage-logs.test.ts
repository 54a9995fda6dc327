import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startRedisChild } from '../helpers/redis-server.js';
import { EFFECT_JOB } from '../integration/jobs/effect-job.js';
import { jobHarness } from '../integration/jobs/harness.js';
import { sleep, waitFor } from '../integration/redis/support.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  vi.restoreAllMocks();
});

describe('log volume during a Redis outage', () => {
  it('defaults to one reminder line per minute while down', () => {
    expect(loadConfig({}).redis.downLogIntervalMs).toBe(60_000);
  });

  it('logs one line per transition and at most one per interval while down, BullMQ included', async () => {
    // Scaled down from "60 s outage, 1 line per minute": an 8 s outage at 2 s per reminder.
    const intervalMs = 2000;
    const outageMs = 8000;
    const consoleLines = [
      vi.spyOn(console, 'warn').mockImplementation(() => {}),
      vi.spyOn(console, 'error').mockImplementation(() => {}),
      vi.spyOn(console, 'log').mockImplementation(() => {}),
    ];
    const server = await startRedisChild();
    cleanups.push(() => server.kill());
    const h = await jobHarness({
      redisUrl: server.url,
      env: { REDIS_DOWN_LOG_INTERVAL_MS: String(intervalMs) },
    });
    cleanups.push(() => h.close());
    await waitFor('up', () => h.redis.state() === 'up');
    await waitFor('worker ready', () => h.queue.worker()!.isReady());
    const before = h.lines.length;

    await server.kill();
    const t0 = Date.now();
    // Traffic during the outage must not add log lines.
    while (Date.now() - t0 < outageMs) {
      await h.redis.tryRun((c) => c.get('x'), null);
      await h.queue.enqueue(EFFECT_JOB, { key: `k${Date.now()}`, tenantId: 't' });
      await sleep(50);
    }
    await server.start();
    await waitFor('up again', () => h.redis.state() === 'up', 10_000);
    await sleep(1000);

    const lines = h.lines.slice(before);
    const budget = 2 + Math.ceil(outageMs / intervalMs);
    expect(lines.length).toBeLessThanOrEqual(budget);
    const reminders = lines.filter((l) => l.msg === 'Redis still unavailable').map((l) => l.time as number);
    for (let i = 1; i < reminders.length; i++)
      expect(reminders[i]! - reminders[i - 1]!).toBeGreaterThanOrEqual(intervalMs);
    expect(lines.filter((l) => String(l.msg).startsWith('Redis is down')).length).toBe(1);
    expect(lines.filter((l) => String(l.msg).startsWith('Redis is up')).length).toBe(1);
    for (const spy of consoleLines) expect(spy).not.toHaveBeenCalled();
  });
});
